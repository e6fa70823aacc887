import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Context } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBillingEvent } from '../billing/events.ts';
import { auditEntries } from '../db/audit-log.ts';
import { deleteUserRow } from '../db/data-rights.ts';
import { subscriptionById } from '../db/subscriptions.ts';
import { createUser, userById } from '../db/users.ts';
import {
  endSagas,
  billingTestConfig,
  eventually,
  startBillingWorker,
  testTemporalClient,
  type BillingWorker,
} from '../test/billing-worker.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import {
  checkoutCompletedEvents,
  stripeEvent,
  type TestStripeEvent,
  type WebhookParties,
} from '../billing/simulated-events.ts';
import { STRIPE_EVENT_SIGNAL, subscriptionWorkflowId } from './billing-ids.ts';
import type { SubscriptionSagaInput } from './subscription.ts';

let db: TestDatabase;
let worker: BillingWorker;
let temporal: Awaited<ReturnType<typeof testTemporalClient>>;
const customers: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  worker = await startBillingWorker({ pool: db.pool });
  temporal = await testTemporalClient();
});
afterAll(async () => {
  await endSagas(temporal?.client, customers);
  await worker?.stop();
  await temporal?.close();
  await db?.drop();
});

const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const roleOf = async (userId: string) => (await userById(db.pool, userId))?.role;
const until = (what: string, check: () => Promise<boolean>) =>
  eventually(async () => ((await check()) ? true : undefined), 30_000, what);

async function account(): Promise<WebhookParties> {
  const userId = (await createUser(db.pool, { email: `saga-${randomUUID()}@example.test`, passwordHash: 'x' }))!;
  const customerId = `cus_saga_${randomUUID().slice(0, 12)}`;
  customers.push(customerId);
  return { userId, customerId, subscriptionId: `sub_saga_${randomUUID().slice(0, 12)}` };
}

/** Signals the customer's saga as the webhook does, with a grace of `graceSeconds`. */
async function send(taskQueue: string, graceSeconds: number, ...events: TestStripeEvent[]): Promise<void> {
  return sendWith(taskQueue, { graceSeconds }, ...events);
}

async function sendWith(
  taskQueue: string,
  options: Omit<SubscriptionSagaInput, 'customerId'>,
  ...events: TestStripeEvent[]
): Promise<void> {
  for (const e of events) {
    const event = toBillingEvent(JSON.parse(e.payload))!;
    const input: SubscriptionSagaInput = { customerId: event.customerId, ...options };
    await temporal.client.workflow.signalWithStart('subscriptionSaga', {
      workflowId: subscriptionWorkflowId(event.customerId),
      taskQueue,
      args: [input],
      signal: STRIPE_EVENT_SIGNAL,
      signalArgs: [event],
    });
  }
}

async function emails(userId: string, kind: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ dedupe_key: string }>(
    `SELECT dedupe_key FROM email_outbox WHERE user_id = $1 AND kind = $2`,
    [userId, kind],
  );
  return rows.map((r) => r.dedupe_key);
}

