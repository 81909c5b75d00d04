// Package deploy holds the tests of the deployment artefacts beside it:
// the Helm chart (helm/pushd), the Grafana dashboard (grafana) and the
// Prometheus rules (prometheus). It is a module of its own so that pushd's
// module does not take on Helm's and Kubernetes' dependencies.
package deploy

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/releaseutil"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"
)

const chartDir = "helm/pushd"

// roles are the Deployments the chart runs, each a pushd subcommand.
var roles = []string{"api", "worker", "gateway"}

// manifests are the objects of one rendering, strictly decoded.
type manifests struct {
	deployments map[string]*appsv1.Deployment
	services    map[string]*corev1.Service
	configMaps  map[string]*corev1.ConfigMap
	secrets     map[string]*corev1.Secret
	pdbs        map[string]*policyv1.PodDisruptionBudget
	hpas        map[string]*autoscalingv2.HorizontalPodAutoscaler
	jobs        map[string]*batchv1.Job
}

// render renders the chart as helm install would, with the given values
// files and overrides on top of the chart's own values.
func render(t *testing.T, overrides map[string]any, files ...string) *manifests {
	t.Helper()
	chrt, err := loader.Load(chartDir)
	if err != nil {
		t.Fatalf("loading the chart: %v", err)
	}
	vals := map[string]any{}
	for _, f := range files {
		v, err := chartutil.ReadValuesFile(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		vals = chartutil.CoalesceTables(v.AsMap(), vals)
	}
	vals = chartutil.CoalesceTables(overrides, vals)
	opts := chartutil.ReleaseOptions{Name: "push", Namespace: "pushd", Revision: 1, IsInstall: true}
	top, err := chartutil.ToRenderValues(chrt, vals, opts, chartutil.DefaultCapabilities)
	if err != nil {
		t.Fatalf("values: %v", err)
	}
	// Strict: a template that reads a value the chart does not define
	// fails instead of rendering an empty string.
	out, err := engine.Engine{Strict: true}.Render(chrt, top)
	if err != nil {
		t.Fatalf("rendering: %v", err)
	}
	m := &manifests{
		deployments: map[string]*appsv1.Deployment{}, services: map[string]*corev1.Service{},
		configMaps: map[string]*corev1.ConfigMap{}, secrets: map[string]*corev1.Secret{},
		pdbs: map[string]*policyv1.PodDisruptionBudget{}, hpas: map[string]*autoscalingv2.HorizontalPodAutoscaler{},
		jobs: map[string]*batchv1.Job{},
	}
	for _, file := range slices.Sorted(maps.Keys(out)) {
		if !strings.HasSuffix(file, ".yaml") {
			continue // NOTES.txt
		}
		for _, doc := range releaseutil.SplitManifests(out[file]) {
			if strings.TrimSpace(doc) == "" {
				continue
			}
			if err := m.add(doc); err != nil {
				t.Fatalf("%s: %v\n%s", file, err, doc)
			}
		}
	}
	return m
}

// add decodes one manifest into its API type, refusing fields the type
// does not have: a misspelt or misplaced field would otherwise be dropped
// by the API server without a word.
func (m *manifests) add(doc string) error {
	var head metav1.TypeMeta
	if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
		return err
	}
	var name string
	decode := func(obj interface{ GetName() string }) error {
		if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
			return fmt.Errorf("%s %s: %w", head.APIVersion, head.Kind, err)
		}
		name = obj.GetName()
		if name == "" {
			return fmt.Errorf("%s without a name", head.Kind)
		}
		return nil
	}
	var err error
	switch head.APIVersion + " " + head.Kind {
	case "apps/v1 Deployment":
		o := &appsv1.Deployment{}
		if err = decode(o); err == nil {
			m.deployments[name] = o
		}
	case "v1 Service":
		o := &corev1.Service{}
		if err = decode(o); err == nil {
			m.services[name] = o
		}
	case "v1 ConfigMap":
		o := &corev1.ConfigMap{}
		if err = decode(o); err == nil {
			m.configMaps[name] = o
		}
	case "v1 Secret":
		o := &corev1.Secret{}
		if err = decode(o); err == nil {
			m.secrets[name] = o
		}
	case "policy/v1 PodDisruptionBudget":
		o := &policyv1.PodDisruptionBudget{}
		if err = decode(o); err == nil {
			m.pdbs[name] = o
		}
	case "autoscaling/v2 HorizontalPodAutoscaler":
		o := &autoscalingv2.HorizontalPodAutoscaler{}
		if err = decode(o); err == nil {
			m.hpas[name] = o
		}
	case "batch/v1 Job":
		o := &batchv1.Job{}
		if err = decode(o); err == nil {
			m.jobs[name] = o
		}
	default:
		return fmt.Errorf("unexpected %s %s", head.APIVersion, head.Kind)
	}
	return err
}

