package main

import (
	"os/exec"
	"path"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The production binary links none of this module's test helpers: the
// vendor fakes (provider/providertest, run by pushd-fakes), the push
// stand-ins, the test databases. They are thousands of lines that serve
// no request, and a fake linked in is a fake that could be configured in.
func TestDepsLeaveTestPackagesOut(t *testing.T) {
	t.Parallel()
	// The package under test is this directory's: ./cmd/pushd. Test
	// files' imports are not among -deps, only the binary's.
	out, err := exec.Command("go", "list", "-deps",
		"-f", "{{with .Module}}{{if .Main}}{{$.ImportPath}}{{end}}{{end}}", ".").CombinedOutput()
	require.NoError(t, err, "go list: %s", out)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/pushd/pushd/provider", "the list names this module's packages")
	for _, dep := range deps {
		name := path.Base(dep)
		require.False(t, strings.HasSuffix(name, "test") || strings.HasPrefix(name, "test"),
			"pushd links the test package %s", dep)
	}
}
