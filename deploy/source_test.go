package deploy

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// repoRoot is the main module, whose source says what pushd exports and
// which settings and commands it has: the artefacts here are checked
// against it rather than against a copied list that could drift.
const repoRoot = ".."

// exported is one metric family pushd's source registers.
type exported struct {
	kind   string // counter, gauge, histogram, summary, or desc (a collector's)
	labels []string
}

// builtinSeries are series pushd does not name in its source but exports
// all the same: the client library's Go and process collectors, which
// metrics.New registers (checked in sourceMetrics). Only those the
// dashboard and alerts use are listed.
var builtinSeries = map[string]string{
	"go_goroutines":                 "collectors.NewGoCollector",
	"go_memstats_heap_inuse_bytes":  "collectors.NewGoCollector",
	"process_cpu_seconds_total":     "collectors.NewProcessCollector",
	"process_resident_memory_bytes": "collectors.NewProcessCollector",
}

// targetLabels are what Prometheus adds to every scraped series: job and
// instance always, namespace and pod with the scrape configuration in
// docs/deploy.md.
var targetLabels = []string{"job", "instance", "namespace", "pod"}

var (
	sourceOnce  sync.Once
	sourceIndex *source
	sourceErr   error
)

// source is what the artefacts may refer to.
type source struct {
	metrics  map[string]exported
	settings map[string]bool // PUSHD_* variables of config/vars.go
	commands map[string]bool // subcommands of cmd/pushd
}

func loadSource(t *testing.T) *source {
	t.Helper()
	sourceOnce.Do(func() { sourceIndex, sourceErr = readSource(repoRoot) })
	if sourceErr != nil {
		t.Fatalf("reading pushd's source: %v", sourceErr)
	}
	return sourceIndex
}

func readSource(root string) (*source, error) {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(mod, []byte("module github.com/pushd/pushd\n")) {
		return nil, fmt.Errorf("%s is not pushd's module", root)
	}
	s := &source{metrics: map[string]exported{}}
	var collectors []byte
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "testdata", "deploy", "web", "ent":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !bytes.Contains(src, []byte(`"github.com/prometheus/client_golang/prometheus`)) {
			return nil
		}
		collectors = append(collectors, src...)
		return metricsOf(path, src, s.metrics)
	})
	if err != nil {
		return nil, err
	}
	for name, call := range builtinSeries {
		if !bytes.Contains(collectors, []byte(call+"(")) {
			return nil, fmt.Errorf("%s comes from %s, which pushd no longer registers", name, call)
		}
		s.metrics[name] = exported{kind: "builtin"}
	}
	if len(s.metrics) < 10 {
		return nil, fmt.Errorf("found only %d metrics in %s: the reader no longer matches the source", len(s.metrics), root)
	}
	if s.settings, err = matches(filepath.Join(root, "config", "vars.go"), `"(PUSHD_[A-Z0-9_]+)"`); err != nil {
		return nil, err
	}
	if s.commands, err = matches(filepath.Join(root, "cmd", "pushd", "main.go"), `case "([a-z]+)":`); err != nil {
		return nil, err
	}
	return s, nil
}

func matches(path, pattern string) (map[string]bool, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	for _, m := range regexp.MustCompile(pattern).FindAllStringSubmatch(string(src), -1) {
		found[m[1]] = true
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("%s has no match for %s", path, pattern)
	}
	return found, nil
}

