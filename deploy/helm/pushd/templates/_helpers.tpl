{{/* The roles, in the order pushd's own command list names them. */}}
{{- define "pushd.roles" -}}
api worker gateway
{{- end -}}

{{- define "pushd.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's prefix of every object's name. */}}
{{- define "pushd.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "pushd.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "pushd.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one role; called with (dict "root" $ "role" "api"). */}}
{{- define "pushd.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pushd.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "pushd.roleLabels" -}}
{{ include "pushd.labels" .root }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "pushd.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/*
The non-secret settings. The ConfigMap holds them for the Deployments; the
migration Job, which runs before the ConfigMap of its release exists (or
while the old one is still in place), gets them inline.
*/}}
{{- define "pushd.settings" -}}
PUSHD_HTTP_ADDR: {{ printf ":%d" (int .Values.ports.http) | quote }}
PUSHD_METRICS_ADDR: {{ printf ":%d" (int .Values.ports.metrics) | quote }}
PUSHD_LOG_FORMAT: {{ .Values.config.logFormat | quote }}
PUSHD_LOG_LEVEL: {{ .Values.config.logLevel | quote }}
PUSHD_REDIS_NAMESPACE: {{ .Values.config.redisNamespace | quote }}
PUSHD_SHUTDOWN_TIMEOUT: {{ printf "%ds" (int .Values.config.shutdownTimeoutSeconds) | quote }}
PUSHD_AUTO_MIGRATE: {{ (not .Values.migration.enabled) | toString | quote }}
{{- with .Values.config.publicURL }}
PUSHD_PUBLIC_URL: {{ . | quote }}
{{- end }}
{{- with .Values.config.adminEmail }}
PUSHD_ADMIN_EMAIL: {{ . | quote }}
{{- end }}
{{- range $k, $v := .Values.config.extra }}
{{ $k }}: {{ $v | toString | quote }}
{{- end }}
{{- end -}}

{{/* The variables read from the existing Secret. */}}
{{- define "pushd.secretEnv" -}}
- name: PUSHD_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "secret.name names the Secret with the database URL, Redis URL and master key" .Values.secret.name }}
      key: {{ .Values.secret.keys.databaseURL }}
- name: PUSHD_REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "secret.name names the Secret with the database URL, Redis URL and master key" .Values.secret.name }}
      key: {{ .Values.secret.keys.redisURL }}
- name: PUSHD_MASTER_KEY
  valueFrom:
    secretKeyRef:
      name: {{ required "secret.name names the Secret with the database URL, Redis URL and master key" .Values.secret.name }}
      key: {{ .Values.secret.keys.masterKey }}
{{- if .Values.config.adminEmail }}
- name: PUSHD_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "secret.name names the Secret with the database URL, Redis URL and master key" .Values.secret.name }}
      key: {{ .Values.secret.keys.adminPassword }}
      optional: true
{{- end }}
{{- end -}}

{{/*
How long a role's pods keep serving once told to stop, before pushd's own
shutdown starts: only the roles behind a Service wait for the proxies to
drop them. Called with (dict "root" $ "role" "api").
*/}}
{{- define "pushd.preStopSleepSeconds" -}}
{{- if eq .role "worker" -}}0{{- else -}}{{ int .root.Values.lifecycle.preStopSleepSeconds }}{{- end -}}
{{- end -}}

{{/* How long the kubelet waits before it kills a stopping pod of a role. */}}
{{- define "pushd.terminationGracePeriodSeconds" -}}
{{- add .root.Values.config.shutdownTimeoutSeconds (include "pushd.preStopSleepSeconds" .) .root.Values.lifecycle.terminationMarginSeconds -}}
{{- end -}}
