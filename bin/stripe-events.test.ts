import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingAccount, subscriptionsOfUser } from '../db/subscriptions.ts';
import { userById } from '../db/users.ts';
import { REPO_ROOT } from '../lib/config.ts';
import { createTestApi, type TestApi } from '../test/api.ts';
import { createUser, type TestUser } from '../test/api-users.ts';
import { eventually, startBillingWorker, testTemporalClient, type BillingWorker } from '../test/billing-worker.ts';
import { subscriptionWorkflowId } from '../workflows/billing-ids.ts';

const run = promisify(execFile);
const BIN = path.join(REPO_ROOT, 'bin', 'stripe-events.ts');

let api: TestApi;
let worker: BillingWorker;
let server: ServerType;
let url: string;
let user: TestUser;

beforeAll(async () => {
  const taskQueue = `stripe-events-${Date.now()}-${Math.random()}`;
  api = await createTestApi({ temporalTaskQueue: taskQueue });
  worker = await startBillingWorker({ pool: api.deps.pool, config: api.deps.config, taskQueue });
  server = serve({ fetch: api.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  user = await createUser(api);
});
afterAll(async () => {
  const customerId = user ? (await billingAccount(api.deps.pool, user.userId))?.customerId : undefined;
  if (customerId) {
    const temporal = await testTemporalClient();
    await temporal.client.workflow
      .getHandle(subscriptionWorkflowId(customerId))
      .terminate('test over')
      .catch(() => undefined);
    await temporal.close();
  }
  await new Promise((resolve) => server?.close(resolve));
  await worker?.stop();
  await api?.close();
});

const stripeEvents = (...args: string[]) =>
  run(process.execPath, [BIN, ...args, '--api', url], {
    env: { ...process.env, DATABASE_URL: api.db.url, LOG_LEVEL: 'warn' },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe('npm run stripe:events', () => {
  it('sends what Stripe sends after a checkout, then a failed payment and a cancellation, for an account e-mail', async () => {
    const done = await stripeEvents('checkout-completed', '--email', user.email);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/checkout\.session\.completed evt_\S+: 200/);
    await eventually(
      async () => ((await userById(api.deps.pool, user.userId))?.role === 'premium' ? true : undefined),
      20_000,
      'premium',
    );

    expect((await stripeEvents('payment-failed', '--email', user.email)).code).toBe(0);
    await eventually(
      async () =>
        (await subscriptionsOfUser(api.deps.pool, user.userId)).at(-1)?.status === 'past_due' ? true : undefined,
      20_000,
      'past due',
    );
    expect((await stripeEvents('cancel', '--email', user.email)).code).toBe(0);
    await eventually(
      async () =>
        (await subscriptionsOfUser(api.deps.pool, user.userId)).at(-1)?.cancelAtPeriodEnd ? true : undefined,
      20_000,
      'cancelled',
    );
  });

  it('says what is wrong with one line: an unknown e-mail, a missing command', async () => {
    const unknown = await stripeEvents('cancel', '--email', 'nobody@example.test');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('No account has the e-mail nobody@example.test.');
    const usage = await stripeEvents('--email', user.email);
    expect(usage.code).toBe(1);
    expect(usage.stderr.trim()).toMatch(/^usage: npm run stripe:events/);
  });
});
