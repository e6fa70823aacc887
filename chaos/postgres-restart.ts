/** Chaos scenario `postgres-restart` (issue 11.4, being built). */
import type { ChaosScenario } from './scenario.ts';

export const postgresRestart: ChaosScenario = {
  name: 'postgres-restart',
  summary: 'not built yet',
  timeLimitMs: 60_000,
  run() {
    return Promise.reject(new Error('the postgres-restart scenario is not built yet'));
  },
};
