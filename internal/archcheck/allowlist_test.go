package archcheck

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// loadTree parses the hand-written, non-test Go of the module this test
// runs in: the working tree, as it is.
func loadTree(t *testing.T) *Module {
	t.Helper()
	root, err := FindRoot(".")
	require.NoError(t, err)
	m, err := Load(root, Options{})
	require.NoError(t, err)
	return m
}

// requireAllowed fails on every found key the allowlist lacks, showing
// its details, and on every allowlisted key no longer found, so an
// allowlist only shrinks: a fixed exception must leave the list.
func requireAllowed[V any](t *testing.T, what string, found map[string][]string, allow map[string]V) {
	t.Helper()
	var problems []string
	for _, key := range sortedKeys(found) {
		if _, ok := allow[key]; !ok {
			problems = append(problems, fmt.Sprintf("%s: %s\n\t%s", what, key, strings.Join(found[key], "\n\t")))
		}
	}
	for _, key := range sortedKeys(allow) {
		if _, ok := found[key]; !ok {
			problems = append(problems, fmt.Sprintf("allowlisted %s %q is fixed: delete it from the allowlist", what, key))
		}
	}
	require.Zero(t, len(problems), "problems:\n%s", strings.Join(problems, "\n"))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
