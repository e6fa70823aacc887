import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditEntries } from '../../db/audit-log.ts';
import { billingAccount, linkStripeCustomer, subscriptionById } from '../../db/subscriptions.ts';
import { userById } from '../../db/users.ts';
import { createLogger } from '../../lib/log.ts';
import { createTestApi, type TestApi } from '../../test/api.ts';
import { createUser, type TestUser } from '../../test/api-users.ts';
import { freePort } from '../../test/ports.ts';
import {
  endSagas,
  eventually,
  startBillingWorker,
  testTemporalClient,
  type BillingWorker,
} from '../../test/billing-worker.ts';
import {
  checkoutCompletedEvents,
  deliverWebhook,
  signWebhook,
  stripeEvent,
  type WebhookParties,
} from '../../billing/simulated-events.ts';

let api: TestApi;
let worker: BillingWorker;
let temporal: Awaited<ReturnType<typeof testTemporalClient>>;
const customers: string[] = [];

beforeAll(async () => {
  const taskQueue = `billing-api-${Date.now()}-${Math.random()}`;
  api = await createTestApi({ temporalTaskQueue: taskQueue });
  worker = await startBillingWorker({ pool: api.deps.pool, config: api.deps.config, taskQueue });
  temporal = await testTemporalClient();
});
afterAll(async () => {
  await endSagas(temporal?.client, customers);
  await worker?.stop();
  await temporal?.close();
  await api?.close();
});

async function emailsOf(
  userId: string,
): Promise<{ kind: string; dedupe_key: string; payload: Record<string, unknown> }[]> {
  const { rows } = await api.deps.pool.query<{ kind: string; dedupe_key: string; payload: Record<string, unknown> }>(
    `SELECT kind, dedupe_key, payload FROM email_outbox WHERE user_id = $1 ORDER BY email_id`,
    [userId],
  );
  return rows;
}

/** afwd_stripe_webhooks_total{outcome} of an app, as its /metrics exposition says (0 before the first). */
async function webhooks(app: TestApi, outcome: string): Promise<number> {
  const { body } = await app.deps.metrics.render();
  return Number(new RegExp(`^afwd_stripe_webhooks_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(body)?.[1] ?? 0);
}

const roleOf = async (userId: string) => (await userById(api.deps.pool, userId))?.role;
const subscription = async (user: TestUser) =>
  (await api.request('GET', '/api/v1/billing/subscription', { token: user.accessToken })).json() as Promise<
    Record<string, unknown>
  >;

/** A user who went through Checkout: the customer comes from the real checkout route (stripe-mock). */
async function subscriber(): Promise<{ user: TestUser; parties: WebhookParties }> {
  const user = await createUser(api);
  const res = await api.request('POST', '/api/v1/billing/checkout', { token: user.accessToken });
  expect(res.status).toBe(200);
  const customerId = (await billingAccount(api.deps.pool, user.userId))!.customerId!;
  customers.push(customerId);
  return {
    user,
    parties: { userId: user.userId, customerId, subscriptionId: `sub_test_${randomUUID().slice(0, 12)}` },
  };
}

describe('checkout and portal (against stripe-mock)', () => {
  it('creates a Stripe customer for the account once, and a subscription Checkout Session on it', async () => {
    const user = await createUser(api);
    const first = await api.request('POST', '/api/v1/billing/checkout', { token: user.accessToken });
    expect(first.status).toBe(200);
    const body = (await first.json()) as { sessionId: string; url: string };
    expect(body.sessionId).toMatch(/^cs_/);
    expect(body.url).toMatch(/^https:\/\//);
    const customerId = (await billingAccount(api.deps.pool, user.userId))?.customerId;
    expect(customerId).toMatch(/^cus_/);
    expect((await api.request('POST', '/api/v1/billing/checkout', { token: user.accessToken })).status).toBe(200);
    expect((await billingAccount(api.deps.pool, user.userId))?.customerId).toBe(customerId);
  });

  it('needs a token, and never takes a tier from the client', async () => {
    expect((await api.request('POST', '/api/v1/billing/checkout')).status).toBe(401);
    const user = await createUser(api);
    const res = await api.request('POST', '/api/v1/billing/checkout', {
      token: user.accessToken,
      body: { tier: 'premium', role: 'admin' },
    });
    expect(res.status).toBe(200);
    expect(await roleOf(user.userId)).toBe('free');
  });

  it('opens the billing portal only for an account with a Stripe customer', async () => {
    const user = await createUser(api);
    const none = await api.request('POST', '/api/v1/billing/portal', { token: user.accessToken });
    expect(none.status).toBe(409);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    await api.request('POST', '/api/v1/billing/checkout', { token: user.accessToken });
    const res = await api.request('POST', '/api/v1/billing/portal', { token: user.accessToken });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { url: string }).url).toMatch(/^https:\/\//);
  });

  it('answers 502 with a problem, not a 500, when Stripe cannot be reached', async () => {
    const down = await createTestApi({ env: { STRIPE_API_URL: `http://127.0.0.1:${await freePort()}` } });
    try {
      const user = await createUser(down);
      const checkout = await down.request('POST', '/api/v1/billing/checkout', { token: user.accessToken });
      expect(checkout.status).toBe(502);
      expect(checkout.headers.get('content-type')).toContain('application/problem+json');
      expect(((await checkout.json()) as { detail: string }).detail).toMatch(
        /Stripe could not be reached while creating the Stripe customer/,
      );
      await linkStripeCustomer(down.deps.pool, user.userId, 'cus_unreachable');
      const portal = await down.request('POST', '/api/v1/billing/portal', { token: user.accessToken });
      expect(portal.status).toBe(502);
      expect(((await portal.json()) as { detail: string }).detail).toMatch(/billing portal session/);
    } finally {
      await down.close();
    }
  }, 30_000);

  it('shows null fields before any subscription', async () => {
    const user = await createUser(api);
    expect(await subscription(user)).toEqual({
      role: 'free',
      status: null,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: null,
      graceUntil: null,
    });
  });
});

