# syntax=docker/dockerfile:1

# Build stage: compiles TypeScript and the better-sqlite3 addon, then drops dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: production dependencies (with the addon built above, on the same base image),
# the compiled server and the migrations. No compiler, no curl.
FROM node:20-bookworm-slim
LABEL org.opencontainers.image.title="calypso-mock" \
      org.opencontainers.image.description="A local, stateful mock of Calypso Pay's Customer Purse API with signed webhooks" \
      org.opencontainers.image.licenses="MIT"
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATABASE_PATH=/data/calypso-mock.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and the server handles SIGTERM itself: it stops taking requests, lets webhook
# attempts finish (or hands them back to the outbox) and closes the database.
CMD ["node", "dist/server.js"]
