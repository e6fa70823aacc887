/**
 * The daily reconciliation (schedule `reconcile-subscriptions`): every stored subscription is compared with Stripe,
 * drift (a lost or misordered webhook) repaired, and its owner's role recomputed from the records. Pages of ids keep
 * each activity's payload small; one subscription per activity, so a Stripe error retries only that one.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

const dbStep = { startToCloseTimeout: '1 minute', retry: { maximumAttempts: 5 } } as const;
const stripeStep = {
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5, maximumInterval: '1 minute' },
} as const;
const { listSubscriptionIds } = proxyActivities<Activities>(dbStep);
const { reconcileSubscription } = proxyActivities<Activities>(stripeStep);

export interface ReconcileSubscriptionsInput {
  /** Ids per page. @default 100 */
  pageSize?: number;
}

export interface ReconcileSubscriptionsResult {
  checked: number;
  /** Subscriptions whose stored state differed from Stripe's and was repaired. */
  repaired: number;
}

export async function reconcileSubscriptions(
  input: ReconcileSubscriptionsInput = {},
): Promise<ReconcileSubscriptionsResult> {
  const limit = input.pageSize ?? 100;
  let after: string | null = null;
  let checked = 0;
  let repaired = 0;
  for (;;) {
    const ids: string[] = await listSubscriptionIds({ after, limit });
    for (const subscriptionId of ids) {
      const { drift } = await reconcileSubscription({ subscriptionId });
      checked++;
      if (drift.length > 0) repaired++;
    }
    if (ids.length < limit) return { checked, repaired };
    after = ids[ids.length - 1]!;
  }
}
