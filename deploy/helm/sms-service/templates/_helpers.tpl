{{/* The service's name: the `service` value (required), e.g. sms-orchestrator. */}}
{{- define "sms-service.name" -}}
{{- required "set .Values.service to the folder name under services/ (use deploy/helm/values/<service>.yaml)" .Values.service -}}
{{- end -}}

{{/*
Name of the release's objects and pods: `nameOverride` when set (a second release of one service, such
as the shadow orchestrator of the migration), else the service's name.
*/}}
{{- define "sms-service.fullname" -}}
{{- default (include "sms-service.name" .) .Values.nameOverride -}}
{{- end -}}

{{- define "sms-service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sms-service.fullname" . }}
app.kubernetes.io/part-of: sms-platform
{{- end -}}

{{- define "sms-service.labels" -}}
{{ include "sms-service.selectorLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Pod selector of another platform service in the same namespace. */}}
{{- define "sms-service.peerSelector" -}}
podSelector:
  matchLabels:
    app.kubernetes.io/name: {{ . }}
    app.kubernetes.io/part-of: sms-platform
{{- end -}}

{{/* Pods of an app in another namespace: { namespace, app }. */}}
{{- define "sms-service.namespacedSelector" -}}
namespaceSelector:
  matchLabels:
    kubernetes.io/metadata.name: {{ .namespace }}
podSelector:
  matchLabels:
    app.kubernetes.io/name: {{ .app }}
{{- end -}}

{{/*
The Vault agent template of /vault/secrets/env: one `export NAME='value'` line per variable. Vault's own
template braces are printed literally so Helm does not evaluate them.
*/}}
{{- define "sms-service.vaultEnvTemplate" -}}
{{- $db := .Values.vault.database -}}
{{- if $db.enabled }}
{{ printf "{{- with secret %q }}" $db.credsPath }}
{{ printf "export DATABASE_URL='postgres://{{ .Data.username }}:{{ .Data.password }}@%s:%v/%s?sslmode=%s'" $db.host $db.port $db.name $db.sslmode }}
{{ "{{- end }}" }}
{{- end }}
{{- range .Values.vault.secretEnv }}
{{ printf "{{- with secret %q }}" .path }}
{{ printf "export %s='{{ index .Data.data %q }}'" .name .key }}
{{ "{{- end }}" }}
{{- end }}
{{- end -}}
