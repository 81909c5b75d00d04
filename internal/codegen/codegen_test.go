// Package codegen holds the check that generated code is current.
package codegen

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pushd/pushd/graph"
)

// TestGeneratedCodeIsCurrent regenerates ent and gqlgen output in a copy
// of the repository and fails on any difference: generated code is
// committed, and a schema change without `make generate` must not land.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	tmp := t.TempDir()
	require.NoError(t, copyTree(root, tmp))

	for _, args := range [][]string{
		{"run", "-mod=mod", "./ent/entc.go"},
		{"tool", "gqlgen", "generate"},
	} {
		cmd := exec.Command("go", args...)
		cmd.Dir = tmp
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
	}

	for _, dir := range []string{"ent", "graph"} {
		want := files(t, filepath.Join(tmp, dir))
		got := files(t, filepath.Join(root, dir))
		for name := range want {
			_, ok := got[name]
			require.True(t, ok, "%s/%s would be generated but is not committed: run make generate", dir, name)
		}
		for name, content := range got {
			regenerated, ok := want[name]
			require.True(t, ok, "%s/%s is no longer generated: run make generate", dir, name)
			require.True(t, bytes.Equal(content, regenerated), "%s/%s differs from what generation makes: run make generate", dir, name)
		}
	}
}

// TestConsoleSchemaIsCurrent keeps web/schema.graphql, from which the
// console generates its TypeScript types, equal to the served schema: a
// schema change then breaks the console's build, not its users.
func TestConsoleSchemaIsCurrent(t *testing.T) {
	t.Parallel()
	got, err := os.ReadFile("../../web/schema.graphql")
	require.NoError(t, err, "run make generate")
	require.True(t, string(got) == graph.SDL(), "web/schema.graphql differs from the served schema: run make generate")
}

func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = b
		return nil
	})
	require.NoError(t, err)
	return out
}

// copyTree copies the sources that generation reads, skipping VCS data,
// dependencies and runtime data.
func copyTree(src, dst string) error {
	skip := map[string]bool{".git": true, "node_modules": true, "pushd-data": true, "bin": true, "dist": true}
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			if skip[d.Name()] && rel != "." {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
}
