/** Chaos scenario `temporal-restart` (issue 11.4, being built). */
import type { ChaosScenario } from './scenario.ts';

export const temporalRestart: ChaosScenario = {
  name: 'temporal-restart',
  summary: 'not built yet',
  timeLimitMs: 60_000,
  run() {
    return Promise.reject(new Error('the temporal-restart scenario is not built yet'));
  },
};
