package archcheck

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// LongestShown is how many functions the report lists by length.
const LongestShown = 25

// WriteReport prints the module's measurements as Markdown.
func WriteReport(w io.Writer, m *Module, opts Options) error {
	r := &reportWriter{w: w}
	scope := "non-test"
	if opts.Tests {
		scope = "including _test.go"
	}
	r.printf("# Architecture measurements: %s\n\n", m.Path)
	r.printf("Hand-written Go (%s; generated files, graph/generated/, graph/model/models_gen.go and build-ignored files skipped), parsed without type checking.\n\n", scope)
	stats := make([]PackageStats, 0, len(m.Packages))
	for _, p := range m.Packages {
		stats = append(stats, p.Stats())
	}
	r.packageTable(stats)
	r.longest(m)
	r.sizeCounts(stats)
	r.cycles(m)
	return r.err
}

type reportWriter struct {
	w   io.Writer
	err error
}

func (r *reportWriter) printf(format string, args ...any) {
	if r.err == nil {
		_, r.err = fmt.Fprintf(r.w, format, args...)
	}
}

func (r *reportWriter) packageTable(stats []PackageStats) {
	r.printf("## Packages\n\n")
	r.printf("| package | lines | files | exported types | exported funcs | exported methods | methods | biggest type (methods exported/all) |\n")
	r.printf("|---|---:|---:|---:|---:|---:|---:|---|\n")
	var total PackageStats
	for _, s := range stats {
		biggest := "-"
		if s.BiggestType != "" {
			biggest = fmt.Sprintf("%s %d/%d", s.BiggestType, s.BiggestExported, s.BiggestAll)
		}
		r.printf("| %s | %d | %d | %d | %d | %d | %d | %s |\n", s.Pkg.Key(), s.Lines, s.Files,
			s.ExportedTypes, s.ExportedFuncs, s.ExportedMethods, s.Methods, biggest)
		total.Lines += s.Lines
		total.Files += s.Files
		total.ExportedTypes += s.ExportedTypes
		total.ExportedFuncs += s.ExportedFuncs
		total.ExportedMethods += s.ExportedMethods
		total.Methods += s.Methods
	}
	r.printf("| **total** (%d packages) | %d | %d | %d | %d | %d | %d | |\n\n", len(stats), total.Lines, total.Files,
		total.ExportedTypes, total.ExportedFuncs, total.ExportedMethods, total.Methods)
}

func (r *reportWriter) longest(m *Module) {
	funcs := m.Funcs()
	sort.SliceStable(funcs, func(i, j int) bool { return funcs[i].Size > funcs[j].Size })
	r.printf("## The %d longest functions\n\n", LongestShown)
	r.printf("Lines from the func keyword to the closing brace.\n\n")
	r.printf("| # | where | function | lines |\n|---:|---|---|---:|\n")
	for i, f := range funcs[:min(LongestShown, len(funcs))] {
		r.printf("| %d | %s:%d | %s | %d |\n", i+1, f.File.Path, f.Line, f.Name(), f.Size)
	}
	r.printf("\n")
}

func (r *reportWriter) sizeCounts(stats []PackageStats) {
	r.printf("## Functions over 50 and over 80 lines\n\n")
	r.printf("| package | > 50 | > 80 |\n|---|---:|---:|\n")
	var over50, over80 int
	for _, s := range stats {
		if s.Over50 == 0 {
			continue
		}
		r.printf("| %s | %d | %d |\n", s.Pkg.Key(), s.Over50, s.Over80)
		over50 += s.Over50
		over80 += s.Over80
	}
	r.printf("| **total** | %d | %d |\n\n", over50, over80)
}

func (r *reportWriter) cycles(m *Module) {
	r.printf("## File-to-file call cycles\n\n")
	r.printf("File A → file B when a function or method declared in A calls one declared in B of the same package. ")
	r.printf("Calls are resolved by name, without type checking: `F()` is a call of the package function F; `x.F()` with x the receiver, a parameter or a local variable whose type the syntax shows (`var x T`, `x := &T{}`) to be a package type T, of T's method F; a variable set from another package's call (`rows, err := db.Query()`) is of another package's type; ")
	r.printf("`x.F()` on a variable of another package's type (or error, or a type parameter), or on a chain starting at an imported package's name, of nothing; any other `x.F()` of every method named F in the package, except Error, Unwrap, String and Close (taken for the standard interfaces' and ignored). ")
	r.printf("So an edge may be false (a foreign method sharing a name with one of ours). ")
	r.printf("Listed: strongly connected components (Tarjan) of more than one file.\n\n")
	r.printf("| package | files in cycle | files |\n|---|---:|---|\n")
	type cycle struct {
		pkg   string
		edges []string
	}
	var all []cycle
	files := 0
	for _, p := range m.Packages {
		g := p.CallGraph()
		for _, scc := range g.Cycles() {
			r.printf("| %s | %d | %s |\n", p.Key(), len(scc), strings.Join(scc, ", "))
			all = append(all, cycle{p.Key(), g.Edges(scc)})
			files += len(scc)
		}
	}
	r.printf("\n%d cycles, %d files in cycles.\n", len(all), files)
	if len(all) == 0 {
		return
	}
	r.printf("\n### Edges inside the cycles\n\nEach with the first call that makes it (file:line: callee as written).\n")
	for _, c := range all {
		r.printf("\n%s:\n\n", c.pkg)
		for _, e := range c.edges {
			r.printf("- %s\n", e)
		}
	}
}
