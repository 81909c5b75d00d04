package archcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReadmeNamesEveryPackage keeps the README's layout table in step with
// the code: every hand-written package is named there, in backticks, and
// every package the table names exists.
func TestReadmeNamesEveryPackage(t *testing.T) {
	t.Parallel()
	m := loadTree(t)
	readme, err := os.ReadFile(filepath.Join(m.Root, "README.md"))
	require.NoError(t, err)
	text := string(readme)
	for _, p := range m.Packages {
		if p.Dir == "." || strings.HasSuffix(p.Dir, "/cmd/archstat") {
			continue // the module root; the measurement command, named with its package
		}
		named := strings.Contains(text, "`"+p.Dir+"`") || strings.Contains(text, "`"+p.Dir+"/`")
		require.True(t, named, "README.md's layout names package %s", p.Dir)
	}
	_, table, ok := strings.Cut(text, "\n| package |")
	require.True(t, ok, "README.md has a layout table")
	table, _, _ = strings.Cut(table, "\n\n")
	for _, line := range strings.Split(table, "\n") {
		name, ok := tableName(line)
		if !ok {
			continue
		}
		_, err := os.Stat(filepath.Join(m.Root, name))
		require.NoError(t, err, "README.md's layout names %s, which is not in the repository", name)
	}
}

// tableName reads the package a layout row names: "| `push/core` | …".
func tableName(line string) (string, bool) {
	rest, ok := strings.CutPrefix(line, "| `")
	if !ok {
		return "", false
	}
	name, _, ok := strings.Cut(rest, "`")
	if !ok || strings.HasPrefix(name, "/") || strings.ContainsAny(name, " =") {
		return "", false // a route or a setting, not a package
	}
	return name, true
}
