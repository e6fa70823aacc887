/** Activities of the subscription saga and the Stripe reconciliation (filled in by the billing work). */
import type { ActivityDeps } from './context.ts';

export function createBillingActivities(_deps: ActivityDeps) {
  return {};
}
