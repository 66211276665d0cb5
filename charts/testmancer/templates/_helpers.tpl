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

{{/*
Egress to the database, for the services and the migration Job: the bundled
one's pods, or mongodb.external.cidrs on its port (any address on that port
when no CIDR is given: a hosted cluster's addresses may change).
*/}}
{{- define "testmancer.databaseEgress" -}}
{{- if .Values.mongodb.bundled.enabled -}}
- to:
    - podSelector:
        matchLabels:
          {{- include "testmancer.selectorLabels" (dict "root" . "component" "mongodb") | nindent 10 }}
  ports:
    - { port: 27017, protocol: TCP }
{{- else -}}
- ports:
    - { port: {{ .Values.mongodb.external.port }}, protocol: TCP }
  {{- with .Values.mongodb.external.cidrs }}
  to:
    {{- range . }}
    - ipBlock: { cidr: {{ . | quote }} }
    {{- end }}
  {{- end }}
{{- end -}}
{{- end -}}

{{/* Egress every backend process needs: DNS, and the collector's port when tracing.otlpEndpoint is set. */}}
{{- define "testmancer.dnsAndCollectorEgress" -}}
- ports:
    - { port: 53, protocol: UDP }
    - { port: 53, protocol: TCP }
{{- if .Values.tracing.otlpEndpoint }}
# The collector, on the port of tracing.otlpEndpoint.
- ports:
    - { port: {{ include "testmancer.collectorPort" . }}, protocol: TCP }
{{- end }}
{{- end -}}

{{/* The collector's port, from tracing.otlpEndpoint (the scheme's default when it names none). */}}
{{- define "testmancer.collectorPort" -}}
{{- $url := urlParse .Values.tracing.otlpEndpoint -}}
{{- $port := regexFind "[0-9]+$" (regexFind ":[0-9]+$" $url.host) -}}
{{- if $port }}{{ $port }}{{ else if eq $url.scheme "https" }}443{{ else }}80{{ end -}}
{{- end -}}

{{/* The components that speak gRPC (as server or client) and so get a key and, with grpcTls, a certificate. */}}
{{- define "testmancer.grpcComponents" -}}
gateway content quiz gems media
{{- end -}}

{{/* The Secret holding a component's gRPC certificate: cert-manager's, named after the component, or the operator's. */}}
{{- define "testmancer.grpcTlsSecretName" -}}
{{- if .root.Values.grpcTls.certManager.issuerRef.name -}}
{{- printf "%s-grpc-tls" (include "testmancer.componentName" .) -}}
{{- else -}}
{{- index .root.Values.grpcTls.secretNames .component -}}
{{- end -}}
{{- end -}}

{{/* Where a component's gRPC certificate is mounted (GRPC_TLS_*_FILE point into it). */}}
{{- define "testmancer.grpcTlsDir" -}}
/etc/testmancer/grpc-tls
{{- end -}}

{{/*
The migration Job's hook. Production (an existing database Secret): before
install and before every upgrade, so that a failed migration fails the
release before any new pod starts. With the bundled database, which does
not exist before the first install, the first run is after install (there
is no data to migrate yet).
*/}}
{{- define "testmancer.migrationHook" -}}
{{- ternary "post-install,pre-upgrade" "pre-install,pre-upgrade" .Values.mongodb.bundled.enabled -}}
{{- end -}}

{{/* Bytes of a Kubernetes quantity of whole units ("4Gi", "500M", "1073741824"; the schema allows no other form). */}}
{{- define "testmancer.quantityBytes" -}}
{{- $quantity := toString . -}}
{{- $number := regexFind "^[0-9]+" $quantity -}}
{{- $units := dict "" 1 "k" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000 "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 -}}
{{- mul (int64 $number) (index $units (trimPrefix $number $quantity)) -}}
{{- end -}}

{{/*
The largest file one upload may stage: the larger of the image and video
limits, media.env's MEDIA_*_MAX_BYTES or else the service's defaults (the
MAX_BYTES of packages/contracts/src/media.ts: 20 MiB and 512 MiB; a chart
test keeps these equal).
*/}}
{{- define "testmancer.largestUploadBytes" -}}
{{- $env := .Values.media.env -}}
{{- $image := int64 (get $env "MEDIA_IMAGE_MAX_BYTES" | default 20971520) -}}
{{- $video := int64 (get $env "MEDIA_VIDEO_MAX_BYTES" | default 536870912) -}}
{{- max $image $video -}}
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
{{- if not .Values.serviceIdentity.secretName -}}
{{- $problems = append $problems "serviceIdentity: set serviceIdentity.secretName, a Secret with every component's key (production processes refuse to start without one): make it with `npm run -s keys:service -- --name <name> --namespace <namespace> | kubectl create -f -`" -}}
{{- end -}}
{{- with .Values.grpcTls -}}
{{- if .enabled -}}
{{- $missing := list -}}
{{- $given := list -}}
{{- range $component := splitList " " (include "testmancer.grpcComponents" $) -}}
{{- if index $.Values.grpcTls.secretNames $component -}}
{{- $given = append $given $component -}}
{{- else -}}
{{- $missing = append $missing (printf "grpcTls.secretNames.%s" $component) -}}
{{- end -}}
{{- end -}}
{{- if and .certManager.issuerRef.name $given -}}
{{- $problems = append $problems "grpcTls: set either grpcTls.certManager.issuerRef.name (cert-manager issues the certificates) or grpcTls.secretNames (your own Secrets), not both" -}}
{{- else if and (not .certManager.issuerRef.name) $missing -}}
{{- $problems = append $problems (printf "grpcTls: enabled without certificates: set grpcTls.certManager.issuerRef.name (a cert-manager CA issuer) or every one of %s" (join ", " $missing)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if eq .Values.media.storage.provider "cloudinary" -}}
{{- $uploads := .Values.media.uploads -}}
{{- $needed := mul (int64 $uploads.perPod) (int64 (include "testmancer.largestUploadBytes" .)) -}}
{{- if lt (int64 (include "testmancer.quantityBytes" $uploads.stagingSizeLimit)) $needed -}}
{{- $problems = append $problems (printf "media.uploads: stagingSizeLimit %v cannot hold perPod (%d) uploads of the largest size (%s bytes), which needs at least %dMi: raise media.uploads.stagingSizeLimit or lower media.uploads.perPod" $uploads.stagingSizeLimit (int64 $uploads.perPod) (include "testmancer.largestUploadBytes" .) (div (add $needed 1048575) 1048576)) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.rollouts.enabled (not .Values.rollouts.analysis.prometheusAddress) -}}
{{- $problems = append $problems "rollouts: rollouts.analysis.prometheusAddress is needed for the canary analysis" -}}
{{- end -}}
{{- range $name := list "admin" "student" -}}
{{- $frontend := index $.Values.frontends $name -}}
{{- if and $frontend.enabled (not $frontend.image.tag) -}}
{{- $problems = append $problems (printf "frontends.%s: an enabled frontend needs frontends.%s.image.tag" $name $name) -}}
{{- end -}}
{{- if and $frontend.oidcClientId (not (and $.Values.auth.jwksUrl $.Values.auth.issuer)) -}}
{{- $problems = append $problems (printf "frontends.%s.oidcClientId: signing in through a provider needs auth.jwksUrl and auth.issuer (the provider the gateway trusts)" $name) -}}
{{- end -}}
{{- end -}}
{{- if $problems -}}
{{- fail (printf "\n\nVALUES VALIDATION:\n  - %s" (join "\n  - " $problems)) -}}
{{- end -}}
{{- end -}}
