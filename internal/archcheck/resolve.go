package archcheck

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

// declIndex is what a package's declarations say: which files declare
// its functions and methods, its types, their struct fields, and the
// result types of its functions and methods.
type declIndex struct {
	funcs   map[string]map[string]bool            // function name -> files
	methods map[string]map[string]bool            // method name -> files
	byType  map[string]map[string]map[string]bool // type -> method name -> files
	types   map[string]bool                       // types declared in the package
	fields  map[string]map[string]ast.Expr        // struct type -> field -> type
	results map[string][]ast.Expr                 // "F" or "T.M" -> result types
}

func indexDecls(p *Package) *declIndex {
	idx := &declIndex{
		funcs:   map[string]map[string]bool{},
		methods: map[string]map[string]bool{},
		byType:  map[string]map[string]map[string]bool{},
		types:   map[string]bool{},
		fields:  map[string]map[string]ast.Expr{},
		results: map[string][]ast.Expr{},
	}
	for _, f := range p.Files {
		for _, d := range f.AST.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				if d.Tok == token.TYPE {
					for _, spec := range d.Specs {
						idx.addType(spec.(*ast.TypeSpec))
					}
				}
			case *ast.FuncDecl:
				idx.addFunc(d, f.Base())
			}
		}
	}
	return idx
}

func (idx *declIndex) addType(ts *ast.TypeSpec) {
	idx.types[ts.Name.Name] = true
	st, ok := ts.Type.(*ast.StructType)
	if !ok {
		return
	}
	fields := map[string]ast.Expr{}
	for _, fl := range st.Fields.List {
		for _, n := range fl.Names {
			fields[n.Name] = fl.Type
		}
	}
	idx.fields[ts.Name.Name] = fields
}

func (idx *declIndex) addFunc(fd *ast.FuncDecl, file string) {
	add := func(m map[string]map[string]bool, name string) {
		if m[name] == nil {
			m[name] = map[string]bool{}
		}
		m[name][file] = true
	}
	var results []ast.Expr
	if fd.Type.Results != nil {
		for _, r := range fd.Type.Results.List {
			for range max(1, len(r.Names)) {
				results = append(results, r.Type)
			}
		}
	}
	name := fd.Name.Name
	if fd.Recv == nil {
		add(idx.funcs, name)
		idx.results[name] = results
		return
	}
	add(idx.methods, name)
	recv := recvName(fd)
	if idx.byType[recv] == nil {
		idx.byType[recv] = map[string]map[string]bool{}
	}
	add(idx.byType[recv], name)
	idx.results[recv+"."+name] = results
}

// funcScope is what the syntax of one function says about the types of
// its names. vars maps a name to its type expression as written; a name
// present with a nil type is known to be of another package's type.
// Shadowing is ignored: the scope is the whole function.
type funcScope struct {
	idx     *declIndex
	imports map[string]bool
	vars    map[string]ast.Expr
}

func newFuncScope(idx *declIndex, imports map[string]bool, fd *ast.FuncDecl) *funcScope {
	sc := &funcScope{idx: idx, imports: imports, vars: map[string]ast.Expr{}}
	if fd.Recv != nil {
		sc.learnFields(fd.Recv.List)
	}
	sc.learnFields(fd.Type.Params.List)
	return sc
}

func (sc *funcScope) learnFields(fields []*ast.Field) {
	for _, fl := range fields {
		for _, n := range fl.Names {
			sc.vars[n.Name] = fl.Type
		}
	}
}

// isImport reports a name that stands for an imported package here.
func (sc *funcScope) isImport(name string) bool {
	_, isVar := sc.vars[name]
	return sc.imports[name] && !isVar
}

