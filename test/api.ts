/**
 * The API in-process for tests: a migrated database of its own, the run's Redis under a key prefix of its own (suites
 * never see each other's keys, and nothing is ever flushed), and deps built by the same `buildApiDeps` the server uses.
 *
 * @example
 *   const api = await createTestApi();
 *   const res = await api.request('GET', '/api/v1/prospects', { token });
 *   await api.close();
 */
import { randomUUID } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { createApp } from '../api/app.ts';
import { buildApiDeps, type BuiltApiDeps } from '../api/deps.ts';
import type { ApiEnv } from '../api/env.ts';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestRequestOptions {
  /** JSON-encoded, with content-type application/json. */
  body?: unknown;
  /** Sent as is (malformed JSON, oversized bodies); give the content-type in `headers`. */
  rawBody?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
}

export interface TestApi {
  app: OpenAPIHono<ApiEnv>;
  deps: BuiltApiDeps;
  db: TestDatabase;
  /** The Redis key prefix of this instance (every key it writes starts with it). */
  keyPrefix: string;
  request(method: string, path: string, options?: TestRequestOptions): Promise<Response>;
  close(): Promise<void>;
}

export interface CreateTestApiOptions {
  /** Settings over the process environment (API_RATE_LIMIT_FREE, REDIS_URL pointing at a closed port...). */
  env?: Record<string, string>;
  /** Injected clock for token expiry and rotation. */
  now?: () => Date;
  /** Connect a Temporal client to the run's server, for routes that start workflows on this task queue. */
  temporalTaskQueue?: string;
}

/** Deletes this instance's keys (and only them) so the run's Redis does not grow; a server that is down keeps nothing. */
async function forgetKeys(url: string, prefix: string): Promise<void> {
  // Without keyPrefix: SCAN answers full key names, which a prefixing client would prefix again on DEL.
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 500,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Unreachable on purpose (tests of Redis down) or gone: nothing to forget.
  } finally {
    client.disconnect();
  }
}

export async function createTestApi(options: CreateTestApiOptions = {}): Promise<TestApi> {
  const db = await createTestDatabase();
  const keyPrefix = `afwd-test:${randomUUID().slice(0, 8)}:`;
  try {
    const config = loadConfig({
      ...process.env,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      REDIS_KEY_PREFIX: keyPrefix,
      // The run's stripe-mock, unless a test names another Stripe.
      STRIPE_API_URL: inject('stripeMockUrl'),
      ...options.env,
      DATABASE_URL: db.url,
      REDIS_URL: options.env?.REDIS_URL ?? inject('redisUrl'),
    });
    const log = createLogger({ level: config.logLevel, name: 'test-api' });
    const connection = options.temporalTaskQueue
      ? await Connection.connect({ address: inject('temporalAddress') })
      : null;
    const temporal = connection ? { client: new Client({ connection }), taskQueue: options.temporalTaskQueue! } : null;
    const deps = await buildApiDeps(config, { log, now: options.now, processMetrics: false, temporal });
    const app = createApp(deps);
    return {
      app,
      deps,
      db,
      keyPrefix,
      request: (method, path, request = {}) => {
        const headers = new Headers(request.headers);
        let body: string | undefined = request.rawBody;
        if (request.body !== undefined) {
          body = JSON.stringify(request.body);
          if (!headers.has('content-type')) headers.set('content-type', 'application/json');
        }
        if (request.token) headers.set('authorization', `Bearer ${request.token}`);
        return Promise.resolve(app.request(path, { method, headers, body }));
      },
      close: async () => {
        await deps.close();
        await connection?.close();
        await forgetKeys(config.redis.url!, keyPrefix);
        await db.drop();
      },
    };
  } catch (error) {
    await db.drop();
    throw error;
  }
}
