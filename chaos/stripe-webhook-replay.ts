/** Chaos scenario `stripe-webhook-replay` (issue 11.4, being built). */
import type { ChaosScenario } from './scenario.ts';

export const stripeWebhookReplay: ChaosScenario = {
  name: 'stripe-webhook-replay',
  summary: 'not built yet',
  timeLimitMs: 60_000,
  run() {
    return Promise.reject(new Error('the stripe-webhook-replay scenario is not built yet'));
  },
};
