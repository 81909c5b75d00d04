package deploy

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"sigs.k8s.io/yaml"
)

// dashboard is the part of Grafana's dashboard model the checks read.
type dashboard struct {
	Title      string  `json:"title"`
	UID        string  `json:"uid"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name       string          `json:"name"`
			Type       string          `json:"type"`
			Query      json.RawMessage `json:"query"`
			Datasource *datasource     `json:"datasource"`
		} `json:"list"`
	} `json:"templating"`
}

type panel struct {
	ID         int         `json:"id"`
	Type       string      `json:"type"`
	Title      string      `json:"title"`
	Datasource *datasource `json:"datasource"`
	Panels     []panel     `json:"panels"` // a collapsed row's
	Targets    []struct {
		Expr         string      `json:"expr"`
		LegendFormat string      `json:"legendFormat"`
		RefID        string      `json:"refId"`
		Datasource   *datasource `json:"datasource"`
	} `json:"targets"`
}

type datasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

// templated is the only data source the dashboard may name: the variable,
// so that it imports into any Grafana whatever its Prometheus is called.
var templated = datasource{Type: "prometheus", UID: "${datasource}"}

func TestDashboard(t *testing.T) {
	t.Parallel()
	src := loadSource(t)
	raw, err := os.ReadFile("grafana/pushd-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("pushd-dashboard.json: %v", err)
	}
	if d.Title == "" || d.UID == "" {
		t.Error("the dashboard needs a title and a uid")
	}
	vars := map[string]string{}
	for _, v := range d.Templating.List {
		vars[v.Name] = v.Type
		if v.Type == "query" {
			checkVariableQuery(t, src, v.Name, v.Query, v.Datasource)
		}
	}
	if vars["datasource"] != "datasource" {
		t.Errorf("the dashboard has no datasource variable: %v", vars)
	}
	ids := map[int]bool{}
	queries := 0
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			if ids[p.ID] {
				t.Errorf("panel id %d is used twice", p.ID)
			}
			ids[p.ID] = true
			walk(p.Panels)
			if p.Type == "row" {
				continue
			}
			if p.Datasource == nil || *p.Datasource != templated {
				t.Errorf("panel %q: data source %+v, want %+v", p.Title, p.Datasource, templated)
			}
			if len(p.Targets) == 0 {
				t.Errorf("panel %q has no query", p.Title)
			}
			for _, q := range p.Targets {
				queries++
				if q.Datasource != nil && *q.Datasource != templated {
					t.Errorf("panel %q: query %s's data source %+v", p.Title, q.RefID, q.Datasource)
				}
				for _, ref := range grafanaVar.FindAllString(q.Expr, -1) {
					name := strings.Trim(ref, "${}")
					if _, ok := vars[name]; !ok && !strings.HasPrefix(name, "__") {
						t.Errorf("panel %q uses %s, which the dashboard does not define", p.Title, ref)
					}
				}
				if err := src.checkExpr(expandGrafana(q.Expr), q.LegendFormat); err != nil {
					t.Errorf("panel %q: %v", p.Title, err)
				}
			}
		}
	}
	walk(d.Panels)
	if queries < 20 {
		t.Errorf("only %d queries: the dashboard did not decode as expected", queries)
	}
}

var labelValues = regexp.MustCompile(`^label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$`)

// checkVariableQuery holds a variable's label_values(metric, label) to a
// series pushd exports with that label.
func checkVariableQuery(t *testing.T, src *source, name string, raw json.RawMessage, ds *datasource) {
	t.Helper()
	var q string
	if err := json.Unmarshal(raw, &q); err != nil {
		var obj struct{ Query string }
		if err := json.Unmarshal(raw, &obj); err != nil {
			t.Errorf("variable %s: query %s", name, raw)
			return
		}
		q = obj.Query
	}
	m := labelValues.FindStringSubmatch(q)
	if m == nil {
		t.Errorf("variable %s: %q is not label_values(metric, label)", name, q)
		return
	}
	if err := src.checkExpr(fmt.Sprintf("count by (%s) (%s)", m[2], m[1]), ""); err != nil {
		t.Errorf("variable %s: %v", name, err)
	}
	if ds == nil || *ds != templated {
		t.Errorf("variable %s: data source %+v", name, ds)
	}
}

func TestAlertRules(t *testing.T) {
	t.Parallel()
	src := loadSource(t)
	groups, errs := rulefmt.ParseFile("prometheus/pushd-alerts.yml", false, model.UTF8Validation, promql, slog.New(slog.DiscardHandler))
	for _, err := range errs {
		t.Errorf("pushd-alerts.yml: %v", err)
	}
	if groups == nil {
		return
	}
	alerts := 0
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			alerts++
			if r.Alert == "" || !strings.HasPrefix(r.Alert, "Pushd") {
				t.Errorf("group %s: rule %q is not a pushd alert", g.Name, r.Alert)
			}
			if s := r.Labels["severity"]; s != "warning" && s != "critical" {
				t.Errorf("%s: severity %q", r.Alert, s)
			}
			if r.Annotations["summary"] == "" || r.Annotations["description"] == "" {
				t.Errorf("%s: needs a summary and a description", r.Alert)
			}
			if err := src.checkExpr(r.Expr, ""); err != nil {
				t.Errorf("%s: %v", r.Alert, err)
			}
		}
	}
	if alerts < 10 {
		t.Errorf("only %d alerts", alerts)
	}
}

// adapterRule is one prometheus-adapter discovery rule.
type adapterRule struct {
	SeriesQuery string `json:"seriesQuery"`
	Resources   struct {
		Overrides map[string]struct {
			Resource string `json:"resource"`
		} `json:"overrides"`
	} `json:"resources"`
	Name struct {
		Matches string `json:"matches"`
		As      string `json:"as"`
	} `json:"name"`
	MetricsQuery string `json:"metricsQuery"`
}

// TestAdapterRules holds the prometheus-adapter rules to a metric pushd
// exports and to the name the chart's worker autoscaler asks for.
func TestAdapterRules(t *testing.T) {
	t.Parallel()
	src := loadSource(t)
	raw, err := os.ReadFile("prometheus/adapter-values.yml")
	if err != nil {
		t.Fatal(err)
	}
	var values struct {
		Rules struct {
			External []adapterRule `json:"external"`
			Custom   []adapterRule `json:"custom"`
		} `json:"rules"`
	}
	if err := yaml.UnmarshalStrict(raw, &values); err != nil {
		t.Fatalf("adapter-values.yml: %v", err)
	}
	chartValues, err := os.ReadFile(chartDir + "/values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var chart struct {
		Worker struct {
			Autoscaling struct {
				QueueLag struct {
					MetricName string `json:"metricName"`
				} `json:"queueLag"`
			} `json:"autoscaling"`
		} `json:"worker"`
	}
	if err := yaml.Unmarshal(chartValues, &chart); err != nil {
		t.Fatal(err)
	}
	want := chart.Worker.Autoscaling.QueueLag.MetricName
	for kind, rules := range map[string][]adapterRule{"external": values.Rules.External, "custom": values.Rules.Custom} {
		if len(rules) != 1 {
			t.Errorf("rules.%s: %d rules, want 1", kind, len(rules))
			continue
		}
		r := rules[0]
		if r.Name.As != want {
			t.Errorf("rules.%s serves %q, the chart's autoscaler asks for %q", kind, r.Name.As, want)
		}
		if err := src.checkExpr(r.SeriesQuery, ""); err != nil {
			t.Errorf("rules.%s seriesQuery: %v", kind, err)
		}
		// The adapter fills these in from the HPA's request: the
		// namespace (and the pods) as label matchers and groupings.
		var matchers, groupBy []string
		for label := range r.Resources.Overrides {
			matchers = append(matchers, label+`="x"`)
			groupBy = append(groupBy, label)
		}
		q := strings.NewReplacer(
			"<<.Series>>", want,
			"<<.LabelMatchers>>", strings.Join(matchers, ","),
			"<<.GroupBy>>", strings.Join(groupBy, ","),
		).Replace(r.MetricsQuery)
		if err := src.checkExpr(q, ""); err != nil {
			t.Errorf("rules.%s metricsQuery: %v", kind, err)
		}
	}
}
