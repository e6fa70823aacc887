/** Every chaos scenario, in the order `npm run chaos` runs them. */
import type { ChaosScenario } from './scenario.ts';
import { workerSigkill } from './worker-sigkill.ts';
import { postgresRestart } from './postgres-restart.ts';
import { temporalRestart } from './temporal-restart.ts';
import { redisKill } from './redis-kill.ts';
import { sourceThrottle } from './source-throttle.ts';
import { siteBuildFailure } from './site-build-failure.ts';
import { stripeWebhookReplay } from './stripe-webhook-replay.ts';

export const SCENARIOS: ChaosScenario[] = [
  workerSigkill,
  postgresRestart,
  temporalRestart,
  redisKill,
  sourceThrottle,
  siteBuildFailure,
  stripeWebhookReplay,
];
