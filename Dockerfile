# Image of the worker and the API for temporal-compose.yml: Node 24, the XGBoost C library, the project.
# It has no Temporal CLI: compose gives every entry point TEMPORAL_ADDRESS=temporal:7233, a real server, and only a
# loopback address makes an entry point start the dev server (infra/temporal-server.ts).
FROM node:24-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libxgboost0 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install` from the lock file, not `npm ci`, which refuses this lock (scripts/bootstrap.sh says why);
# --no-save keeps the lock file as committed.
RUN npm install --no-save --no-audit --no-fund
COPY . .
CMD ["node", "bin/worker.ts"]
