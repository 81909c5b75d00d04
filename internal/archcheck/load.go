package archcheck

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
)

// Module is the parsed hand-written Go of one Go module.
type Module struct {
	Root     string // absolute directory holding go.mod
	Path     string // module path from go.mod
	Fset     *token.FileSet
	Packages []*Package // sorted by Dir
}

// Package is the hand-written files of one package. The external test
// package of a directory (package foo_test) is a Package of its own.
type Package struct {
	Dir   string // slash-separated, relative to the module root; "." for the root
	Name  string // package clause name
	Files []*File
	fset  *token.FileSet
}

// Key names the package in reports and allowlists: its directory, plus
// " [xtest]" for an external test package.
func (p *Package) Key() string {
	if strings.HasSuffix(p.Name, "_test") {
		return p.Dir + " [xtest]"
	}
	return p.Dir
}

// File is one parsed source file.
type File struct {
	Path  string // slash-separated, relative to the module root
	AST   *ast.File
	Lines int
	Src   []byte
}

// Base is the file's name without its directory.
func (f *File) Base() string { return filepath.Base(f.Path) }

// Options choose what Load reads.
type Options struct {
	// Tests includes _test.go files.
	Tests bool
}

// FindRoot walks up from dir to the directory holding go.mod.
func FindRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", dir, err)
	}
	for d := abs; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod above %s", abs)
		}
		d = parent
	}
}

// Load parses the hand-written Go of the module rooted at root. Files
// that do not parse are an error: the tools measure source, and a file
// with a syntax error has no shape to measure.
func Load(root string, opts Options) (*Module, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", root, err)
	}
	modPath, err := readModulePath(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	m := &Module{Root: root, Path: modPath, Fset: token.NewFileSet()}
	byKey := map[string]*Package{}
	var errs []error
	walkErr := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := relSlash(root, path)
		if d.IsDir() {
			if path != root && skipDir(path, d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !wantFile(rel, opts) {
			return nil
		}
		f, err := m.parse(path, rel)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		if f == nil {
			return nil
		}
		dir := relSlash(root, filepath.Dir(path))
		key := dir + "\x00" + f.AST.Name.Name
		p := byKey[key]
		if p == nil {
			p = &Package{Dir: dir, Name: f.AST.Name.Name, fset: m.Fset}
			byKey[key] = p
			m.Packages = append(m.Packages, p)
		}
		p.Files = append(p.Files, f)
		return nil
	})
	if walkErr != nil {
		return nil, fmt.Errorf("walk %s: %w", root, walkErr)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(m.Packages, func(i, j int) bool { return m.Packages[i].Key() < m.Packages[j].Key() })
	return m, nil
}

// Package returns the package of directory dir (not its external test
// package), or nil.
func (m *Module) Package(dir string) *Package {
	for _, p := range m.Packages {
		if p.Dir == dir && !strings.HasSuffix(p.Name, "_test") {
			return p
		}
	}
	return nil
}

// parse reads one file, returning nil for a generated or build-ignored
// file.
func (m *Module) parse(path, rel string) (*File, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", rel, err)
	}
	af, err := parser.ParseFile(m.Fset, rel, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", rel, err)
	}
	if ast.IsGenerated(af) || buildIgnored(af) {
		return nil, nil
	}
	return &File{Path: rel, AST: af, Lines: m.Fset.File(af.Pos()).LineCount(), Src: src}, nil
}

func skipDir(path, name string) bool {
	switch {
	case name == "testdata", name == "node_modules", name == "vendor":
		return true
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "_"):
		return true
	}
	// A nested module is somebody else's code.
	_, err := os.Stat(filepath.Join(path, "go.mod"))
	return err == nil
}

// wantFile applies the path rules; the generated-header rule needs the
// parsed file and is applied in parse.
func wantFile(rel string, opts Options) bool {
	if !strings.HasSuffix(rel, ".go") {
		return false
	}
	if strings.HasSuffix(rel, "_test.go") && !opts.Tests {
		return false
	}
	if strings.HasPrefix(rel, "graph/generated/") || rel == "graph/model/models_gen.go" {
		return false
	}
	return true
}

// buildIgnored reports a `//go:build ignore` file (ent/entc.go): it is a
// script run with `go run`, not part of the package it sits in.
func buildIgnored(f *ast.File) bool {
	for _, cg := range f.Comments {
		if cg.Pos() > f.Package {
			break
		}
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//go:build") && strings.Contains(c.Text, "ignore") {
				return true
			}
		}
	}
	return false
}

func readModulePath(gomod string) (string, error) {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", fmt.Errorf("read go.mod: %w", err)
	}
	path := modfile.ModulePath(data)
	if path == "" {
		return "", fmt.Errorf("no module line in %s", gomod)
	}
	return path, nil
}

func relSlash(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}
