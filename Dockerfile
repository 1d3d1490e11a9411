# syntax=docker/dockerfile:1
# suqiu in one container: the API, the web app and the scheduler in one Node process.
#   docker build -t suqiu .
#   docker run -d -p 3000:3000 -v suqiu-data:/var/lib/suqiu -e SUQIU_SEED_DEMO=false suqiu
# test/deploy.test.ts checks this file against the server and starts the server as it says.

FROM node:24-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary fits this Node.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/suqiu
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    SUQIU_DATA_DIR=/var/lib/suqiu \
    PORT=3000
RUN groupadd --system suqiu \
 && useradd --system --gid suqiu --home-dir /var/lib/suqiu --shell /usr/sbin/nologin suqiu \
 && mkdir -p /var/lib/suqiu \
 && chown suqiu:suqiu /var/lib/suqiu
WORKDIR /opt/suqiu
COPY --from=build /opt/suqiu/package.json ./package.json
COPY --from=build /opt/suqiu/node_modules ./node_modules
COPY --from=build /opt/suqiu/dist ./dist
# The demo city's knowledge base, loaded on a first start unless SUQIU_SEED_DEMO=false.
COPY --from=build /opt/suqiu/demo ./demo
USER suqiu
VOLUME /var/lib/suqiu
EXPOSE 3000
# Alive, not ready: /healthz answers while a first start migrates (then /readyz says 503 and the phase).
# No curl in the slim image: Node's fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (docker stop): the scheduler stops, the database closes.
CMD ["node", "dist/server/main.js"]