describe('subscription saga', () => {
  it('grants premium with one welcome e-mail, then downgrades when the grace after a failed payment runs out', async () => {
    const p = await account();
    // A grace long enough that a loaded machine still records the failure before it ends: the downgrade must come
    // from the saga's timer, not from an event that arrives already past the grace.
    // The checkout's events end a second before the failure: a failure in the same second as the event that
    // cleared the grace does not start one (billing/grace-order.ts: strictly after), which a fast machine hit.
    await send(worker.taskQueue, 8, ...checkoutCompletedEvents(p, { created: now() - 3 }));
    await until(
      'premium',
      async () => (await roleOf(p.userId!)) === 'premium' && (await emails(p.userId!, 'welcome')).length === 1,
    );
    await send(worker.taskQueue, 8, stripeEvent('invoice.payment_failed', p, { invoiceId: 'in_grace' }));
    await until('past due', async () => (await subscriptionById(db.pool, p.subscriptionId))?.status === 'past_due');
    expect(await roleOf(p.userId!)).toBe('premium');
    expect(await emails(p.userId!, 'payment_failed')).toEqual(['payment_failed:in_grace']);
    await until('the downgrade', async () => (await roleOf(p.userId!)) === 'free');
    const changes = await auditEntries(db.pool, { action: 'role_changed', subject: p.userId! });
    expect(changes.map((c) => c.details)).toMatchObject([
      { to: 'premium', reason: 'active' },
      { to: 'free', reason: 'grace_expired', cause: 'timer' },
    ]);
    expect(await emails(p.userId!, 'welcome')).toEqual([`welcome:${p.subscriptionId}`]);
  });

  it('keeps premium when the payment succeeds within the grace', async () => {
    const p = await account();
    const t = now();
    await send(worker.taskQueue, 3, stripeEvent('customer.subscription.created', p, { created: t }));
    await until('premium', async () => (await roleOf(p.userId!)) === 'premium');
    await send(worker.taskQueue, 3, stripeEvent('invoice.payment_failed', p, { created: t + 1 }));
    await until('past due', async () => (await subscriptionById(db.pool, p.subscriptionId))?.status === 'past_due');
    await send(worker.taskQueue, 3, stripeEvent('invoice.paid', p, { created: t + 2 }));
    await until('paid', async () => (await subscriptionById(db.pool, p.subscriptionId))?.status === 'active');
    await sleep(4_500);
    expect(await roleOf(p.userId!)).toBe('premium');
    expect(await auditEntries(db.pool, { action: 'role_changed', subject: p.userId! })).toHaveLength(1);
  });

  it('keeps free a subscriber whose subscription Stripe cancels after the grace for an unpaid period ran out', async () => {
    const p = await account();
    const t = now();
    await send(worker.taskQueue, 1, stripeEvent('customer.subscription.created', p, { created: t }));
    await until('premium', async () => (await roleOf(p.userId!)) === 'premium');
    await send(worker.taskQueue, 1, stripeEvent('invoice.payment_failed', p, { created: t + 1 }));
    await until('the downgrade', async () => (await roleOf(p.userId!)) === 'free');
    // Stripe's retries are over: the subscription is cancelled, its unpaid period still weeks from its end.
    await send(
      worker.taskQueue,
      1,
      stripeEvent('customer.subscription.deleted', p, {
        created: t + 2,
        currentPeriodEnd: new Date(Date.now() + 20 * 86_400_000),
      }),
    );
    await until('cancelled', async () => (await subscriptionById(db.pool, p.subscriptionId))?.status === 'canceled');
    await sleep(500);
    expect(await roleOf(p.userId!)).toBe('free');
  });

  it('downgrades at the end of a cancelled period, unless the subscription is reactivated before', async () => {
    const [leaving, staying] = [await account(), await account()];
    const t = now();
    const end = new Date(Date.now() + 3_000);
    for (const p of [leaving, staying]) {
      await send(worker.taskQueue, 60, stripeEvent('customer.subscription.created', p, { created: t }));
      await send(
        worker.taskQueue,
        60,
        stripeEvent('customer.subscription.updated', p, {
          created: t + 1,
          cancelAtPeriodEnd: true,
          currentPeriodEnd: end,
        }),
      );
    }
    await send(
      worker.taskQueue,
      60,
      stripeEvent('customer.subscription.updated', staying, {
        created: t + 2,
        cancelAtPeriodEnd: false,
        currentPeriodEnd: end,
      }),
    );
    await until(
      'cancellation recorded',
      async () => (await subscriptionById(db.pool, leaving.subscriptionId))?.cancelAtPeriodEnd === true,
    );
    expect(await roleOf(leaving.userId!)).toBe('premium');
    await until('the period-end downgrade', async () => (await roleOf(leaving.userId!)) === 'free');
    expect(await roleOf(staying.userId!)).toBe('premium');
    expect(
      (await auditEntries(db.pool, { action: 'role_changed', subject: leaving.userId! })).at(-1)?.details,
    ).toMatchObject({ to: 'free', reason: 'period_ended' });
  });

  it('orders events by their creation time and ignores duplicates', async () => {
    const p = await account();
    const t = now();
    const newer = stripeEvent('customer.subscription.updated', p, {
      created: t + 10,
      cancelAtPeriodEnd: true,
      currentPeriodEnd: new Date(Date.now() + 86_400_000),
    });
    const older = stripeEvent('customer.subscription.created', p, { created: t });
    await send(worker.taskQueue, 60, newer, older, newer, older);
    await until('both applied', async () => {
      const { rows } = await db.pool.query(
        `SELECT 1 FROM stripe_events WHERE event_id IN ($1, $2) AND processed_at IS NOT NULL`,
        [newer.id, older.id],
      );
      return rows.length === 2;
    });
    expect(await subscriptionById(db.pool, p.subscriptionId)).toMatchObject({
      status: 'active',
      cancelAtPeriodEnd: true,
    });
    expect(await auditEntries(db.pool, { action: 'payment_state_changed', subject: p.userId! })).toHaveLength(1);
    expect(await auditEntries(db.pool, { action: 'role_changed', subject: p.userId! })).toHaveLength(1);
  });

  it('keeps a paying subscriber premium when the incomplete subscription.created of the same second comes last', async () => {
    const p = await account();
    const t = now();
    const paid = stripeEvent('invoice.paid', p, { created: t });
    const created = stripeEvent('customer.subscription.created', p, { created: t, status: 'incomplete' });
    await send(worker.taskQueue, 60, paid, created);
    await until('both applied', async () => {
      const { rows } = await db.pool.query(
        `SELECT 1 FROM stripe_events WHERE event_id IN ($1, $2) AND processed_at IS NOT NULL`,
        [paid.id, created.id],
      );
      return rows.length === 2;
    });
    await until('premium', async () => (await roleOf(p.userId!)) === 'premium');
    expect((await subscriptionById(db.pool, p.subscriptionId))?.status).toBe('active');
  });

  it('continues as new to bound its history, carrying the account and the events not yet applied', async () => {
    const p = await account();
    const t = now();
    const events = [0, 1, 2, 3, 4].map((i) =>
      stripeEvent('customer.subscription.updated', p, {
        created: t + i,
        cancelAtPeriodEnd: i % 2 === 0,
        currentPeriodEnd: new Date(Date.now() + 86_400_000),
      }),
    );
    await sendWith(worker.taskQueue, { graceSeconds: 60, eventsPerRun: 2 }, ...events);
    await until('all applied', async () => {
      const { rows } = await db.pool.query(
        `SELECT 1 FROM stripe_events WHERE event_id = ANY($1) AND processed_at IS NOT NULL`,
        [events.map((e) => e.id)],
      );
      return rows.length === events.length;
    });
    expect(await subscriptionById(db.pool, p.subscriptionId)).toMatchObject({ cancelAtPeriodEnd: true });
    const handle = temporal.client.workflow.getHandle(subscriptionWorkflowId(p.customerId));
    const runs: string[] = [];
    for await (const run of temporal.client.workflow.list({
      query: `WorkflowId = '${subscriptionWorkflowId(p.customerId)}'`,
    }))
      runs.push(run.status.name);
    expect(runs.filter((s) => s === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(2);
    expect((await handle.describe()).status.name).toBe('RUNNING');
  });

  it('compensates when the account is deleted between the record and the grant', async () => {
    const taskQueue = `billing-deleted-${Date.now()}-${Math.random()}`;
    const deleting = await startBillingWorker({
      pool: db.pool,
      taskQueue,
      override: (real) => ({
        syncEntitlement: async (input) => {
          await deleteUserRow(db.pool, input.userId);
          return real.syncEntitlement(input);
        },
      }),
    });
    try {
      const p = await account();
      await send(taskQueue, 60, stripeEvent('customer.subscription.created', p));
      await until(
        'the compensation',
        async () =>
          (await auditEntries(db.pool, { action: 'subscription_compensated', subject: p.subscriptionId })).length > 0,
      );
      expect(
        (await auditEntries(db.pool, { action: 'subscription_compensated', subject: p.subscriptionId }))[0]?.details,
      ).toEqual({ reason: 'account_deleted' });
    } finally {
      await deleting.stop();
    }
  });

  it('compensates a payment nobody can receive: the Stripe subscription is cancelled (stripe-mock)', async () => {
    const p = { ...(await account()), userId: randomUUID() };
    await send(worker.taskQueue, 60, ...checkoutCompletedEvents(p));
    await until(
      'the compensation',
      async () =>
        (await auditEntries(db.pool, { action: 'subscription_compensated', subject: p.subscriptionId })).length > 0,
    );
    expect(
      (await auditEntries(db.pool, { action: 'subscription_compensated', subject: p.subscriptionId }))[0]?.details,
    ).toEqual({ reason: 'no_account' });
    expect(await subscriptionById(db.pool, p.subscriptionId)).toBeNull();
  });

  it('stops retrying a compensation Stripe refuses (audited), and keeps retrying one Stripe fails to answer', async () => {
    // Answers like Stripe: a refusal (400 invalid_request_error) for sub_refused_*, two 500s then the cancellation otherwise.
    const cancels = new Map<string, number>();
    const stripe: Server = createServer((req, res) => {
      const id = /^\/v1\/subscriptions\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '';
      const count = (cancels.get(id) ?? 0) + 1;
      cancels.set(id, count);
      res.setHeader('content-type', 'application/json');
      res.setHeader('stripe-should-retry', 'false');
      if (req.method === 'DELETE' && id.startsWith('sub_refused_')) {
        res.writeHead(400).end(
          JSON.stringify({
            error: {
              type: 'invalid_request_error',
              code: 'subscription_not_cancelable',
              message: 'This subscription cannot be canceled.',
            },
          }),
        );
      } else if (req.method === 'DELETE' && count > 2) {
        res.writeHead(200).end(JSON.stringify({ id, object: 'subscription', status: 'canceled' }));
      } else {
        res.writeHead(500).end(JSON.stringify({ error: { type: 'api_error', message: 'Something went wrong.' } }));
      }
    });
    await new Promise<void>((resolve) => stripe.listen(0, '127.0.0.1', resolve));
    const stripeUrl = `http://127.0.0.1:${(stripe.address() as AddressInfo).port}`;
    const refusing = await startBillingWorker({
      pool: db.pool,
      config: billingTestConfig({ STRIPE_API_URL: stripeUrl }),
    });
    try {
      const refused = {
        ...(await account()),
        userId: randomUUID(),
        subscriptionId: `sub_refused_${randomUUID().slice(0, 8)}`,
      };
      const flaky = {
        ...(await account()),
        userId: randomUUID(),
        subscriptionId: `sub_flaky_${randomUUID().slice(0, 8)}`,
      };
      await send(
        refusing.taskQueue,
        60,
        stripeEvent('customer.subscription.created', refused),
        stripeEvent('customer.subscription.created', flaky),
      );
      await until(
        'the refusal audited',
        async () =>
          (
            await auditEntries(db.pool, {
              action: 'subscription_compensation_refused',
              subject: refused.subscriptionId,
            })
          ).length > 0,
      );
      expect(
        (
          await auditEntries(db.pool, { action: 'subscription_compensation_refused', subject: refused.subscriptionId })
        )[0]?.details,
      ).toMatchObject({ reason: 'no_account', statusCode: 400, code: 'subscription_not_cancelable' });
      await until(
        'the retried compensation',
        async () =>
          (await auditEntries(db.pool, { action: 'subscription_compensated', subject: flaky.subscriptionId })).length >
          0,
      );
      expect(cancels.get(flaky.subscriptionId)).toBe(3);
      // The refusal ended neither saga in failure: with no account left to serve, each run completes.
      for (const p of [refused, flaky]) {
        const handle = temporal.client.workflow.getHandle(subscriptionWorkflowId(p.customerId));
        await until('the saga to end', async () => (await handle.describe()).status.name === 'COMPLETED');
      }
      await sleep(1500);
      expect(cancels.get(refused.subscriptionId)).toBe(1);
      expect(
        await auditEntries(db.pool, { action: 'subscription_compensated', subject: refused.subscriptionId }),
      ).toEqual([]);
    } finally {
      await refusing.stop();
      await new Promise((resolve) => stripe.close(resolve));
    }
  });

  it('ends once the account is erased, so the user id does not live on in a run that never closes', async () => {
    const p = await account();
    const t = now();
    // An update, not a creation: no welcome e-mail (and its outbox drain) for the saga to be busy with.
    await send(worker.taskQueue, 60, stripeEvent('customer.subscription.updated', p, { created: t }));
    await until('premium', async () => (await roleOf(p.userId!)) === 'premium');
    const handle = temporal.client.workflow.getHandle(subscriptionWorkflowId(p.customerId));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await deleteUserRow(db.pool, p.userId!);
    // What Stripe sends once the erasure deleted the customer.
    await send(worker.taskQueue, 60, stripeEvent('customer.subscription.deleted', p, { created: t + 1 }));
    await until('the saga to end', async () => (await handle.describe()).status.name === 'COMPLETED');
  });

  it('still compensates a payment nobody can receive when the record step is retried after it committed', async () => {
    const taskQueue = `billing-norecord-${Date.now()}-${Math.random()}`;
    let crashed = false;
    const retrying = await startBillingWorker({
      pool: db.pool,
      taskQueue,
      override: (real) => ({
        // The claim commits, then the worker dies before it reports: the retry finds the event claimed already.
        recordBillingEvent: async (input) => {
          const recorded = await real.recordBillingEvent(input);
          if (!crashed) {
            crashed = true;
            throw new Error('the worker stopped after the record committed');
          }
          return recorded;
        },
      }),
    });
    try {
      const p = { ...(await account()), userId: randomUUID() };
      await send(taskQueue, 60, ...checkoutCompletedEvents(p).slice(0, 1));
      await until(
        'the compensation',
        async () =>
          (await auditEntries(db.pool, { action: 'subscription_compensated', subject: p.subscriptionId })).length > 0,
      );
      expect(crashed).toBe(true);
    } finally {
      await retrying.stop();
    }
  });
});

describe('subscription saga across a worker crash', () => {
  it('finishes the grant and the welcome on a new worker when the first stops in the middle of the grant', async () => {
    const taskQueue = `billing-crash-${Date.now()}-${Math.random()}`;
    let reached: () => void = () => undefined;
    const grantStarted = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const crashing = await startBillingWorker({
      pool: db.pool,
      taskQueue,
      override: (real) => ({
        // The grant commits, then the worker goes away before it reports back: the step must be redone, harmlessly.
        syncEntitlement: async (input) => {
          await real.syncEntitlement(input);
          reached();
          await Context.current().cancelled.catch(() => undefined);
          throw new Error('the worker stopped in the middle of the grant');
        },
      }),
    });
    const p = await account();
    await send(taskQueue, 60, ...checkoutCompletedEvents(p).slice(0, 1));
    await grantStarted;
    await crashing.stop();
    expect(await emails(p.userId!, 'welcome')).toEqual([]);

    const next = await startBillingWorker({ pool: db.pool, taskQueue });
    try {
      await until('the welcome e-mail', async () => (await emails(p.userId!, 'welcome')).length === 1);
      expect(await roleOf(p.userId!)).toBe('premium');
      expect(await auditEntries(db.pool, { action: 'role_changed', subject: p.userId! })).toHaveLength(1);
    } finally {
      await next.stop();
    }
  });
});
