package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// Filter limits, per request (docs/api.md, Limits). Every `where` input
// becomes SQL: each term a predicate, each has…With an EXISTS subquery on
// another table, each list an IN (…) list, and PostgreSQL's work grows
// faster than the number of terms (an OR of 8,000 hasDeliveriesWith ran
// 50 s on an app of two devices). The complexity score prices
// selections, not arguments, so filters need limits of their own. They are
// constants like MaxDepth: the console's richest filter (devices by user,
// tag, platform, …) has 7 terms, 1 join and 2 levels, so these leave room
// for API clients many times that, and no deployment needs them larger.
const (
	// MaxFilterTerms bounds the fields set in where inputs, at any depth
	// and summed over every where argument of the request (aliases and
	// fragments included): what PostgreSQL has to plan.
	MaxFilterTerms = 100
	// MaxFilterDepth bounds how deeply where inputs nest: the argument is
	// level 1 and each and/or/not/has…With goes one deeper, so 5 allows
	// e.g. not → or → hasDeliveriesWith → hasJobWith.
	MaxFilterDepth = 5
	// MaxFilterJoins bounds the has…With fields of a request: each is a
	// subquery over another, usually larger, table.
	MaxFilterJoins = 4
	// MaxFilterList bounds every list in a filter (idIn, …NotIn, and, or,
	// has…With), like the 1,000 targets of pushSimple; the console sends
	// at most 100 (its user lookup).
	MaxFilterList = 1000
)

// filterBudget refuses a request whose where arguments exceed the filter
// limits before any resolver runs, in two steps: filter variables as they
// arrive, before gqlgen coerces them, and then the whole validated
// operation, inline values included.
type filterBudget struct {
	schema *ast.Schema
	// cache is the handler's query cache, so a known document is not
	// parsed twice; tokenLimit bounds a parse of our own like gqlgen's.
	cache      graphql.Cache[*ast.QueryDocument]
	tokenLimit int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = filterBudget{}

func (filterBudget) ExtensionName() string                   { return "FilterBudget" }
func (filterBudget) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters measures the variables declared with a filter
// type before gqlgen coerces them: coercion visits every field of the
// input type for each object (some 240 for DeviceWhereInput), which took
// 0.4 s for the OR of 8,000 before a check after it could say no. Every
// declared variable is used (validation insists), so their sum is a lower
// bound of what MutateOperationContext counts.
func (f filterBudget) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if len(p.Variables) == 0 {
		return nil
	}
	op := f.operation(ctx, p)
	if op == nil {
		return nil
	}
	m := filterMeasure{schema: f.schema}
	for _, vd := range op.VariableDefinitions {
		if def := f.schema.Types[vd.Type.Name()]; isFilter(def) {
			if err := m.input(def, vd.Type, p.Variables[vd.Variable], 1); err != nil {
				return err
			}
		}
	}
	return nil
}

// operation is the operation p asks for, or nil when its document does not
// parse (gqlgen reports that next). A parsed document is not cached: only
// validated ones may be.
func (f filterBudget) operation(ctx context.Context, p *graphql.RawParams) *ast.OperationDefinition {
	doc, ok := f.cache.Get(ctx, p.Query)
	if !ok {
		var err error
		if doc, err = parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, f.tokenLimit); err != nil {
			return nil
		}
	}
	return doc.Operations.ForName(p.OperationName)
}

// MutateOperationContext counts every where argument of the operation:
// inline values, variables, and a selection spread or aliased several
// times as often as it runs.
func (f filterBudget) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := filterWalk{schema: f.schema, vars: oc.Variables, frags: map[string]filterCount{}}
	_, err := w.set(oc.Operation.SelectionSet)
	return err
}

// filterCount is what the where arguments of a selection add up to.
type filterCount struct{ terms, joins int }

func (c *filterCount) add(o filterCount) {
	c.terms += o.terms
	c.joins += o.joins
}

// check refuses c once it passes a limit. Counting stops there, so the
// message says "more than": a hostile request costs no more than the
// limit to measure.
func (c filterCount) check() *gqlerror.Error {
	switch {
	case c.terms > MaxFilterTerms:
		return filterError("more than %d terms (fields set in where inputs) in one request", MaxFilterTerms)
	case c.joins > MaxFilterJoins:
		return filterError("more than %d has…With joins in one request", MaxFilterJoins)
	}
	return nil
}

// filterError is INVALID_ARGUMENT (see classify) with reason
// FILTER_LIMIT_EXCEEDED, on the where argument.
func filterError(format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf("filter too large: "+format, args...)
	err.Extensions = map[string]any{"code": "FILTER_LIMIT_EXCEEDED", "field": "where"}
	return err
}

