/** Chaos scenario `source-throttle` (issue 11.4, being built). */
import type { ChaosScenario } from './scenario.ts';

export const sourceThrottle: ChaosScenario = {
  name: 'source-throttle',
  summary: 'not built yet',
  timeLimitMs: 60_000,
  run() {
    return Promise.reject(new Error('the source-throttle scenario is not built yet'));
  },
};
