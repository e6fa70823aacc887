import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queueStripeCustomerDeletions } from '../db/data-rights.ts';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { withPipelineWorker } from '../test/temporal.ts';
import type { eraseStripeCustomers } from './erase-stripe-customers.ts';

// The retry end to end: a real worker, the real database and the run's stripe-mock.
describe('eraseStripeCustomers', () => {
  let db: TestDatabase;
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
  });
  afterAll(async () => {
    await connection?.close();
    await db?.drop();
  });

  it('deletes the due customers at Stripe and forgets them; one not yet due waits for its turn', async () => {
    const past = new Date(Date.now() - 60_000);
    await queueStripeCustomerDeletions(db.pool, ['cus_erasedA1', 'cus_erasedB2'], past);
    await queueStripeCustomerDeletions(db.pool, ['cus_later3'], new Date(Date.now() + 3_600_000));
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: db.url,
      STRIPE_API_URL: inject('stripeMockUrl'),
      LOG_LEVEL: 'silent',
    });
    const deps = {
      pool: db.pool,
      config,
      log: createLogger({ level: 'silent', name: 'test' }),
      mlbBaseUrl: 'http://127.0.0.1:9',
    };
    const result = await withPipelineWorker('erase-stripe', deps, (taskQueue) =>
      client.workflow.execute<typeof eraseStripeCustomers>('eraseStripeCustomers', {
        taskQueue,
        workflowId: `erase-stripe-${Date.now()}`,
        args: [{}],
      }),
    );
    expect(result).toEqual({ stillQueued: 0 });
    const { rows } = await db.pool.query<{ stripe_customer_id: string }>(
      `SELECT stripe_customer_id FROM stripe_customer_deletions`,
    );
    expect(rows.map((r) => r.stripe_customer_id)).toEqual(['cus_later3']);
  });
});