// learn records what a node of the body says about a local name's type.
// ast.Inspect visits in source order, so a declaration is learnt before
// its uses.
func (sc *funcScope) learn(n ast.Node) {
	switch x := n.(type) {
	case *ast.FuncLit:
		sc.learnFields(x.Type.Params.List)
	case *ast.ValueSpec:
		for i, name := range x.Names {
			if x.Type != nil {
				sc.vars[name.Name] = x.Type
			} else if i < len(x.Values) {
				sc.set(name, x.Values[i])
			}
		}
	case *ast.AssignStmt:
		if x.Tok != token.DEFINE {
			return
		}
		if len(x.Lhs) == len(x.Rhs) {
			for i, l := range x.Lhs {
				sc.set(l, x.Rhs[i])
			}
			return
		}
		if call, ok := x.Rhs[0].(*ast.CallExpr); ok && len(x.Rhs) == 1 {
			types, known := sc.results(call)
			if !known {
				return
			}
			for i, l := range x.Lhs {
				var t ast.Expr // another package's, unless ours says otherwise
				if i < len(types) {
					t = types[i]
				}
				sc.setType(l, t)
			}
		}
	case *ast.RangeStmt:
		if x.Tok != token.DEFINE {
			return
		}
		t, ok := sc.typeOf(x.X)
		if !ok || t == nil {
			return
		}
		switch c := ast.Unparen(t).(type) {
		case *ast.ArrayType:
			if x.Value != nil {
				sc.setType(x.Value, c.Elt)
			}
		case *ast.MapType:
			sc.setType(x.Key, c.Key)
			if x.Value != nil {
				sc.setType(x.Value, c.Value)
			}
		}
	}
}

func (sc *funcScope) set(lhs ast.Expr, rhs ast.Expr) {
	if t, ok := sc.typeOf(rhs); ok {
		sc.setType(lhs, t)
	}
}

func (sc *funcScope) setType(lhs ast.Expr, t ast.Expr) {
	if id, ok := lhs.(*ast.Ident); ok && id.Name != "_" {
		sc.vars[id.Name] = t
	}
}

// results are a call's result types: known and nil for another
// package's function (a package we import cannot return one of our
// types, short of an interface), known for a function of ours or a
// method of one of our types, unknown otherwise.
func (sc *funcScope) results(call *ast.CallExpr) ([]ast.Expr, bool) {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		r, ok := sc.idx.results[fun.Name]
		return r, ok
	case *ast.SelectorExpr:
		if root := chainRoot(fun.X); root != nil && sc.isImport(root.Name) {
			return nil, true
		}
		if t, ok := sc.typeOf(fun.X); ok {
			if name, local := sc.named(t); local {
				r, ok := sc.idx.results[name+"."+fun.Sel.Name]
				return r, ok
			}
		}
	}
	return nil, false
}

// typeOf is the type expression of e as far as the syntax shows it:
// known with a nil type for another package's type, unknown (false)
// when the syntax does not say.
func (sc *funcScope) typeOf(e ast.Expr) (ast.Expr, bool) {
	switch x := e.(type) {
	case *ast.Ident:
		t, ok := sc.vars[x.Name]
		return t, ok
	case *ast.ParenExpr:
		return sc.typeOf(x.X)
	case *ast.StarExpr:
		t, ok := sc.typeOf(x.X)
		if star, isStar := t.(*ast.StarExpr); ok && isStar {
			return star.X, true
		}
		return t, ok
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return sc.typeOf(x.X)
		}
	case *ast.CompositeLit:
		if x.Type != nil {
			return x.Type, true
		}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok && sc.isImport(id.Name) {
			return nil, true // a package-level variable of another package
		}
		t, ok := sc.typeOf(x.X)
		if !ok || t == nil {
			return t, ok
		}
		return sc.fieldType(t, x.Sel.Name)
	case *ast.IndexExpr:
		t, ok := sc.typeOf(x.X)
		if !ok || t == nil {
			return t, ok
		}
		switch c := ast.Unparen(t).(type) {
		case *ast.ArrayType:
			return c.Elt, true
		case *ast.MapType:
			return c.Value, true
		}
	case *ast.CallExpr:
		if r, ok := sc.results(x); ok {
			if len(r) == 0 {
				return nil, true // another package's function
			}
			return r[0], true
		}
	}
	return nil, false
}

