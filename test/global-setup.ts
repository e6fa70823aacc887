/**
 * Starts the real services once per test run and hands their addresses to the suites through `inject`:
 * a fresh PostgreSQL database (dropped afterwards), an ephemeral Temporal dev server, a stripe-mock and a Redis (the clone's test
 * redis-server in .data/redis-test, or TEST_REDIS_URL; suites keep to their own key prefixes and never flush it).
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createPool, migrate } from '../lib/db.ts';
import { createLogger } from '../lib/log.ts';
import { testRedis } from './redis.ts';
import { startEphemeralTemporal } from './ephemeral-temporal.ts';
import { stopUnlessShared, testCluster } from './shared-cluster.ts';
import { startStripeMock } from '../infra/stripe-mock.ts';
import { freePort } from './ports.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated database of this run. */
    databaseUrl: string;
    /** Connection string of a maintenance database on the same server, for tests that need their own database. */
    adminDatabaseUrl: string;
    temporalAddress: string;
    /** Redis of this run; every user keeps to a key prefix of its own (test/api.ts). */
    redisUrl: string;
    /** stripe-mock of this run (STRIPE_API_URL for the test APIs and workers). */
    stripeMockUrl: string;
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn', name: 'test-setup' });
  // TEST_DATABASE_URL names a server to use (its database is only used to connect); otherwise a local cluster.
  const serverUrl = process.env.TEST_DATABASE_URL;
  const local = serverUrl ? undefined : await testCluster(log);
  const adminUrl = serverUrl ?? local!.adminUrl;
  const database = `afwd_test_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  // A connection cut under the run (a server restart) must fail the teardown's query, not crash the process.
  admin.on('error', (error) => log.warn({ err: error }, 'test setup lost its admin connection'));
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const databaseUrl = withDatabase(adminUrl, database);
  const pool = createPool(databaseUrl, { max: 1 });
  await migrate(pool);
  await pool.end();

  const temporal = await startEphemeralTemporal();

  const redis = await testRedis(log);
  const stripeMock = await startStripeMock({ port: await freePort(), log });

  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redis.url);
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('temporalAddress', temporal.address);
  project.provide('stripeMockUrl', stripeMock.url);

  return async () => {
    await temporal.teardown();
    await stripeMock.close();
    await redis.release();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    // Another run may have attached to the cluster this one started: leave it running for them.
    const others = await stopUnlessShared(local);
    if (others.length) log.info({ others }, 'test cluster left running: other runs still use it');
  };
}