func TestChartDefaults(t *testing.T) {
	t.Parallel()
	m := render(t, nil)
	m.check(t, loadSource(t))
	if len(m.hpas) != 1 || m.hpas["push-pushd-gateway"] == nil {
		t.Errorf("by default only the gateway autoscales (the worker's needs prometheus-adapter): %v", slices.Sorted(maps.Keys(m.hpas)))
	}
	if got := *m.deployments["push-pushd-worker"].Spec.Replicas; got != 2 {
		t.Errorf("worker replicas %d", got)
	}
}

func TestChartEverythingOn(t *testing.T) {
	t.Parallel()
	m := render(t, nil, filepath.Join(chartDir, "ci", "full-values.yaml"))
	m.check(t, loadSource(t))
	for _, role := range roles {
		d := m.deployments["push-pushd-"+role]
		if d.Spec.Replicas != nil {
			t.Errorf("%s: replicas set although its autoscaler owns them", role)
		}
		if m.hpas["push-pushd-"+role] == nil {
			t.Errorf("%s: no autoscaler", role)
		}
	}
	lag := m.hpas["push-pushd-worker"].Spec.Metrics[0]
	if lag.Type != autoscalingv2.ExternalMetricSourceType || lag.External.Metric.Name != "pushd_queue_lag_seconds" ||
		lag.External.Metric.Selector.MatchLabels["queue"] != "default" {
		t.Errorf("worker's lag metric: %+v", lag)
	}
}

func TestChartWorkerScalesOnPodsMetric(t *testing.T) {
	t.Parallel()
	m := render(t, map[string]any{"worker": map[string]any{"autoscaling": map[string]any{
		"enabled": true, "queueLag": map[string]any{"metricType": "Pods"},
	}}})
	m.check(t, loadSource(t))
	lag := m.hpas["push-pushd-worker"].Spec.Metrics[0]
	if lag.Type != autoscalingv2.PodsMetricSourceType || lag.Pods.Metric.Name != "pushd_queue_lag_seconds" ||
		lag.Pods.Target.AverageValue.String() != "30" {
		t.Errorf("worker's lag metric: %+v", lag)
	}
}

func TestChartWithoutMigrationJob(t *testing.T) {
	t.Parallel()
	m := render(t, map[string]any{"migration": map[string]any{"enabled": false}})
	m.check(t, loadSource(t))
}

// check holds the invariants of every rendering.
func (m *manifests) check(t *testing.T, src *source) {
	t.Helper()
	if len(m.deployments) != len(roles) {
		t.Errorf("Deployments %v, want one per role %v", slices.Sorted(maps.Keys(m.deployments)), roles)
	}
	if len(m.configMaps) != 1 {
		t.Fatalf("ConfigMaps %v, want one", slices.Sorted(maps.Keys(m.configMaps)))
	}
	if len(m.secrets) != 0 {
		t.Errorf("the chart renders Secrets %v: secrets come from an existing Secret", slices.Sorted(maps.Keys(m.secrets)))
	}
	var settings map[string]string
	for _, cm := range m.configMaps {
		settings = cm.Data
	}
	m.checkSettings(t, src, settings)
	for _, role := range roles {
		d := m.deployments["push-pushd-"+role]
		if d == nil {
			t.Errorf("no Deployment for %s", role)
			continue
		}
		checkDeployment(t, src, role, d, settings)
	}
	for name, pdb := range m.pdbs {
		if n := m.selected(t, "PodDisruptionBudget "+name, pdb.Spec.Selector); n != 1 {
			t.Errorf("PodDisruptionBudget %s selects the pods of %d Deployments, want 1", name, n)
		}
	}
	if len(m.pdbs) != len(roles) {
		t.Errorf("PodDisruptionBudgets %v, want one per role", slices.Sorted(maps.Keys(m.pdbs)))
	}
	for name, svc := range m.services {
		sel := &metav1.LabelSelector{MatchLabels: svc.Spec.Selector}
		if n := m.selected(t, "Service "+name, sel); n != 1 {
			t.Errorf("Service %s selects the pods of %d Deployments, want 1", name, n)
		}
		for _, p := range svc.Spec.Ports {
			if p.TargetPort.StrVal != "http" {
				t.Errorf("Service %s exposes %q: only the HTTP port, never metrics", name, p.TargetPort.String())
			}
		}
	}
	for _, want := range []string{"push-pushd-api", "push-pushd-gateway"} {
		if m.services[want] == nil {
			t.Errorf("no Service %s", want)
		}
	}
	for name, hpa := range m.hpas {
		m.checkHPA(t, name, hpa)
	}
	m.checkJobs(t, settings)
}