// fieldType is the type of field name of a value of type t.
func (sc *funcScope) fieldType(t ast.Expr, name string) (ast.Expr, bool) {
	typ, local := sc.named(t)
	if !local {
		if _, foreign := stripType(t).(*ast.SelectorExpr); foreign {
			return nil, true
		}
		return nil, false
	}
	ft, ok := sc.idx.fields[typ][name]
	return ft, ok // a method value or a promoted field is unknown
}

// named is T for a type expression T, *T or T[P] naming a type of the
// package.
func (sc *funcScope) named(t ast.Expr) (string, bool) {
	if id, ok := stripType(t).(*ast.Ident); ok && sc.idx.types[id.Name] {
		return id.Name, true
	}
	return "", false
}

func stripType(t ast.Expr) ast.Expr {
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		default:
			return t
		}
	}
}

// callees returns the files a call's function expression may reach:
//
//   - `f()` (or `f[T]()`) reaches the package function f;
//   - `x.f()` where the syntax shows x's type (a receiver, parameter,
//     `var x T`, `x := &T{}`, a field of such a value, the result of one
//     of our functions...) reaches that type's method f when it is a type
//     T of the package (every method named f when T declares none, as for
//     an interface or an embedded field), and nothing when it is another
//     package's type, a predeclared one (error) or a type parameter;
//   - `x.f()` whose chain starts at an imported package's name
//     (`zerolog.Ctx(ctx).Info()`) reaches nothing;
//   - any other `x.f()` reaches every method named f in the package,
//     except the methods of error, fmt.Stringer and io.Closer (Error,
//     Unwrap, String, Close), nearly always another package's there.
//
// The last rule over-approximates: a method of another package's type
// with the same name as one of ours makes a false edge. That is the
// price of no type checking.
func (sc *funcScope) callees(fun ast.Expr) map[string]bool {
	switch fun := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return sc.idx.funcs[fun.Name]
	case *ast.IndexExpr:
		if id, ok := fun.X.(*ast.Ident); ok {
			return sc.idx.funcs[id.Name]
		}
	case *ast.IndexListExpr:
		if id, ok := fun.X.(*ast.Ident); ok {
			return sc.idx.funcs[id.Name]
		}
	case *ast.SelectorExpr:
		return sc.methodCallees(fun)
	}
	return nil
}

func (sc *funcScope) methodCallees(fun *ast.SelectorExpr) map[string]bool {
	name := fun.Sel.Name
	if t, ok := sc.typeOf(fun.X); ok {
		if t == nil {
			return nil
		}
		typ, local := sc.named(t)
		switch {
		case local && len(sc.idx.byType[typ][name]) > 0:
			return sc.idx.byType[typ][name]
		case local:
			return sc.idx.methods[name] // an interface or a promoted method
		}
		switch stripType(t).(type) {
		case *ast.Ident, *ast.SelectorExpr:
			return nil // another package's type, error, a type parameter
		}
	}
	if root := chainRoot(fun.X); root != nil && sc.isImport(root.Name) {
		return nil
	}
	switch name {
	case "Error", "Unwrap", "String", "Close":
		return nil
	}
	return sc.idx.methods[name]
}

// chainRoot is the identifier a selector or call chain starts from:
// zerolog for zerolog.Ctx(ctx).Info().
func chainRoot(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.CallExpr:
			e = x.Fun
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// importNames are the names a file's imports bind.
func importNames(f *ast.File) map[string]bool {
	out := map[string]bool{}
	for _, im := range f.Imports {
		if im.Name != nil {
			out[im.Name.Name] = true
			continue
		}
		path, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		// Without type information the package name is guessed from the
		// path: its last element, less a "/vN" major version and a
		// "go-" prefix (github.com/redis/go-redis/v9 binds redis).
		elems := strings.Split(path, "/")
		name := elems[len(elems)-1]
		if len(elems) > 1 && len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
			name = elems[len(elems)-2]
		}
		name, _, _ = strings.Cut(name, ".") // gopkg.in/yaml.v3 binds yaml
		name = strings.TrimPrefix(name, "go-")
		out[strings.ReplaceAll(name, "-", "_")] = true
	}
	return out
}
