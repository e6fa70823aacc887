/** Chaos scenario `redis-kill` (issue 11.4, being built). */
import type { ChaosScenario } from './scenario.ts';

export const redisKill: ChaosScenario = {
  name: 'redis-kill',
  summary: 'not built yet',
  timeLimitMs: 60_000,
  run() {
    return Promise.reject(new Error('the redis-kill scenario is not built yet'));
  },
};
