package archcheck

import (
	"fmt"
	"strings"
	"testing"
)

// fileCyclesAllowed are today's file-to-file call cycles inside push/,
// as "package: sorted files". Only delete entries (or replace one by the
// smaller cycle it became): TestNoFileCyclesInDomain fails on one that
// is gone.
func fileCyclesAllowed() map[string]string {
	return map[string]string{
		"push: accept.go binding.go dispatch.go lease.go progress.go request.go revoke.go schedule.go selfchannel.go send.go vendor.go": "",
	}
}

// TestNoFileCyclesInDomain: the files of a push/ package call each other
// one way only, so each file can be read knowing only the files below it.
func TestNoFileCyclesInDomain(t *testing.T) {
	t.Parallel()
	m := loadTree(t)
	found := map[string][]string{}
	for _, p := range m.Packages {
		if p.Dir != "push" && !strings.HasPrefix(p.Dir, "push/") {
			continue
		}
		g := p.CallGraph()
		for _, scc := range g.Cycles() {
			key := fmt.Sprintf("%s: %s", p.Key(), strings.Join(scc, " "))
			found[key] = g.Edges(scc)
		}
	}
	requireAllowed(t, "file cycle", found, fileCyclesAllowed())
}