// checkSettings holds the ConfigMap to settings pushd has.
func (m *manifests) checkSettings(t *testing.T, src *source, settings map[string]string) {
	t.Helper()
	for k := range settings {
		if !src.settings[k] {
			t.Errorf("ConfigMap sets %s, which config/vars.go does not have", k)
		}
	}
	for _, k := range []string{"PUSHD_DATABASE_URL", "PUSHD_REDIS_URL", "PUSHD_MASTER_KEY", "PUSHD_ADMIN_PASSWORD"} {
		if _, ok := settings[k]; ok {
			t.Errorf("ConfigMap holds the secret %s", k)
		}
	}
	want := fmt.Sprint(len(m.jobs) == 0)
	if got := settings["PUSHD_AUTO_MIGRATE"]; got != want {
		t.Errorf("PUSHD_AUTO_MIGRATE=%q with %d migration Jobs", got, len(m.jobs))
	}
}

func checkDeployment(t *testing.T, src *source, role string, d *appsv1.Deployment, settings map[string]string) {
	t.Helper()
	spec := d.Spec.Template.Spec
	if sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector); err != nil || !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
		t.Errorf("%s: selector %v does not select its own pods (%v)", role, d.Spec.Selector, err)
	}
	if len(spec.Containers) != 1 {
		t.Fatalf("%s: %d containers", role, len(spec.Containers))
	}
	c := spec.Containers[0]
	if len(c.Args) != 1 || c.Args[0] != role || !src.commands[role] {
		t.Errorf("%s: runs pushd %v", role, c.Args)
	}
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if settings["PUSHD_HTTP_ADDR"] != fmt.Sprintf(":%d", ports["http"]) || settings["PUSHD_METRICS_ADDR"] != fmt.Sprintf(":%d", ports["metrics"]) {
		t.Errorf("%s: ports %v, settings listen on %s and %s", role, ports, settings["PUSHD_HTTP_ADDR"], settings["PUSHD_METRICS_ADDR"])
	}
	for name, p := range map[string]*corev1.Probe{"startup": c.StartupProbe, "readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		want := map[string]string{"startup": "/healthz", "readiness": "/readyz", "liveness": "/healthz"}[name]
		if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != want || ports[p.HTTPGet.Port.StrVal] != ports["http"] {
			t.Errorf("%s: %s probe %+v, want GET %s on the HTTP port", role, name, p, want)
		}
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("%s: resources %+v", role, c.Resources)
	}
	checkEnv(t, src, role, c)
	shutdown, err := time.ParseDuration(settings["PUSHD_SHUTDOWN_TIMEOUT"])
	if err != nil {
		t.Fatalf("PUSHD_SHUTDOWN_TIMEOUT: %v", err)
	}
	var preStop time.Duration
	if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && c.Lifecycle.PreStop.Sleep != nil {
		preStop = time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
	}
	// The kubelet's SIGKILL must come after pushd's own shutdown, which
	// starts once the preStop hook has run.
	if grace := time.Duration(*spec.TerminationGracePeriodSeconds) * time.Second; grace <= preStop+shutdown {
		t.Errorf("%s: terminationGracePeriodSeconds %v, not above preStop %v + PUSHD_SHUTDOWN_TIMEOUT %v", role, grace, preStop, shutdown)
	}
}

