package archcheck

import (
	"fmt"
	"strings"
	"testing"
)

// fileCyclesAllowed are file-to-file call cycles inside push/ that are
// still allowed, as "package: sorted files": none. Add one only with the
// reason it cannot be broken.
func fileCyclesAllowed() map[string]string {
	return map[string]string{}
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