// metricsOf adds the metric families registered in one file: the
// constructors prometheus.New<Kind>[Vec|Func](Opts{Name: ...}, labels)
// and prometheus.NewDesc(name, help, labels, ...).
func metricsOf(path string, src []byte, into map[string]exported) error {
	f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	var bad error
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || bad != nil {
			return bad == nil
		}
		fn := prometheusFunc(call.Fun)
		switch {
		case fn == "NewDesc" && len(call.Args) >= 3:
			name, err := stringLit(call.Args[0])
			if err != nil {
				bad = fmt.Errorf("%s: NewDesc: %w", path, err)
				return false
			}
			into[name] = exported{kind: "desc", labels: stringList(call.Args[2])}
		case strings.HasPrefix(fn, "New") && len(call.Args) >= 1:
			lit, ok := call.Args[0].(*ast.CompositeLit)
			if !ok {
				return true
			}
			kind := strings.TrimSuffix(prometheusFunc(lit.Type), "Opts")
			if kind == "" || kind == prometheusFunc(lit.Type) {
				return true
			}
			name, err := optsName(lit)
			if err != nil {
				bad = fmt.Errorf("%s: %s: %w", path, fn, err)
				return false
			}
			var labels []string
			if strings.HasSuffix(fn, "Vec") && len(call.Args) >= 2 {
				labels = stringList(call.Args[1])
			}
			into[name] = exported{kind: strings.ToLower(kind), labels: labels}
		}
		return true
	})
	return bad
}

// prometheusFunc is the selector's name when e is prometheus.<name>.
func prometheusFunc(e ast.Expr) string {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "prometheus" {
		return ""
	}
	return sel.Sel.Name
}

// optsName reads Name from an Opts literal. Namespace and Subsystem would
// prefix it; pushd spells whole names, and a literal that does not is
// reported rather than guessed at.
func optsName(lit *ast.CompositeLit) (string, error) {
	name := ""
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, _ := kv.Key.(*ast.Ident)
		switch {
		case key == nil:
		case key.Name == "Namespace" || key.Name == "Subsystem":
			return "", fmt.Errorf("%s is not supported by this reader", key.Name)
		case key.Name == "Name":
			n, err := stringLit(kv.Value)
			if err != nil {
				return "", err
			}
			name = n
		}
	}
	if name == "" {
		return "", fmt.Errorf("no Name")
	}
	return name, nil
}

func stringLit(e ast.Expr) (string, error) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", fmt.Errorf("metric name is not a string literal")
	}
	return strconv.Unquote(lit.Value)
}

// stringList reads a []string{...} literal; anything else (nil) is no labels.
func stringList(e ast.Expr) []string {
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	var out []string
	for _, el := range lit.Elts {
		if s, err := stringLit(el); err == nil {
			out = append(out, s)
		}
	}
	return out
}

// series resolves a series name to its family: a histogram's _bucket,
// _sum and _count series, a summary's _sum and _count, or the family
// itself. extra are the labels the series has beyond the family's.
func (s *source) series(name string) (fam exported, extra []string, ok bool) {
	if fam, ok := s.metrics[name]; ok && fam.kind != "histogram" {
		return fam, nil, true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		base, found := strings.CutSuffix(name, suffix)
		if !found {
			continue
		}
		fam, ok := s.metrics[base]
		switch {
		case ok && fam.kind == "histogram" && suffix == "_bucket":
			return fam, []string{"le"}, true
		case ok && (fam.kind == "histogram" || fam.kind == "summary"):
			return fam, nil, true
		}
	}
	return exported{}, nil, false
}

func TestSourceReader(t *testing.T) {
	t.Parallel()
	s := loadSource(t)
	// A few families the reader must see, of each construction it handles.
	for name, want := range map[string]string{
		"pushd_queue_lag_seconds":             "desc",
		"pushd_http_request_duration_seconds": "histogram",
		"pushd_gateway_connections":           "gauge",
		"pushd_vendor_deliveries_total":       "counter",
		"pushd_jobs_awaiting_refresh":         "gauge",
	} {
		if got := s.metrics[name].kind; got != want {
			t.Errorf("%s: kind %q, want %q", name, got, want)
		}
	}
	if got := strings.Join(s.metrics["pushd_vendor_deliveries_total"].labels, ","); got != "channel,outcome" {
		t.Errorf("pushd_vendor_deliveries_total labels %q", got)
	}
	for _, c := range []string{"api", "worker", "gateway", "migrate"} {
		if !s.commands[c] {
			t.Errorf("cmd/pushd has no %q command", c)
		}
	}
	if !s.settings["PUSHD_SHUTDOWN_TIMEOUT"] {
		t.Error("config/vars.go has no PUSHD_SHUTDOWN_TIMEOUT")
	}
}
