# Image of the worker and the API for temporal-compose.yml: Node 24, the XGBoost C library, the project.
FROM node:24-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libxgboost0 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
CMD ["node", "bin/worker.ts"]
