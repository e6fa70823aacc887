/** Chaos scenario `worker-sigkill` (issue 11.4, being built). */
import type { ChaosScenario } from './scenario.ts';

export const workerSigkill: ChaosScenario = {
  name: 'worker-sigkill',
  summary: 'not built yet',
  timeLimitMs: 60_000,
  run() {
    return Promise.reject(new Error('the worker-sigkill scenario is not built yet'));
  },
};
