package graph

import (
	"math"
	"reflect"

	"entgo.io/contrib/entgql"

	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/graph/generated"
)

// complexity makes the cost of a list field grow with the number of items
// it may return: a connection costs its children times its page size, and
// nodes(ids:) its children times the number of IDs. gqlgen's default adds
// children only, which would let nested connections ask for millions of
// rows under a small score.
//
// The functions are built by reflection over the generated ComplexityRoot,
// so a connection added to the schema is priced without anyone remembering
// to do it here.
func complexity() generated.ComplexityRoot {
	var root generated.ComplexityRoot
	types := reflect.ValueOf(&root).Elem()
	for i := range types.NumField() {
		fields := types.Field(i)
		for j := range fields.NumField() {
			f := fields.Field(j)
			if fn, ok := listComplexity(f.Type()); ok {
				f.Set(fn)
			}
		}
	}
	// Every mutation writes: price it well above a read, so one document
	// cannot batch hundreds of them (e.g. by aliases) under the limit.
	mutations := types.FieldByName("Mutation")
	for j := range mutations.NumField() {
		f := mutations.Field(j)
		if f.IsNil() {
			f.Set(weighted(f.Type(), mutationCost))
		}
	}
	return root
}

// mutationCost is the base cost of one mutation field.
const mutationCost = 50

// weighted returns a complexity function of type t that adds cost to the
// selection's own.
func weighted(t reflect.Type, cost int) reflect.Value {
	return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		return []reflect.Value{reflect.ValueOf(min(cost+int(args[0].Int()), math.MaxInt32))}
	})
}

func listComplexity(t reflect.Type) (reflect.Value, bool) {
	var (
		cursorType = reflect.TypeFor[*entgql.Cursor[nodeid.ID]]()
		intPtrType = reflect.TypeFor[*int]()
		idsType    = reflect.TypeFor[[]nodeid.ID]()
	)
	switch {
	// func(child int, after *Cursor, first *int, before *Cursor, last *int, ...) int
	case t.NumIn() >= 5 && t.In(1) == cursorType && t.In(2) == intPtrType &&
		t.In(3) == cursorType && t.In(4) == intPtrType:
		return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
			n := defaultPage
			for _, a := range []reflect.Value{args[2], args[4]} {
				if !a.IsNil() {
					n = max(int(a.Elem().Int()), 1)
				}
			}
			if n > maxPage {
				// Over the page limit on any connection, nested ones
				// included: price it out of reach.
				return []reflect.Value{reflect.ValueOf(math.MaxInt32)}
			}
			return []reflect.Value{reflect.ValueOf(scaled(int(args[0].Int()), n))}
		}), true
	// func(child int, ids []ID) int
	case t.NumIn() == 2 && t.In(1) == idsType:
		return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
			n := max(args[1].Len(), 1)
			return []reflect.Value{reflect.ValueOf(scaled(int(args[0].Int()), n))}
		}), true
	}
	return reflect.Value{}, false
}

// scaled is 1 + child×n, saturating: a hostile document must not wrap the
// score around to something small.
func scaled(child, n int) int {
	if child > 0 && n > (math.MaxInt32-1)/child {
		return math.MaxInt32
	}
	return min(1+child*n, math.MaxInt32)
}
