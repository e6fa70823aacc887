// An overloaded database answers 503 with Retry-After, never 500: a real exhausted pool (one connection, held) behind
// the real app, and the real errors PostgreSQL and pg give for a statement timeout and a pool wait that ran out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../lib/db.ts';
import { seedPublishedWorld } from '../test/api-fixture.ts';
import { createTestApi, type TestApi } from '../test/api.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { DATABASE_OVERLOAD_RETRY_AFTER_SECONDS, databaseOverload } from './db-overload.ts';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';

async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('an API whose one pool connection is held elsewhere', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ env: { API_DB_POOL_SIZE: '1', DATABASE_CONNECT_TIMEOUT_MS: '200' } });
    await seedPublishedWorld(api.db.pool);
    await api.deps.cache.invalidate('fixture seeded');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers a search 503 problem+json with Retry-After, counts it and serves again once the connection is back', async () => {
    // A query first, so the cache's version read after the invalidation is not what waits for the held connection.
    expect((await api.request('GET', '/api/v1/prospects/search?q=ramirez')).status).toBe(200);
    const held = await api.deps.pool.connect();
    let res: Response;
    try {
      res = await api.request('GET', '/api/v1/prospects/search?q=moncada');
    } finally {
      held.release();
    }
    const body = await res.text();
    expect(res.status, body).toBe(503);
    expect(res.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
    expect(res.headers.get('retry-after')).toBe(String(DATABASE_OVERLOAD_RETRY_AFTER_SECONDS));
    expect(JSON.parse(body)).toMatchObject({
      status: 503,
      title: 'Service Unavailable',
      detail: expect.stringContaining('pool-exhausted'),
    });
    const metrics = (await api.deps.metrics.render()).body;
    expect(metrics).toContain('api_database_overload_total{reason="pool-exhausted"} 1');
    expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/api\/v1\/prospects\/search",status="503"\} 1/);

    expect((await api.request('GET', '/api/v1/prospects/search?q=moncada')).status).toBe(200);
  });
});

describe('databaseOverload', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool(db.url, { max: 1, connectTimeoutMs: 100, statementTimeoutMs: 50 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it("names pg-pool's wait for a connection that ran out", async () => {
    const held = await pool.connect();
    try {
      expect(databaseOverload(await rejection(pool.query('SELECT 1')))).toBe('pool-exhausted');
    } finally {
      held.release();
    }
  });

  it("names PostgreSQL's statement timeout", async () => {
    expect(databaseOverload(await rejection(pool.query('SELECT pg_sleep(1)')))).toBe('statement-timeout');
  });

  it('finds an overload wrapped as the cause of another error', () => {
    expect(
      databaseOverload(
        new Error('loading the card failed', { cause: new Error('timeout exceeded when trying to connect') }),
      ),
    ).toBe('pool-exhausted');
  });

  it('leaves other failures to the 500 path', async () => {
    expect(databaseOverload(await rejection(pool.query('SELECT no_such_column FROM players')))).toBeUndefined();
    expect(databaseOverload(new TypeError('x is undefined'))).toBeUndefined();
    expect(databaseOverload('timeout exceeded when trying to connect')).toBeUndefined();
  });
});
