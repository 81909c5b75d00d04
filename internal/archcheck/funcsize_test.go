package archcheck

import (
	"fmt"
	"testing"
)

// MaxFuncLines is the longest a function may be without a `long:` reason.
const MaxFuncLines = 80

// longFuncsAllowed are functions over MaxFuncLines let through without a
// reason, keyed as Func.Key spells them: none. It stays as the place a
// generated-looking exception would be argued; TestFunctionSize fails on
// an entry that is short now (or has a `long:` reason, or is gone).
func longFuncsAllowed() map[string]string {
	return map[string]string{}
}

// TestFunctionSize: no hand-written function over MaxFuncLines lines,
// unless its doc comment, or the line right above it, says
// `long: <reason>`.
func TestFunctionSize(t *testing.T) {
	t.Parallel()
	m := loadTree(t)
	found := map[string][]string{}
	for _, f := range m.Funcs() {
		if f.Size > MaxFuncLines && f.Long == "" {
			found[f.Key()] = append(found[f.Key()], fmt.Sprintf("%s:%d: %d lines", f.File.Path, f.Line, f.Size))
		}
	}
	requireAllowed(t, "function over 80 lines", found, longFuncsAllowed())
}
