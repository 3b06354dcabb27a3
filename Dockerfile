# syntax=docker/dockerfile:1
# One image for every service; the container's command picks which one runs:
#   docker build -t sms-platform:<version> .
#   docker run --rm -e SERVICE=sms-orchestrator -e DATABASE_URL=... -e NATS_URL=... sms-platform:<version>
# SERVICE is a folder under services/ (sms-orchestrator, numbering-service, operator-management, config-service,
# routing-engine, smpp-gateway) or `platform` (all of them in one process, embedded defaults: demos only).
# Services run from TypeScript through tsx (a runtime dependency), as `npm start` does; there is no separate build.

FROM node:20.20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages ./packages
COPY services ./services
COPY apps ./apps
COPY tooling ./tooling
# Production dependencies only; install scripts stay denied except the ones package.json allows.
RUN npm ci --omit=dev && npm cache clean --force

FROM node:20.20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/var/lib/sms-platform
WORKDIR /app
COPY --from=deps /app /app
COPY scripts ./scripts
COPY tsconfig.base.json tsconfig.json ./
RUN mkdir -p /var/lib/sms-platform && chown node:node /var/lib/sms-platform
USER node
# SIGTERM reaches node directly (exec form through the entry script), so graceful shutdown runs (30 s at most).
STOPSIGNAL SIGTERM
COPY --chown=node:node deploy/docker/entrypoint.sh /usr/local/bin/sms-entrypoint
ENTRYPOINT ["/usr/local/bin/sms-entrypoint"]
