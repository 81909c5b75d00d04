package graph

import (
	"context"

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
	return nil
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
