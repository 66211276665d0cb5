{{/* Names, after `helm create`: fullname truncated to 63 characters. */}}
{{- define "testmancer.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "testmancer.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The name of one component's objects: fullname-component, within 63 characters. */}}
{{- define "testmancer.componentName" -}}
{{- printf "%s-%s" (include "testmancer.fullname" .root | trunc (int (sub 62 (len .component))) | trimSuffix "-") .component -}}
{{- end -}}

{{- define "testmancer.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels of one component (never change: Deployments' selectors are immutable). */}}
{{- define "testmancer.selectorLabels" -}}
app.kubernetes.io/name: {{ include "testmancer.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "testmancer.labels" -}}
helm.sh/chart: {{ include "testmancer.chart" .root }}
{{ include "testmancer.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: testmancer
{{- end -}}

{{/* Labels of the whole release (objects that belong to no one component). */}}
{{- define "testmancer.releaseLabels" -}}
helm.sh/chart: {{ include "testmancer.chart" . }}
app.kubernetes.io/name: {{ include "testmancer.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: testmancer
{{- end -}}

{{- define "testmancer.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The gRPC services (the gateway is not one of them). */}}
{{- define "testmancer.grpcServices" -}}
content quiz gems media
{{- end -}}

{{/* host:port of a gRPC service, as the gateway and the quiz service dial it. */}}
{{- define "testmancer.grpcAddress" -}}
{{- printf "%s:%d" (include "testmancer.componentName" (dict "root" .root "component" .component)) (int .root.Values.grpcPort) -}}
{{- end -}}

{{/* The Secret and key holding MONGODB_URI: the operator's, or the bundled database's. */}}
{{- define "testmancer.mongodbSecretName" -}}
{{- if .Values.mongodb.bundled.enabled -}}
{{- include "testmancer.componentName" (dict "root" . "component" "mongodb") -}}
{{- else -}}
{{- .Values.mongodb.existingSecret.name -}}
{{- end -}}
{{- end -}}

{{- define "testmancer.mongodbSecretKey" -}}
{{- if .Values.mongodb.bundled.enabled -}}MONGODB_URI{{- else -}}{{- .Values.mongodb.existingSecret.key -}}{{- end -}}
{{- end -}}

{{/* The env entry of MONGODB_URI: always a reference, never the value. */}}
{{- define "testmancer.mongodbUriEnv" -}}
- name: MONGODB_URI
  valueFrom:
    secretKeyRef:
      name: {{ include "testmancer.mongodbSecretName" . }}
      key: {{ include "testmancer.mongodbSecretKey" . }}
{{- end -}}

{{/*
Tracing variables (the OpenTelemetry SDK reads them): a parent-based trace-id
ratio sampler (a caller's sampled decision is kept, new traces sampled at
samplerRatio); the collector, its protocol and the resource attributes only
when an endpoint is set (without one nothing is exported). service.version
is the image tag, so a canary's spans are told from the stable ones'.
*/}}
{{- define "testmancer.tracingEnv" -}}
- name: OTEL_TRACES_SAMPLER
  value: parentbased_traceidratio
- name: OTEL_TRACES_SAMPLER_ARG
  value: {{ .Values.tracing.samplerRatio | toString | quote }}
{{- if .Values.tracing.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .Values.tracing.otlpEndpoint | quote }}
- name: OTEL_EXPORTER_OTLP_PROTOCOL
  value: {{ .Values.tracing.protocol | quote }}
- name: OTEL_POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ printf "service.version=%s,k8s.namespace.name=%s,k8s.pod.name=$(OTEL_POD_NAME)" (default .Chart.AppVersion .Values.image.tag) .Release.Namespace | quote }}
{{- end }}
{{- end -}}

{{/* The collector's port, from tracing.otlpEndpoint (the scheme's default when it names none). */}}
{{- define "testmancer.collectorPort" -}}
{{- $url := urlParse .Values.tracing.otlpEndpoint -}}
{{- $port := regexFind "[0-9]+$" (regexFind ":[0-9]+$" $url.host) -}}
{{- if $port }}{{ $port }}{{ else if eq $url.scheme "https" }}443{{ else }}80{{ end -}}
{{- end -}}

{{/*
Checks the schema cannot express; the messages say what to set. Called from
NOTES.txt and from every workload, so that `helm template` fails as well.
*/}}
{{- define "testmancer.validateValues" -}}
{{- $problems := list -}}
{{- if and (not .Values.mongodb.bundled.enabled) (not .Values.mongodb.existingSecret.name) -}}
{{- $problems = append $problems "mongodb: set mongodb.existingSecret.name (a Secret holding MONGODB_URI) or mongodb.bundled.enabled=true to try the chart with its own database" -}}
{{- end -}}
{{- if and (not .Values.auth.existingSecret.name) (not .Values.auth.jwksUrl) -}}
{{- $problems = append $problems "auth: set auth.existingSecret.name (a Secret holding JWT_SECRET) or auth.jwksUrl" -}}
{{- end -}}
{{- if and .Values.rollouts.enabled (not .Values.rollouts.analysis.prometheusAddress) -}}
{{- $problems = append $problems "rollouts: rollouts.analysis.prometheusAddress is needed for the canary analysis" -}}
{{- end -}}
{{- range $name := list "admin" "student" -}}
{{- $frontend := index $.Values.frontends $name -}}
{{- if and $frontend.enabled (not $frontend.image.tag) -}}
{{- $problems = append $problems (printf "frontends.%s: an enabled frontend needs frontends.%s.image.tag" $name $name) -}}
{{- end -}}
{{- end -}}
{{- if $problems -}}
{{- fail (printf "\n\nVALUES VALIDATION:\n  - %s" (join "\n  - " $problems)) -}}
{{- end -}}
{{- end -}}
