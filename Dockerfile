# syntax=docker/dockerfile:1
# One image for every role: `serve` (default), `worker`, `migrate`. Build stage: install, compile,
# prune to production dependencies. Run stage: the pruned tree, tini as PID 1 (signals reach node,
# zombies are reaped), a non-root user, and a health check for whichever role the container runs.
# scripts/image-smoke.sh performs these steps without a container engine; a test keeps the two in step.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim AS run
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production PORT=3000 WORKER_HEALTH_PORT=3001
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY kb ./kb
USER node
EXPOSE 3000 3001
# serve and start answer /healthz on PORT, worker on WORKER_HEALTH_PORT; the role is read from PID 1.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "bin/healthcheck.js"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/helpdesk.js"]
CMD ["serve"]
