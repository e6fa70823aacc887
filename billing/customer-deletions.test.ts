// Erasure's Stripe side against a real queue in PostgreSQL: a deleted customer leaves the queue, one Stripe no
// longer knows counts as deleted, and a refusal keeps the row with the error and a backed-off next attempt.
// stripe-mock answers every deletion with success whatever the id, so a small local server plays Stripe's
// answers (200, 404 resource_missing, 400) through the real SDK client.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueStripeCustomerDeletions, queueStripeCustomerDeletions } from '../db/data-rights.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { deleteDueStripeCustomers, nextDeletionAttempt } from './customer-deletions.ts';
import { createStripeClient } from './stripe-client.ts';

let db: TestDatabase;
let server: Server;
let apiUrl: string;

beforeAll(async () => {
  db = await createTestDatabase();
  server = createServer((req, res) => {
    const id = decodeURIComponent(req.url?.split('/').pop() ?? '');
    res.setHeader('content-type', 'application/json');
    if (req.method === 'DELETE' && id === 'cus_present') {
      res.end(JSON.stringify({ id, object: 'customer', deleted: true }));
    } else if (id === 'cus_gone') {
      res.statusCode = 404;
      res.end(
        JSON.stringify({
          error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such customer: '${id}'` },
        }),
      );
    } else {
      res.statusCode = 400;
      res.end(
        JSON.stringify({ error: { type: 'invalid_request_error', message: 'Customer cannot be deleted right now' } }),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await db.drop();
});

describe('nextDeletionAttempt', () => {
  it('waits 5 minutes, doubling with each attempt, and never more than a day', () => {
    const now = new Date('2026-05-01T12:00:00Z');
    const minutes = (attempts: number) => (nextDeletionAttempt(now, attempts).getTime() - now.getTime()) / 60_000;
    expect([0, 1, 2, 3].map(minutes)).toEqual([5, 10, 20, 40]);
    expect(minutes(9)).toBe(24 * 60);
  });
});

describe('deleteDueStripeCustomers', () => {
  it('drops deleted and unknown customers from the queue and keeps a refused one for later with its error', async () => {
    const now = new Date('2026-05-01T12:00:00Z');
    const stripe = createStripeClient({
      stripe: {
        secretKey: 'sk_test_deletions',
        apiUrl,
        webhookSecret: undefined,
        priceId: 'price_x',
        paymentGraceDays: 7,
        localMockPort: 0,
      },
    });
    await queueStripeCustomerDeletions(db.pool, ['cus_present', 'cus_gone', 'cus_refused'], now);

    expect(await deleteDueStripeCustomers(db.pool, stripe, now)).toBe(1);

    const { rows } = await db.pool.query<{
      stripe_customer_id: string;
      attempts: number;
      last_error: string;
      next_attempt_at: Date;
    }>('SELECT stripe_customer_id, attempts, last_error, next_attempt_at FROM stripe_customer_deletions');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      stripe_customer_id: 'cus_refused',
      attempts: 1,
      next_attempt_at: new Date('2026-05-01T12:05:00Z'),
    });
    expect(rows[0]?.last_error).toMatch(/Customer cannot be deleted right now/);
    // Not due again until its next attempt.
    expect(await dueStripeCustomerDeletions(db.pool, now, 10)).toEqual([]);
    expect(await dueStripeCustomerDeletions(db.pool, new Date('2026-05-01T12:05:00Z'), 10)).toEqual([
      { customerId: 'cus_refused', attempts: 1 },
    ]);
  });
});
