# Image of the worker, the API and the one-shot jobs (temporal-compose.yml, k8s/): Node 24, the XGBoost C library,
# the project. It has no Temporal CLI: every entry point gets a real server's TEMPORAL_ADDRESS, and only a loopback
# address makes an entry point start the dev server (infra/temporal-server.ts).
FROM node:24-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libxgboost0 && rm -rf /var/lib/apt/lists/*

# Runs as the image's unprivileged `node` user (uid 1000). It owns /app because the site build writes its work dirs
# under node_modules/.astro, and /data, so a new named volume mounted there starts out writable.
WORKDIR /app
RUN chown node:node /app && mkdir /data && chown node:node /data
USER node

COPY --chown=node:node package.json package-lock.json ./
# `npm install` from the lock file, not `npm ci`, which refuses this lock (scripts/bootstrap.sh says why);
# --no-save keeps the lock file as committed.
RUN npm install --no-save --no-audit --no-fund
COPY --chown=node:node . .

ENV AFWD_DATA_DIR=/data
# Liveness of whichever process runs: the worker's /healthz on METRICS_ADDRESS's port when that is set, else the
# API's /healthz on API_PORT. Compose and Kubernetes define their own checks; this one serves a bare `docker run`.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const m = process.env.METRICS_ADDRESS; const port = m ? m.split(':').pop() : (process.env.API_PORT || '8321'); fetch('http://127.0.0.1:' + port + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/worker.ts"]
