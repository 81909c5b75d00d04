package archcheck

import (
	"bytes"
	"go/ast"
	"go/token"
	"sort"
	"strings"
)

// Func is one function or method declaration.
type Func struct {
	Pkg  *Package
	File *File
	Decl *ast.FuncDecl
	Recv string // receiver type name without pointer or type parameters; "" for a function
	Line int    // line of the func keyword
	Size int    // lines from the func keyword to the closing brace
	// Long is the reason given with a `long:` marker, "" without one.
	Long string
}

// Name is Recv.Name for a method, Name for a function.
func (f *Func) Name() string {
	if f.Recv != "" {
		return f.Recv + "." + f.Decl.Name.Name
	}
	return f.Decl.Name.Name
}

// Key names the function module-wide, as allowlists spell it:
// "push.Service.Accept", "cmd/pushd.main". The package directory rather
// than the file keeps the key stable when a function moves between files.
func (f *Func) Key() string { return f.Pkg.Key() + "." + f.Name() }

// Funcs lists every function and method of the module in file order.
func (m *Module) Funcs() []*Func {
	var out []*Func
	for _, p := range m.Packages {
		out = append(out, p.Funcs()...)
	}
	return out
}

// Funcs lists the package's functions and methods in file order.
func (p *Package) Funcs() []*Func {
	fset := p.fset
	var out []*Func
	for _, f := range p.Files {
		for _, d := range f.AST.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			start := fset.Position(fd.Pos()).Line
			out = append(out, &Func{
				Pkg:  p,
				File: f,
				Decl: fd,
				Recv: recvName(fd),
				Line: start,
				Size: fset.Position(fd.End()).Line - start + 1,
				Long: longReason(fset, f, fd),
			})
		}
	}
	return out
}

// longReason finds the opt-out for a function that is long for a
// reason, `long:` followed by that reason, in the doc comment or on the
// line right above the doc comment (or above the func line, without one).
func longReason(fset *token.FileSet, f *File, fd *ast.FuncDecl) string {
	top := fset.Position(fd.Pos()).Line
	if fd.Doc != nil {
		for _, c := range fd.Doc.List {
			if r := markerReason(c.Text); r != "" {
				return r
			}
		}
		top = fset.Position(fd.Doc.Pos()).Line
	}
	if top < 2 {
		return ""
	}
	line := sourceLine(f.Src, top-1)
	if i := strings.Index(line, "//"); i >= 0 {
		return markerReason(line[i:])
	}
	return ""
}

// markerReason returns the text after `long:` in a comment, "" when the
// marker is missing or gives no reason.
func markerReason(comment string) string {
	_, reason, ok := strings.Cut(comment, "long:")
	if !ok {
		return ""
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(reason), "*/"))
}

// sourceLine returns 1-based line n of src.
func sourceLine(src []byte, n int) string {
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return ""
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return string(src)
}

func recvName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	if id, ok := stripType(fd.Recv.List[0].Type).(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// PackageStats are one package's size and surface.
type PackageStats struct {
	Pkg             *Package
	Lines, Files    int
	ExportedTypes   int
	ExportedFuncs   int // functions without a receiver
	ExportedMethods int
	Methods         int
	// BiggestType is the type with the most methods ("" without methods),
	// with its exported and total method counts.
	BiggestType                 string
	BiggestExported, BiggestAll int
	Over50, Over80              int // functions and methods longer than 50 and 80 lines
}

// Stats measures the package.
func (p *Package) Stats() PackageStats {
	s := PackageStats{Pkg: p, Files: len(p.Files)}
	for _, f := range p.Files {
		s.Lines += f.Lines
		for _, d := range f.AST.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				if ts := spec.(*ast.TypeSpec); ts.Name.IsExported() {
					s.ExportedTypes++
				}
			}
		}
	}
	type count struct{ exported, all int }
	perType := map[string]*count{}
	for _, fn := range p.Funcs() {
		exported := fn.Decl.Name.IsExported()
		switch {
		case fn.Recv == "" && exported:
			s.ExportedFuncs++
		case fn.Recv != "":
			s.Methods++
			c := perType[fn.Recv]
			if c == nil {
				c = &count{}
				perType[fn.Recv] = c
			}
			c.all++
			if exported {
				s.ExportedMethods++
				c.exported++
			}
		}
		if fn.Size > 50 {
			s.Over50++
		}
		if fn.Size > 80 {
			s.Over80++
		}
	}
	names := make([]string, 0, len(perType))
	for n := range perType {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if c := perType[n]; c.all > s.BiggestAll {
			s.BiggestType, s.BiggestExported, s.BiggestAll = n, c.exported, c.all
		}
	}
	return s
}
