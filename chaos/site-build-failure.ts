/** Chaos scenario `site-build-failure` (issue 11.4, being built). */
import type { ChaosScenario } from './scenario.ts';

export const siteBuildFailure: ChaosScenario = {
  name: 'site-build-failure',
  summary: 'not built yet',
  timeLimitMs: 60_000,
  run() {
    return Promise.reject(new Error('the site-build-failure scenario is not built yet'));
  },
};