// filterWalk sums the where arguments of an operation's selections. The
// depth limit has already bounded the recursion and validation has
// refused fragment cycles; frags measures each fragment once however
// often it is spread, so the walk is linear in the document.
type filterWalk struct {
	schema *ast.Schema
	vars   map[string]any
	frags  map[string]filterCount
}

func (w *filterWalk) set(set ast.SelectionSet) (filterCount, *gqlerror.Error) {
	var total filterCount
	for _, sel := range set {
		var (
			c   filterCount
			err *gqlerror.Error
		)
		switch s := sel.(type) {
		case *ast.Field:
			c, err = w.field(s)
		case *ast.InlineFragment:
			c, err = w.set(s.SelectionSet)
		case *ast.FragmentSpread:
			c, err = w.fragment(s)
		}
		if err != nil {
			return total, err
		}
		total.add(c)
		if err := total.check(); err != nil {
			return total, err
		}
	}
	return total, nil
}

func (w *filterWalk) fragment(s *ast.FragmentSpread) (filterCount, *gqlerror.Error) {
	if c, ok := w.frags[s.Name]; ok {
		return c, nil
	}
	if s.Definition == nil {
		return filterCount{}, nil
	}
	c, err := w.set(s.Definition.SelectionSet)
	if err == nil {
		w.frags[s.Name] = c
	}
	return c, err
}

func (w *filterWalk) field(f *ast.Field) (filterCount, *gqlerror.Error) {
	var total filterCount
	for _, arg := range f.Arguments {
		if f.Definition == nil {
			break
		}
		def := f.Definition.Arguments.ForName(arg.Name)
		if def == nil || !isFilter(w.schema.Types[def.Type.Name()]) {
			continue
		}
		// A value that does not convert is gqlgen's to refuse when it
		// unmarshals the argument.
		v, err := arg.Value.Value(w.vars)
		if err != nil {
			continue
		}
		m := filterMeasure{schema: w.schema, count: total}
		if err := m.input(w.schema.Types[def.Type.Name()], def.Type, v, 1); err != nil {
			return total, err
		}
		total = m.count
	}
	inner, err := w.set(f.SelectionSet)
	total.add(inner)
	return total, err
}

// isFilter reports whether def is a filter input: entgql names every one
// it generates <Type>WhereInput.
func isFilter(def *ast.Definition) bool {
	return def != nil && def.Kind == ast.InputObject && strings.HasSuffix(def.Name, "WhereInput")
}

// filterMeasure counts one where argument, on top of what the request
// has counted before it, so it can stop as soon as a limit is passed.
type filterMeasure struct {
	schema *ast.Schema
	count  filterCount
}

// input measures v, a value of type t whose named type is the filter def:
// one object, or a list of them.
func (m *filterMeasure) input(def *ast.Definition, t *ast.Type, v any, level int) *gqlerror.Error {
	items, ok := v.([]any)
	if t.Elem == nil || !ok {
		// GraphQL coerces a single value given for a list to a list of one.
		return m.object(def, v, level)
	}
	for _, item := range items {
		if err := m.object(def, item, level); err != nil {
			return err
		}
	}
	return nil
}

func (m *filterMeasure) object(def *ast.Definition, v any, level int) *gqlerror.Error {
	fields, ok := v.(map[string]any)
	if !ok {
		return nil // null
	}
	if level > MaxFilterDepth {
		return filterError("where inputs nested more than %d levels deep", MaxFilterDepth)
	}
	// An empty object is a term too: it still costs a predicate to build
	// (and an error from entgql), and a list of them is no cheaper.
	m.count.terms += max(len(fields), 1)
	if err := m.count.check(); err != nil {
		return err
	}
	for name, fv := range fields {
		if fd := def.Fields.ForName(name); fd != nil {
			if err := m.field(fd, fv, level); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *filterMeasure) field(fd *ast.FieldDefinition, v any, level int) *gqlerror.Error {
	if items, ok := v.([]any); ok && len(items) > MaxFilterList {
		return filterError("%s has %d items, at most %d", fd.Name, len(items), MaxFilterList)
	}
	child := m.schema.Types[fd.Type.Name()]
	if !isFilter(child) {
		return nil
	}
	// Besides and/or/not, a field of filter type is an edge's has…With.
	if name := fd.Name; name != "and" && name != "or" && name != "not" {
		m.count.joins++
		if err := m.count.check(); err != nil {
			return err
		}
	}
	return m.input(child, fd.Type, v, level+1)
}
