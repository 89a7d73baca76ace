{{/*
Names and labels. Selector labels are immutable once a Deployment exists:
name, instance and component only.
*/}}
{{- define "nest-chassis.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "nest-chassis.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "nest-chassis.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "nest-chassis.labels" -}}
helm.sh/chart: {{ include "nest-chassis.chart" . }}
app.kubernetes.io/name: {{ include "nest-chassis.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ include "nest-chassis.name" . }}
{{- end }}

{{- define "nest-chassis.selectorLabels" -}}
app.kubernetes.io/name: {{ include "nest-chassis.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: api
{{- end }}

{{/* The worker Deployment's selector: same name and instance, component worker (never selected by the API's Service, PDB or NetworkPolicy). */}}
{{- define "nest-chassis.workerSelectorLabels" -}}
app.kubernetes.io/name: {{ include "nest-chassis.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: worker
{{- end }}

{{- define "nest-chassis.workerName" -}}
{{- printf "%s-worker" (include "nest-chassis.fullname" . | trunc 56 | trimSuffix "-") }}
{{- end }}

{{- define "nest-chassis.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "nest-chassis.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image: repository@digest when a digest is given, else repository:tag (default appVersion). */}}
{{- define "nest-chassis.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The Secret the pods read: an existing one, or the chart's own. */}}
{{- define "nest-chassis.secretName" -}}
{{- default (include "nest-chassis.fullname" .) .Values.secret.existingSecret }}
{{- end }}

{{/*
TRUST_PROXY: the explicit value, else the private ranges (`uniquelocal`: the
ingress controller's pods have private addresses) when the chart's Ingress is
on, else unset (off). Never `true`, never a hop count (values.schema.json).
*/}}
{{- define "nest-chassis.trustProxy" -}}
{{- if .Values.trustProxy }}
{{- .Values.trustProxy | toString }}
{{- else if .Values.ingress.enabled }}
{{- "uniquelocal" }}
{{- end }}
{{- end }}

{{/*
Shutdown timing guard: the kubelet's SIGKILL must come after preStop + the
in-process delay + the drain timeout, with a margin (docs/shutdown.md).
*/}}
{{- define "nest-chassis.checkShutdown" -}}
{{- $s := .Values.shutdown }}
{{- $needed := add (int $s.preStopSleepSeconds) (int $s.delaySeconds) (int $s.timeoutSeconds) 1 }}
{{- if lt (int $s.terminationGracePeriodSeconds) (int $needed) }}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%d) must be >= preStopSleepSeconds + delaySeconds + timeoutSeconds + 1 (%d)" (int $s.terminationGracePeriodSeconds) (int $needed)) }}
{{- end }}
{{- if and .Values.config.ALLOWED_HOSTS (not .Values.probes.hostHeader) }}
{{- fail "config.ALLOWED_HOSTS is set: set probes.hostHeader to one of the allowed hosts, or the kubelet's probes (Host: <pod IP>) are refused" }}
{{- end }}
{{- end }}

{{/*
Worker guard (docs/deployment.md, "Worker processes"): a worker shares the jobs
with the API through Redis only. Without REDIS_URL each process would run its
own in-process queues and the worker would never see a job the API adds. The
chart sees REDIS_URL in secret.values or extraEnv; an existingSecret is trusted
to hold it (the chart cannot read it).
*/}}
{{- define "nest-chassis.checkWorker" -}}
{{- if .Values.worker.enabled }}
{{- $redis := or (and .Values.secret.create (get .Values.secret.values "REDIS_URL")) .Values.secret.existingSecret }}
{{- range .Values.extraEnv }}
{{- if eq .name "REDIS_URL" }}
{{- $redis = true }}
{{- end }}
{{- end }}
{{- if not $redis }}
{{- fail "worker.enabled needs Redis: set REDIS_URL in secret.values, in secret.existingSecret or in extraEnv (without it every pod runs its own in-process queues and the worker never sees the API's jobs)" }}
{{- end }}
{{- if .Values.persistence.enabled }}
{{- fail "worker.enabled with persistence.enabled: SQLite on a ReadWriteOnce volume has one writer and the worker pods cannot share it; use PostgreSQL (DATABASE_URL)" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The non-secret environment (ConfigMap data): what the chart manages, then
`config`. values.schema.json refuses managed keys in `config`.
*/}}
{{- define "nest-chassis.configData" -}}
NODE_ENV: "production"
HOST: "0.0.0.0"
PORT: {{ .Values.containerPort | quote }}
DATABASE_MIGRATIONS_RUN: "false"
SHUTDOWN_DELAY_SECONDS: {{ .Values.shutdown.delaySeconds | quote }}
SHUTDOWN_TIMEOUT_SECONDS: {{ .Values.shutdown.timeoutSeconds | quote }}
METRICS_ENABLED: {{ .Values.metrics.enabled | quote }}
{{- if and .Values.metrics.enabled .Values.metrics.port }}
METRICS_PORT: {{ .Values.metrics.port | quote }}
{{- end }}
{{- with (include "nest-chassis.trustProxy" .) }}
TRUST_PROXY: {{ . | quote }}
{{- end }}
{{- range $key, $value := .Values.config }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* The Secret's data (base64), from secret.values. */}}
{{- define "nest-chassis.secretData" -}}
{{- range $key, $value := .Values.secret.values }}
{{ $key }}: {{ $value | toString | b64enc | quote }}
{{- end }}
{{- end }}

{{/* Pod-level settings shared by the Deployment, the migration Job and the test pod. */}}
{{- define "nest-chassis.podSecurity" -}}
automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
