# syntax=docker/dockerfile:1
# The production image: the API (and, with another command, the notification worker) on Node 24,
# running as the unprivileged `node` user. Build: `docker build -t booking-widget .`; run with
# compose.yaml (PostgreSQL, Redis, worker) or on your own. README "Running in production".

# --- build: the locked dependencies, then the widget and demo bundles (with .br/.gz copies) and
# the server compiled to JavaScript (dist/node) ---
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 # The image brings Node 24 itself; the `node` package is for machines with an older system Node.
 && rm -rf node_modules/node node_modules/.bin/node

# --- runtime: the compiled server (dist/node), production dependencies, the built bundles ---
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
# Owned by root, read-only to the server: the code cannot be changed by the process running it.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
# The console's page, its service worker and the CMS loader's template (read by
# server/http/static.ts and releases.ts).
COPY --from=build /app/widget/console.html /app/widget/console-sw.js /app/widget/loader.js widget/
# The one writable place (mail files when MAIL_TRANSPORT=files; the embedded database if
# DATABASE_URL is left unset, which production should not do).
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# /ready answers 200 once PostgreSQL (and Redis, when configured) answer; 503 otherwise.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The start command CI smoke-tests (`npm start` builds, then runs exactly this). Signals reach
# the server directly: SIGTERM drains requests and closes the pools before the container stops.
CMD ["node", "dist/node/server/server.js"]
