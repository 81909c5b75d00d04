package deploy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

var promql = parser.NewParser(parser.Options{})

// checkExpr parses a PromQL expression and checks it against pushd's
// source: every series it selects is one pushd exports, every label it
// matches on or groups by is one those series have (or a target label),
// and so is every label in legend, a Grafana legend format.
func (s *source) checkExpr(expr, legend string) error {
	e, err := promql.ParseExpr(expr)
	if err != nil {
		return fmt.Errorf("%q: %w", expr, err)
	}
	all := map[string]bool{}
	for _, l := range targetLabels {
		all[l] = true
	}
	var bad error
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if bad != nil {
			return bad
		}
		switch n := n.(type) {
		case *parser.VectorSelector:
			have, err := s.selectorLabels(n.LabelMatchers)
			if err != nil {
				bad = fmt.Errorf("%q: %w", expr, err)
				return bad
			}
			for l := range have {
				all[l] = true
			}
		case *parser.AggregateExpr:
			if err := s.checkGrouping(n); err != nil {
				bad = fmt.Errorf("%q: %w", expr, err)
			}
		case *parser.BinaryExpr:
			if n.VectorMatching != nil {
				for _, l := range append(slices.Clone(n.VectorMatching.MatchingLabels), n.VectorMatching.Include...) {
					if !s.exprHasLabel(n, l) {
						bad = fmt.Errorf("%q: matches on %q, a label neither side has", expr, l)
					}
				}
			}
		}
		return bad
	})
	if bad != nil {
		return bad
	}
	for _, m := range legendLabel.FindAllStringSubmatch(legend, -1) {
		if !all[m[1]] {
			return fmt.Errorf("legend %q names %q, which %q has no series with", legend, m[1], expr)
		}
	}
	return nil
}

var legendLabel = regexp.MustCompile(`\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}`)

// selectorLabels checks one selector and returns the labels its series
// carry.
func (s *source) selectorLabels(ms []*labels.Matcher) (map[string]bool, error) {
	name := ""
	for _, m := range ms {
		if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
			name = m.Value
		}
	}
	if name == "" {
		return nil, fmt.Errorf("a selector without a metric name")
	}
	have := map[string]bool{}
	for _, l := range targetLabels {
		have[l] = true
	}
	if name != "up" { // Prometheus's own series of each target
		fam, extra, ok := s.series(name)
		if !ok {
			return nil, fmt.Errorf("pushd exports no %s", name)
		}
		for _, l := range append(slices.Clone(fam.labels), extra...) {
			have[l] = true
		}
	}
	for _, m := range ms {
		if m.Name != labels.MetricName && !have[m.Name] {
			return nil, fmt.Errorf("%s has no label %q", name, m.Name)
		}
	}
	return have, nil
}

// checkGrouping checks by (...) and without (...) against the labels of
// the series under the aggregation.
func (s *source) checkGrouping(a *parser.AggregateExpr) error {
	for _, l := range a.Grouping {
		if !s.exprHasLabel(a.Expr, l) {
			return fmt.Errorf("%s groups by %q, which no series under it has", a.Op, l)
		}
	}
	return nil
}

// exprHasLabel says whether some series selected under n has label l.
func (s *source) exprHasLabel(n parser.Node, l string) bool {
	found := false
	parser.Inspect(n, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok && !found {
			have, err := s.selectorLabels(vs.LabelMatchers)
			found = err == nil && have[l]
		}
		return nil
	})
	return found
}

// grafanaVars stands in for the variables Grafana expands before a query
// reaches Prometheus, so that the query parses as it will be run.
var grafanaVars = strings.NewReplacer(
	"$__rate_interval", "5m",
	"${__rate_interval}", "5m",
	"$__interval", "1m",
	"$__range", "1h",
)

var grafanaVar = regexp.MustCompile(`\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?`)

// expandGrafana replaces Grafana's variables: the interval ones by
// durations, template variables (which only stand in label values here)
// by a regexp that matches anything.
func expandGrafana(expr string) string {
	return grafanaVar.ReplaceAllString(grafanaVars.Replace(expr), ".*")
}

// TestCheckExprRefuses shows the checker failing on each kind of mistake
// it is there to catch, so that a green dashboard or rule check means
// something.
func TestCheckExprRefuses(t *testing.T) {
	t.Parallel()
	src := loadSource(t)
	for _, c := range []struct{ expr, legend string }{
		{"pushd_queue_lag", ""},                                        // no such metric
		{`pushd_queue_lag_seconds{state="x"}`, ""},                     // no such label
		{"sum by (channel) (pushd_queue_lag_seconds)", ""},             // grouping by a label it lacks
		{"rate(pushd_http_request_duration_seconds[5m])", ""},          // a histogram's family, not a series
		{`pushd_deliveries_total`, ""},                                 // a name pushd does not use
		{"max by (queue) (pushd_queue_lag_seconds)", "{{channel}}"},    // legend label not there
		{"pushd_queue_lag_seconds / on (reason) pushd_deliveries", ""}, // matching on a missing label
		{"sum(rate(pushd_http_requests_total[5m])", ""},                // does not parse
	} {
		if err := src.checkExpr(c.expr, c.legend); err == nil {
			t.Errorf("%q (legend %q) passed", c.expr, c.legend)
		}
	}
	for _, ok := range []string{
		`histogram_quantile(0.99, sum by (le) (rate(pushd_http_request_duration_seconds_bucket{route="/graphql"}[5m])))`,
		`up{job="pushd"} == 0`,
		`sum by (pod) (rate(process_cpu_seconds_total[5m]))`,
	} {
		if err := src.checkExpr(ok, ""); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}
