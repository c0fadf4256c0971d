# syntax=docker/dockerfile:1
#
# One image per app, each a target of this file:
#   docker build --target sock-edge      -t wasock/sock-edge .
#   docker build --target session-worker -t wasock/session-worker .
#   docker build --target admin          -t wasock/admin .
#   docker build --target wa-sim         -t wasock/wa-sim .    (the WhatsApp simulator, dev only)
#
# The apps run their TypeScript sources directly (Node 24 type stripping), so an image holds the
# sources of one app and of the workspace packages it depends on, plus their production
# dependencies. Node refuses to strip types under node_modules, which is why the workspace
# packages stay as real folders linked from node_modules (a filtered `pnpm install`) rather than
# being copied into it (`pnpm deploy`).
# No HEALTHCHECK: Kubernetes probes /livez and /readyz, and compose does not need one.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV NODE_ENV=production

# Only the manifests, so the dependency layers below are rebuilt when dependencies change, not on
# every source edit.
FROM base AS manifests
WORKDIR /src
COPY . .
RUN mkdir /out \
 && find . -name node_modules -prune -o \
      \( -name package.json -o -name pnpm-lock.yaml -o -name pnpm-workspace.yaml \) -print \
    | xargs cp --parents -t /out

FROM base AS build
RUN npm install -g pnpm@10.34.8
WORKDIR /app
COPY --from=manifests /out/ ./
COPY deploy/docker/prune.sh /usr/local/bin/wasock-prune

# One dependency stage per app: `--filter-prod` follows dependencies, not devDependencies, so no
# test tooling (testcontainers, vitest) is installed.
FROM build AS deps-sock-edge
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --prod --filter-prod "@wasock/sock-edge..." \
      --store-dir /pnpm/store --package-import-method copy
COPY . .
RUN wasock-prune @wasock/sock-edge /out

FROM build AS deps-session-worker
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --prod --filter-prod "@wasock/session-worker..." \
      --store-dir /pnpm/store --package-import-method copy
COPY . .
RUN wasock-prune @wasock/session-worker /out

FROM build AS deps-admin
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --prod --filter-prod "@wasock/admin..." \
      --store-dir /pnpm/store --package-import-method copy
COPY . .
RUN wasock-prune @wasock/admin /out

FROM build AS deps-wa-sim
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --prod --filter-prod "@wasock/wa-sim..." \
      --store-dir /pnpm/store --package-import-method copy
COPY . .
RUN wasock-prune @wasock/wa-sim /out

# tini is PID 1: it forwards SIGTERM to node (which drains) and reaps zombies.
FROM base AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENTRYPOINT ["/usr/bin/tini", "--"]

FROM runtime AS sock-edge
COPY --from=deps-sock-edge --chown=root:root /out/ ./
USER node
EXPOSE 5026 9465
CMD ["node", "apps/sock-edge/src/main.ts"]

FROM runtime AS session-worker
COPY --from=deps-session-worker --chown=root:root /out/ ./
# Media files land here; mount a volume over it (shared between workers in production).
RUN mkdir -p /var/lib/wasock/media && chown node:node /var/lib/wasock/media
ENV MEDIA_DIR=/var/lib/wasock/media
USER node
EXPOSE 9466
CMD ["node", "apps/session-worker/src/main.ts"]

FROM runtime AS admin
COPY --from=deps-admin --chown=root:root /out/ ./
USER node
EXPOSE 8080
CMD ["node", "apps/admin/src/main.ts"]

FROM runtime AS wa-sim
COPY --from=deps-wa-sim --chown=root:root /out/ ./
USER node
EXPOSE 8765 8766
CMD ["node", "packages/wa-sim/src/main.ts", "--host", "0.0.0.0", "--port", "8765", "--control-port", "8766"]
