package archcheck

import (
	"fmt"
	"go/ast"
	"sort"
	"strings"
)

// FileGraph is "a function declared in file A calls a function or method
// declared in file B" between the files of one package, keyed by base
// file name. The value is the first call that makes the edge, as
// "line: callee", to show what to move when breaking a cycle.
type FileGraph map[string]map[string]string

// CallGraph builds the package's file graph, resolving each call from
// syntax alone (see callees). Calls within one file make no edge.
func (p *Package) CallGraph() FileGraph {
	idx := indexDecls(p)
	g := FileGraph{}
	for _, f := range p.Files {
		from := f.Base()
		g[from] = map[string]string{}
		imports := importNames(f.AST)
		for _, d := range f.AST.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			sc := newFuncScope(idx, imports, fd)
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				sc.learn(n)
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				for to := range sc.callees(call.Fun) {
					if _, seen := g[from][to]; !seen && to != from {
						g[from][to] = fmt.Sprintf("%d: %s", p.fset.Position(call.Pos()).Line, calleeName(call.Fun))
					}
				}
				return true
			})
		}
	}
	return g
}

// calleeName is how a call names its function: "s.send", "plan".
func calleeName(fun ast.Expr) string {
	switch fun := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return fun.Name
	case *ast.SelectorExpr:
		if x, ok := fun.X.(*ast.Ident); ok {
			return x.Name + "." + fun.Sel.Name
		}
		return "…." + fun.Sel.Name
	case *ast.IndexExpr:
		return calleeName(fun.X)
	case *ast.IndexListExpr:
		return calleeName(fun.X)
	}
	return "?"
}

// Edges lists the graph's edges among files, sorted, as "from → to (line: call)".
func (g FileGraph) Edges(among []string) []string {
	in := map[string]bool{}
	for _, f := range among {
		in[f] = true
	}
	var out []string
	for from, tos := range g {
		for to, why := range tos {
			if in[from] && in[to] {
				out = append(out, fmt.Sprintf("%s → %s (%s:%s)", from, to, from, why))
			}
		}
	}
	sort.Strings(out)
	return out
}

// Cycles returns the graph's strongly connected components of more than
// one file, each sorted, in sorted order.
func (g FileGraph) Cycles() [][]string {
	var out [][]string
	for _, scc := range tarjan(g) {
		if len(scc) > 1 {
			sort.Strings(scc)
			out = append(out, scc)
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.Join(out[i], " ") < strings.Join(out[j], " ") })
	return out
}

// tarjan is Tarjan's strongly connected components algorithm. It is a
// few dozen lines, so it is written here rather than pulling a graph
// library into the module for it.
func tarjan(g FileGraph) [][]string {
	nodes := make([]string, 0, len(g))
	for n := range g {
		nodes = append(nodes, n)
	}
	sort.Strings(nodes) // deterministic output
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var out [][]string
	next := 0
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		succ := make([]string, 0, len(g[v]))
		for w := range g[v] {
			succ = append(succ, w)
		}
		sort.Strings(succ)
		for _, w := range succ {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var scc []string
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			scc = append(scc, w)
			if w == v {
				break
			}
		}
		out = append(out, scc)
	}
	for _, v := range nodes {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	return out
}
