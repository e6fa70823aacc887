import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../db/audit-log.ts';
import { applySubscriptionUpdate, subscriptionById } from '../db/subscriptions.ts';
import { createUser, setRole, userById } from '../db/users.ts';
import { startBillingWorker, testTemporalClient, type BillingWorker } from '../test/billing-worker.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import type { reconcileSubscriptions } from './reconcile-subscriptions.ts';

let db: TestDatabase;
let worker: BillingWorker;
let temporal: Awaited<ReturnType<typeof testTemporalClient>>;

beforeAll(async () => {
  db = await createTestDatabase();
  worker = await startBillingWorker({ pool: db.pool });
  temporal = await testTemporalClient();
});
afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await db?.drop();
});

/** What stripe-mock answers for any subscription id (its fixture). */
const STRIPE_MOCK = { status: 'active', cancelAtPeriodEnd: true, currentPeriodEnd: new Date(976_287_773_000) };

async function subscriber(
  role: 'free' | 'premium',
  state: { status: string; currentPeriodEnd: Date; cancelAtPeriodEnd: boolean },
) {
  const userId = (await createUser(db.pool, { email: `reconcile-${randomUUID()}@example.test`, passwordHash: 'x' }))!;
  await setRole(db.pool, userId, role);
  const subscriptionId = `sub_reconcile_${randomUUID().slice(0, 8)}`;
  await applySubscriptionUpdate(db.pool, {
    subscriptionId,
    userId,
    customerId: `cus_${randomUUID().slice(0, 8)}`,
    priceId: null,
    graceUntil: null,
    eventAt: new Date(),
    ...state,
  });
  return { userId, subscriptionId };
}

describe('reconcileSubscriptions (against stripe-mock)', () => {
  it("repairs drifted subscriptions from Stripe, recomputes their owners' roles, and leaves the rest", async () => {
    // Our records say canceled (with a paid period still running: premium); Stripe says otherwise.
    const drifted = await Promise.all(
      [1, 2].map(() =>
        subscriber('premium', {
          status: 'canceled',
          currentPeriodEnd: new Date(Date.now() + 86_400_000),
          cancelAtPeriodEnd: false,
        }),
      ),
    );
    const inSync = await subscriber('free', STRIPE_MOCK);

    const result = await temporal.client.workflow.execute<typeof reconcileSubscriptions>('reconcileSubscriptions', {
      taskQueue: worker.taskQueue,
      workflowId: `reconcile-test-${randomUUID()}`,
      args: [{ pageSize: 2 }],
    });
    expect(result).toEqual({ checked: 3, repaired: 2 });

    for (const { userId, subscriptionId } of drifted) {
      expect(await subscriptionById(db.pool, subscriptionId)).toMatchObject(STRIPE_MOCK);
      // Stripe's period ended long ago, and the subscription is set to end with it: no longer premium.
      expect((await userById(db.pool, userId))?.role).toBe('free');
      const [audit] = await auditEntries(db.pool, { action: 'subscription_reconciled', subject: userId });
      expect(audit?.details).toMatchObject({
        subscriptionId,
        drift: [
          { field: 'status', stored: 'canceled', stripe: 'active' },
          { field: 'currentPeriodEnd' },
          { field: 'cancelAtPeriodEnd', stored: false, stripe: true },
        ],
      });
      expect((await auditEntries(db.pool, { action: 'role_changed', subject: userId }))[0]?.details).toMatchObject({
        from: 'premium',
        to: 'free',
        reason: 'period_ended',
        cause: 'reconciliation',
      });
    }
    expect(await auditEntries(db.pool, { action: 'subscription_reconciled', subject: inSync.userId })).toEqual([]);
  });
});
