package archcheck

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// LinkedDirs returns the module-relative directories of the module's
// packages that the package pattern (say "./cmd/pushd") links, itself
// included, as `go list -deps` reports them. -e keeps going on a tree
// with errors: a package that does not compile is still listed.
func LinkedDirs(ctx context.Context, m *Module, pattern string) ([]string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-e", "-deps", "-f", "{{.ImportPath}} {{.Dir}}", pattern)
	cmd.Dir = m.Root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps %s: %w: %s", pattern, err, strings.TrimSpace(stderr.String()))
	}
	var dirs []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		importPath, dir, ok := strings.Cut(line, " ")
		if !ok || (importPath != m.Path && !strings.HasPrefix(importPath, m.Path+"/")) {
			continue // the standard library and other modules
		}
		rel, err := filepath.Rel(m.Root, dir)
		if err != nil {
			return nil, fmt.Errorf("package %s: %w", importPath, err)
		}
		dirs = append(dirs, filepath.ToSlash(rel))
	}
	sort.Strings(dirs)
	return dirs, nil
}
