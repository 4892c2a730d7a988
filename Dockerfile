# syntax=docker/dockerfile:1

# Build stage: compiles TypeScript, bundles the server with its code cache and builds the
# better-sqlite3 addon, then drops dev dependencies. Node 24 (the current LTS) at 24.18.1: better-sqlite3
# 12 compiled against the headers of 24.19 or later aborts when the garbage collector finalises a
# statement (nodejs/node#65446); move on once that is fixed or better-sqlite3 13 can be used.
FROM node:24.18.1-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Without scripts: the package's own `prepare` is the build, which needs the sources copied below.
# Then the addon is compiled here, against this image's own Node headers, rather than downloaded
# prebuilt: the runtime stage has the same base image, so its better_sqlite3.node matches its glibc and Node.
# The only step that reaches the registry. Behind a mirror or a TLS-inspecting proxy it takes the npm
# configuration and a CA bundle as build secrets (docs/docker.md), both optional, mounted for this
# step only and written into no layer:
#   docker build --secret id=npmrc,src=$HOME/.npmrc --secret id=ca,src=/path/to/ca.pem .
RUN --mount=type=secret,id=npmrc --mount=type=secret,id=ca \
  if [ -f /run/secrets/npmrc ]; then export NPM_CONFIG_USERCONFIG=/run/secrets/npmrc; fi \
  && if [ -f /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca npm_config_cafile=/run/secrets/ca; fi \
  && npm ci --ignore-scripts --no-audit --no-fund \
  && npm_config_build_from_source=better-sqlite3 npm_config_nodedir=/usr/local npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.ts scripts/write-code-cache.mjs ./scripts/
COPY src ./src
# The build starts the bundled server once to write V8's code cache, so it needs the migrations. It
# runs on this base image's Node, the runtime's, so the runtime accepts the cache.
COPY migrations ./migrations
# Then the production dependencies only, without what nothing loads at run time: of better-sqlite3
# all but the addon (its C sources and the compiler's intermediates are 25 of its 27 MB), and
# everywhere the TypeScript sources and declarations, source maps and markdown (another 13 MB).
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src \
  && find node_modules/better-sqlite3/build -mindepth 1 -not -path '*/build/Release' -not -path '*/build/Release/better_sqlite3.node' -delete \
  && find node_modules -type f \( -name '*.ts' -o -name '*.cts' -o -name '*.mts' -o -name '*.map' -o -name '*.md' \) -delete \
  && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"

# Runtime stage: production dependencies (with the addon built above, on the same base image),
# the compiled server, the migrations, and openapi.yaml, which `calypso-mock conformance` validates
# against. No compiler, no curl.
FROM node:24.18.1-bookworm-slim
LABEL org.opencontainers.image.title="calypso-mock" \
      org.opencontainers.image.description="A local, stateful mock of Calypso Pay's Customer Purse API with signed webhooks" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="docker.io/library/node:24.18.1-bookworm-slim"
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATABASE_PATH=/data/calypso-mock.db
WORKDIR /app
# Owned by root and read-only to the node user: the server writes nowhere but /data.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json openapi.yaml ./
COPY migrations ./migrations
# Created and chowned before VOLUME, so a new named volume starts out writable by node.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and the server handles SIGTERM and SIGINT itself: it stops taking requests, lets
# webhook attempts finish for up to 5 s (then hands them back to the outbox) and closes the
# database, inside `docker stop`'s 10 s. It starts no child processes, so there are no zombies to
# reap and no need for tini or `docker run --init`. The flags are `npm start`'s (SERVER_V8_FLAGS in
# src/bundle-loader.ts, for which the build writes a code cache of its own): a young generation of
# 4 MB instead of V8's 16 MB, which keeps the heap small under load, and the collection the server
# runs once idle after load to give the heap back (docs/configuration.md, Memory).
CMD ["node", "--max-semi-space-size=4", "--expose-gc", "dist/server.js"]
