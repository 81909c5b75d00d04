package graph

import (
	"context"
	"encoding/json"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// MaxDepth is the deepest selection an operation may have. The deepest
// useful console query (a connection's node's edge's connection's node …)
// is about 10 levels; beyond this limit a document is an attack or a bug.
const MaxDepth = 15

// depthLimit rejects operations nested deeper than MaxDepth before they
// run. Complexity already prices nested lists, but a deep chain of single
// objects costs little under it and still walks the database per level.
type depthLimit struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if d := depth(oc.Operation.SelectionSet, 0); d > MaxDepth {
		err := gqlerror.Errorf("operation is nested %d levels deep, more than the limit of %d", d, MaxDepth)
		err.Extensions = map[string]any{"code": "DEPTH_LIMIT_EXCEEDED"}
		return err
	}
	return pageSizes(oc.Operation.SelectionSet, oc.Variables, 0)
}

// pageSizes rejects first/last over maxPage on any connection, nested ones
// included, with words that say so (the complexity limit would catch them
// too, less clearly). The depth check has bounded the walk.
func pageSizes(set ast.SelectionSet, vars map[string]any, level int) *gqlerror.Error {
	if level > MaxDepth {
		return nil
	}
	for _, sel := range set {
		var inner ast.SelectionSet
		switch s := sel.(type) {
		case *ast.Field:
			for _, name := range []string{"first", "last"} {
				arg := s.Arguments.ForName(name)
				if arg == nil {
					continue
				}
				v, _ := arg.Value.Value(vars)
				if n, ok := asInt(v); ok && (n < 0 || n > maxPage) {
					err := gqlerror.Errorf("%s must be between 0 and %d, got %d", name, maxPage, n)
					err.Extensions = map[string]any{"code": "PAGE_SIZE_EXCEEDED", "field": name}
					return err
				}
			}
			inner = s.SelectionSet
		case *ast.InlineFragment:
			inner = s.SelectionSet
		case *ast.FragmentSpread:
			if s.Definition != nil {
				inner = s.Definition.SelectionSet
			}
		}
		if err := pageSizes(inner, vars, level+1); err != nil {
			return err
		}
	}
	return nil
}

func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		return int64(n), true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

// depth measures a selection set, looking through fragments. It stops as
// soon as the limit is passed, so a hostile document costs no more than
// the limit to measure; validation has already rejected fragment cycles.
func depth(set ast.SelectionSet, level int) int {
	if level > MaxDepth {
		return level
	}
	deepest := level
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if len(s.SelectionSet) == 0 {
				d = level + 1
			} else {
				d = depth(s.SelectionSet, level+1)
			}
		case *ast.InlineFragment:
			d = depth(s.SelectionSet, level)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				d = depth(s.Definition.SelectionSet, level)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}