describe('the webhook', () => {
  const parties = { userId: null, customerId: 'cus_sig', subscriptionId: 'sub_sig' };

  it('refuses a missing, forged or stale signature, and a tampered body, with a 400 problem', async () => {
    const event = stripeEvent('customer.created', parties);
    const rejected = await webhooks(api, 'rejected');
    const cases = [
      await deliverWebhook(api, event, { signature: null }),
      await deliverWebhook(api, event, { secret: 'whsec_not_ours' }),
      await deliverWebhook(api, event, { signature: 't=1,v1=deadbeef' }),
      await deliverWebhook(api, event, {
        signature: signWebhook(event.payload, undefined, Math.floor(Date.now() / 1000) - 3600),
      }),
      await deliverWebhook(
        api,
        { ...event, payload: event.payload.replace('"livemode":false', '"livemode":true') },
        { signature: signWebhook(event.payload) },
      ),
    ];
    for (const res of cases) {
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await webhooks(api, 'rejected')).toBe(rejected + cases.length);
  });

  it('acknowledges a signed event of a type it does not handle, and is not rate limited', async () => {
    // Anonymous callers get 1 request a minute on this instance; Stripe's deliveries must all get through.
    const limited = await createTestApi({ env: { API_RATE_LIMIT_ANONYMOUS: '1' } });
    try {
      for (let i = 0; i < 4; i++) {
        const res = await deliverWebhook(limited, stripeEvent('customer.created', parties));
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ received: true, outcome: 'ignored' });
      }
      expect(await webhooks(limited, 'ignored')).toBe(4);
      expect((await limited.request('GET', '/api/v1/prospects/filters')).status).not.toBe(429);
      expect((await limited.request('GET', '/api/v1/prospects/filters')).status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('acknowledges a handled event whose body it cannot read as unparsable, counts it and logs it at error', async () => {
    const lines: Record<string, unknown>[] = [];
    const capturing = createLogger({
      level: 'info',
      destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    // The request logger is a child of the app's logger: hand out the capturing one for this delivery.
    const child = vi
      .spyOn(api.deps.log, 'child')
      .mockReturnValue(capturing as unknown as ReturnType<typeof api.deps.log.child>);
    try {
      const event = stripeEvent('customer.subscription.updated', {
        userId: randomUUID(),
        customerId: 'cus_unparsable',
        subscriptionId: 'sub_unparsable',
      });
      const body = JSON.parse(event.payload) as { data: { object: Record<string, unknown> } };
      delete body.data.object.status; // the saga needs the subscription's status
      const [before, ignored] = [await webhooks(api, 'unparsable'), await webhooks(api, 'ignored')];
      const res = await deliverWebhook(api, { ...event, payload: JSON.stringify(body) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: true, outcome: 'unparsable' });
      expect(await webhooks(api, 'unparsable')).toBe(before + 1);
      expect(await webhooks(api, 'ignored')).toBe(ignored);
      const logged = lines.find((l) => l.msg === 'Stripe event of a handled type has a body we cannot read');
      expect(logged).toMatchObject({ level: 50, eventId: event.id, eventType: 'customer.subscription.updated' });
      expect(logged?.issues).toMatch(/status/);
    } finally {
      child.mockRestore();
    }
  });

  it("takes a large signed event past the API's body limit, up to its own larger limit (413 beyond)", async () => {
    const padded = (bytes: number) => {
      const event = stripeEvent('customer.created', parties);
      const body = JSON.parse(event.payload) as { data: { object: Record<string, unknown> } };
      body.data.object.description = 'x'.repeat(bytes);
      return { ...event, payload: JSON.stringify(body) };
    };
    const limit = api.deps.config.api.bodyLimitBytes;
    expect(limit).toBeLessThan(100_000);
    const large = await deliverWebhook(api, padded(100_000));
    expect(large.status).toBe(200);
    expect(await large.json()).toEqual({ received: true, outcome: 'ignored' });
    const huge = await deliverWebhook(api, padded(2 * 1_048_576));
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
    // Every other route keeps the configured limit.
    const user = await createUser(api);
    const other = await api.request('POST', '/api/v1/billing/checkout', {
      token: user.accessToken,
      rawBody: `{"padding":"${'x'.repeat(limit + 1)}"}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(other.status).toBe(413);
  });

  it('answers 503 (so Stripe retries) when Temporal cannot take the event', async () => {
    const offline = await createTestApi();
    try {
      const user = await createUser(offline);
      const event = stripeEvent('customer.subscription.created', {
        userId: user.userId,
        customerId: 'cus_offline',
        subscriptionId: 'sub_offline',
      });
      const res = await deliverWebhook(offline, event);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('60');
      expect(await webhooks(offline, 'unavailable')).toBe(1);
    } finally {
      await offline.close();
    }
  });

  it('answers 503 when the Temporal server does not answer in time', async () => {
    const down = await createTestApi();
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, connectTimeout: 500 });
    try {
      down.deps.temporal = { client: new Client({ connection }), taskQueue: 'nobody-polls' };
      const user = await createUser(down);
      const res = await deliverWebhook(
        down,
        stripeEvent('invoice.paid', { userId: user.userId, customerId: 'cus_down', subscriptionId: 'sub_down' }),
      );
      expect(res.status).toBe(503);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/Stripe will retry/);
    } finally {
      await connection.close().catch(() => undefined);
      await down.close();
    }
  });

  it('grants premium after a checkout, queues one welcome e-mail, and audits without personal data', async () => {
    const { user, parties: p } = await subscriber();
    for (const event of checkoutCompletedEvents(p)) {
      const res = await deliverWebhook(api, event);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: true, outcome: 'queued' });
    }
    await eventually(
      async () =>
        (await roleOf(user.userId)) === 'premium' && (await emailsOf(user.userId)).length > 0 ? true : undefined,
      20_000,
      'premium',
    );
    expect(await subscription(user)).toMatchObject({
      role: 'premium',
      status: 'active',
      cancelAtPeriodEnd: false,
      graceUntil: null,
    });
    expect((await subscription(user)).currentPeriodEnd).toMatch(/^\d{4}-/);
    expect(await emailsOf(user.userId)).toEqual([
      { kind: 'welcome', dedupe_key: `welcome:${p.subscriptionId}`, payload: { subscriptionId: p.subscriptionId } },
    ]);
    const audit = (await auditEntries(api.deps.pool, { subject: user.userId })).filter((a) => a.actor === 'stripe');
    expect(audit.map((a) => a.action)).toEqual(['payment_state_changed', 'role_changed']);
    expect(JSON.stringify(audit)).not.toContain(user.email);
    expect(audit[1]).toMatchObject({ actor: 'stripe', details: { from: 'free', to: 'premium', reason: 'active' } });
  });

  it('applies a replayed event once: the redelivery is a duplicate with no second effect', async () => {
    const { user, parties: p } = await subscriber();
    const [created] = checkoutCompletedEvents(p);
    const [queued, duplicates] = [await webhooks(api, 'queued'), await webhooks(api, 'duplicate')];
    expect((await deliverWebhook(api, created!)).status).toBe(200);
    await eventually(async () => ((await roleOf(user.userId)) === 'premium' ? true : undefined), 20_000, 'premium');
    const before = await auditEntries(api.deps.pool, { subject: user.userId });
    const replay = await deliverWebhook(api, created!);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ received: true, outcome: 'duplicate' });
    expect([await webhooks(api, 'queued'), await webhooks(api, 'duplicate')]).toEqual([queued + 1, duplicates + 1]);
    // A cancellation after the replay proves the saga moved on past it without applying it again.
    await deliverWebhook(api, stripeEvent('customer.subscription.updated', p, { cancelAtPeriodEnd: true }));
    await eventually(
      async () => ((await subscription(user)).cancelAtPeriodEnd === true ? true : undefined),
      20_000,
      'the cancellation',
    );
    const after = await auditEntries(api.deps.pool, { subject: user.userId });
    expect(after.length).toBe(before.length);
    expect((await emailsOf(user.userId)).filter((e) => e.kind === 'welcome')).toHaveLength(1);
  });

  it('handles each event type: scheduled cancellation, failed payment (one e-mail per invoice), payment, deletion', async () => {
    const { user, parties: p } = await subscriber();
    const t = Math.floor(Date.now() / 1000);
    const deliver = async (event: ReturnType<typeof stripeEvent>) =>
      expect((await deliverWebhook(api, event)).status).toBe(200);
    await deliver(stripeEvent('customer.subscription.created', p, { created: t }));
    await eventually(async () => ((await roleOf(user.userId)) === 'premium' ? true : undefined), 20_000, 'premium');

    await deliver(stripeEvent('customer.subscription.updated', p, { created: t + 1, cancelAtPeriodEnd: true }));
    await eventually(
      async () => ((await subscription(user)).cancelAtPeriodEnd === true ? true : undefined),
      20_000,
      'cancel at period end',
    );
    expect(await roleOf(user.userId)).toBe('premium');

    await deliver(stripeEvent('customer.subscription.updated', p, { created: t + 2, cancelAtPeriodEnd: false }));
    await deliver(stripeEvent('invoice.payment_failed', p, { created: t + 3, invoiceId: 'in_failed_1' }));
    await deliver(stripeEvent('invoice.payment_failed', p, { created: t + 4, invoiceId: 'in_failed_1' }));
    await eventually(
      async () => ((await subscription(user)).status === 'past_due' ? true : undefined),
      20_000,
      'past due',
    );
    const pastDue = await subscription(user);
    expect(pastDue).toMatchObject({ role: 'premium', status: 'past_due' });
    // PAYMENT_GRACE_DAYS (7 by default) from the failure.
    expect(Date.parse(pastDue.graceUntil as string)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    await eventually(
      async () => ((await emailsOf(user.userId)).some((e) => e.kind === 'payment_failed') ? true : undefined),
      10_000,
      'the e-mail',
    );
    expect((await emailsOf(user.userId)).filter((e) => e.kind === 'payment_failed')).toEqual([
      {
        kind: 'payment_failed',
        dedupe_key: 'payment_failed:in_failed_1',
        payload: { subscriptionId: p.subscriptionId, graceUntil: pastDue.graceUntil, amountDue: 500, currency: 'usd' },
      },
    ]);

    await deliver(stripeEvent('invoice.paid', p, { created: t + 5 }));
    await eventually(async () => ((await subscription(user)).status === 'active' ? true : undefined), 20_000, 'paid');
    expect(await subscription(user)).toMatchObject({ role: 'premium', graceUntil: null });

    await deliver(
      stripeEvent('customer.subscription.deleted', p, {
        created: t + 6,
        currentPeriodEnd: new Date(Date.now() - 1000),
      }),
    );
    await eventually(async () => ((await roleOf(user.userId)) === 'free' ? true : undefined), 20_000, 'the downgrade');
    expect(await subscriptionById(api.deps.pool, p.subscriptionId)).toMatchObject({ status: 'canceled' });
    expect(await subscription(user)).toMatchObject({ role: 'free', status: 'canceled' });
  });

  it("never changes an admin's role", async () => {
    const admin = await createUser(api, 'admin');
    const customerId = `cus_admin_${randomUUID().slice(0, 8)}`;
    customers.push(customerId);
    const p = { userId: admin.userId, customerId, subscriptionId: `sub_admin_${randomUUID().slice(0, 8)}` };
    await deliverWebhook(api, stripeEvent('customer.subscription.created', p));
    await eventually(
      async () => ((await subscriptionById(api.deps.pool, p.subscriptionId)) ? true : undefined),
      20_000,
      'the record',
    );
    await deliverWebhook(
      api,
      stripeEvent('customer.subscription.deleted', p, { currentPeriodEnd: new Date(Date.now() - 1000) }),
    );
    await eventually(
      async () => ((await subscriptionById(api.deps.pool, p.subscriptionId))?.status === 'canceled' ? true : undefined),
      20_000,
      'the cancellation',
    );
    expect(await roleOf(admin.userId)).toBe('admin');
    expect(await auditEntries(api.deps.pool, { action: 'role_changed', subject: admin.userId })).toEqual([]);
  });
});