// checkEnv holds a container's environment to settings pushd has, with
// the secrets read from a Secret.
func checkEnv(t *testing.T, src *source, role string, c corev1.Container) {
	t.Helper()
	fromSecret := map[string]bool{}
	for _, e := range c.Env {
		if !src.settings[e.Name] {
			t.Errorf("%s: sets %s, which config/vars.go does not have", role, e.Name)
		}
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
			fromSecret[e.Name] = true
		}
	}
	for _, k := range []string{"PUSHD_DATABASE_URL", "PUSHD_REDIS_URL", "PUSHD_MASTER_KEY"} {
		if !fromSecret[k] {
			t.Errorf("%s: %s does not come from a Secret", role, k)
		}
	}
}

// selected counts the Deployments whose pods sel selects.
func (m *manifests) selected(t *testing.T, what string, ls *metav1.LabelSelector) int {
	t.Helper()
	sel, err := metav1.LabelSelectorAsSelector(ls)
	if err != nil || sel.Empty() {
		t.Errorf("%s: selector %v (%v)", what, ls, err)
		return 0
	}
	n := 0
	for _, d := range m.deployments {
		if sel.Matches(labels.Set(d.Spec.Template.Labels)) {
			n++
		}
	}
	return n
}

func (m *manifests) checkHPA(t *testing.T, name string, hpa *autoscalingv2.HorizontalPodAutoscaler) {
	t.Helper()
	ref := hpa.Spec.ScaleTargetRef
	d := m.deployments[ref.Name]
	if ref.APIVersion != "apps/v1" || ref.Kind != "Deployment" || d == nil {
		t.Errorf("HorizontalPodAutoscaler %s scales %s %s %s, which the chart does not render", name, ref.APIVersion, ref.Kind, ref.Name)
		return
	}
	if hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas < 1 || hpa.Spec.MaxReplicas < *hpa.Spec.MinReplicas || len(hpa.Spec.Metrics) == 0 {
		t.Errorf("HorizontalPodAutoscaler %s: %+v", name, hpa.Spec)
	}
	for _, metric := range hpa.Spec.Metrics {
		if metric.Type == autoscalingv2.ResourceMetricSourceType && d.Spec.Template.Spec.Containers[0].Resources.Requests.Cpu().IsZero() {
			t.Errorf("HorizontalPodAutoscaler %s scales on CPU, but %s requests none", name, d.Name)
		}
	}
}

// checkJobs holds the migration Job to pushd migrate, run as a hook before
// the Deployments change, with the same settings they get.
func (m *manifests) checkJobs(t *testing.T, settings map[string]string) {
	t.Helper()
	for name, job := range m.jobs {
		hooks := strings.Split(job.Annotations["helm.sh/hook"], ",")
		if !slices.Contains(hooks, "pre-install") || !slices.Contains(hooks, "pre-upgrade") {
			t.Errorf("Job %s runs at %v, want pre-install and pre-upgrade", name, hooks)
		}
		c := job.Spec.Template.Spec.Containers[0]
		if len(c.Args) != 1 || c.Args[0] != "migrate" {
			t.Errorf("Job %s runs pushd %v", name, c.Args)
		}
		env := map[string]string{}
		for _, e := range c.Env {
			if e.ValueFrom == nil {
				env[e.Name] = e.Value
			}
		}
		if !maps.Equal(env, settings) {
			t.Errorf("Job %s's settings %v differ from the ConfigMap's %v", name, env, settings)
		}
		checkEnv(t, loadSource(t), "Job "+name, c)
	}
}

// TestStrictDecode shows a misplaced field failing the decode rather than
// vanishing, as it would at the API server.
func TestStrictDecode(t *testing.T) {
	t.Parallel()
	m := &manifests{deployments: map[string]*appsv1.Deployment{}}
	doc := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 2\n"
	if err := m.add(doc); err == nil {
		t.Error("a Deployment with spec.replica decoded")
	}
	if err := m.add("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n"); err == nil {
		t.Error("a kind the chart does not render decoded")
	}
}

// TestChartKubeVersion keeps the chart's kubeVersion at the release whose
// features it uses: the preStop sleep action is on by default from 1.30.
func TestChartKubeVersion(t *testing.T) {
	t.Parallel()
	chrt, err := loader.Load(chartDir)
	if err != nil {
		t.Fatal(err)
	}
	for v, want := range map[string]bool{"v1.29.9": false, "v1.30.0": true, "v1.34.1": true} {
		if got := chartutil.IsCompatibleRange(chrt.Metadata.KubeVersion, v); got != want {
			t.Errorf("kubeVersion %q admits %s: %v", chrt.Metadata.KubeVersion, v, got)
		}
	}
}
