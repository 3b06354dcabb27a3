#!/bin/sh
# Runs the service named by $SERVICE (see the Dockerfile). `exec` keeps node as PID 1's only child, so SIGTERM from
# the kubelet reaches it and the service shuts down gracefully.
set -eu
service="${SERVICE:?set SERVICE to a folder under services/ or to platform}"
case "$service" in
  platform) main=apps/platform/src/main.ts ;;
  *) main="services/$service/src/main.ts" ;;
esac
if [ ! -f "/app/$main" ]; then
  echo "unknown SERVICE \"$service\": no /app/$main" >&2
  exit 64
fi
cd /app
exec node --import tsx "$main" "$@"
