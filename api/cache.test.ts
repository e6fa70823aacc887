import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHED_CHANNEL } from '../db/rankings.ts';
import { createTestApi, type TestApi } from '../test/api.ts';
import { seedChampion, seedPublishedSnapshot } from '../test/api-seed.ts';
import { unreachableRedisUrl } from '../test/redis.ts';
import { createLogger } from '../lib/log.ts';
import { createReadCache, UNPUBLISHED_VERSION } from './cache.ts';

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function cacheCounts(api: TestApi): Promise<Record<string, number>> {
  const { body } = await api.deps.metrics.render();
  const counts: Record<string, number> = {};
  for (const match of body.matchAll(/cache_requests_total\{kind="(\w+)",result="(\w+)"\} (\d+)/g))
    counts[`${match[1]}:${match[2]}`] = Number(match[3]);
  return counts;
}

describe('read cache', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await seedChampion(api.db.pool);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('starts at the published snapshot, loads once, then serves the same JSON from Redis and memory', async () => {
    expect(api.deps.cache.version()).toBe(UNPUBLISHED_VERSION);
    let loads = 0;
    const load = async () => ({ n: ++loads, at: new Date('2025-06-01T00:00:00Z') });
    const first = await api.deps.cache.getOrLoad('profile', 'p1', load);
    // A miss answers the same shape a hit does: the JSON, dates as strings.
    expect(first).toEqual({ n: 1, at: '2025-06-01T00:00:00.000Z' });
    const second = await api.deps.cache.getOrLoad('profile', 'p1', load);
    expect(second).toEqual(first);
    expect(loads).toBe(1);
    // Stored in Redis under the versioned key (ioredis adds this instance's prefix), with the profile TTL.
    const raw = await api.deps.redis.client.get(`v${UNPUBLISHED_VERSION}:profile:p1`);
    expect(JSON.parse(raw!)).toEqual(first);
    const ttl = await api.deps.redis.client.ttl(`v${UNPUBLISHED_VERSION}:profile:p1`);
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
    const counts = await cacheCounts(api);
    expect(counts['profile:miss']).toBe(1);
    expect(counts['profile:hit']).toBe(1);
    // Each caller gets its own copy: altering it changes nothing for the next one.
    (second as { n: number }).n = 99;
    expect(await api.deps.cache.getOrLoad('profile', 'p1', load)).toEqual(first);
  });

  it('concurrent misses of one key share one load', async () => {
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { ok: true };
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => api.deps.cache.getOrLoad('rankings', 'page-1', load)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(loads).toBe(1);
  });

  it('answers the JSON text itself, from memory once read, within a byte budget (least recently used out first)', async () => {
    const log = createLogger({ level: 'silent', name: 'cache-test' });
    const small = await createReadCache({
      pool: api.db.pool,
      redis: api.deps.redis,
      metrics: api.deps.metrics,
      log,
      localBytes: 3 * 1024,
    });
    try {
      let loads = 0;
      const big = (tag: string) => async () => ({ tag, n: ++loads, pad: 'x'.repeat(900) });
      const a = await small.getOrLoadJson('rankings', 'text-a', big('a'));
      expect(typeof a).toBe('string');
      expect(JSON.parse(a)).toMatchObject({ tag: 'a', n: 1 });
      // Gone from Redis, still in memory: the same text, no load.
      await api.deps.redis.client.del(`v${small.version()}:rankings:text-a`);
      expect(await small.getOrLoadJson('rankings', 'text-a', big('a'))).toBe(a);
      expect(loads).toBe(1);
      // Three more ~1 KiB entries overflow 3 KiB: a, the least recently used, is dropped from memory.
      for (const tag of ['b', 'c', 'd']) await small.getOrLoadJson('rankings', `text-${tag}`, big(tag));
      expect(loads).toBe(4);
      expect(JSON.parse(await small.getOrLoadJson('rankings', 'text-a', big('a')))).toMatchObject({ tag: 'a', n: 5 });
      // d, the most recent, is still in memory though gone from Redis.
      await api.deps.redis.client.del(`v${small.version()}:rankings:text-d`);
      expect(JSON.parse(await small.getOrLoadJson('rankings', 'text-d', big('d')))).toMatchObject({ tag: 'd', n: 4 });
    } finally {
      await small.close();
    }
  });

  it('a pg_notify on the publication channel starts a new version: older entries are unreachable', async () => {
    let loads = 0;
    const load = async () => ++loads;
    await api.deps.cache.getOrLoad('prediction', 'x', load);
    await api.deps.cache.getOrLoad('prediction', 'x', load);
    expect(loads).toBe(1);
    await api.db.pool.query('SELECT pg_notify($1, $2)', [PUBLISHED_CHANNEL, 'snap-notified']);
    await until(() => api.deps.cache.version() === 'snap-notified');
    expect(await api.deps.cache.getOrLoad('prediction', 'x', load)).toBe(2);
    expect(await api.deps.cache.getOrLoad('prediction', 'x', load)).toBe(2);
    expect(await api.deps.redis.client.get('vsnap-notified:prediction:x')).toBe('2');
  });

  it('invalidate() makes every earlier entry unreachable even when the snapshot did not change', async () => {
    let loads = 0;
    const load = async () => ++loads;
    await api.deps.cache.getOrLoad('rankings', 'inv', load);
    const before = api.deps.cache.version();
    await api.deps.cache.invalidate('test');
    expect(api.deps.cache.version()).not.toBe(before);
    expect(await api.deps.cache.getOrLoad('rankings', 'inv', load)).toBe(2);
  });

  it('after its connection is cut, the listener reconnects and re-reads the version it may have missed', async () => {
    expect(api.deps.cache.listening()).toBe(true);
    // Cut the listening backend, and publish while it is down: no notification can reach it.
    await api.db.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = 'afwd-api' AND query ILIKE 'LISTEN%'`,
    );
    await seedPublishedSnapshot(api.db.pool, 'snap-missed');
    await until(() => api.deps.cache.version() === 'snap-missed', 15_000);
    expect(api.deps.cache.listening()).toBe(true);
    // Listening again: the next publication arrives as a notification.
    await api.db.pool.query('SELECT pg_notify($1, $2)', [PUBLISHED_CHANNEL, 'snap-after']);
    await until(() => api.deps.cache.version() === 'snap-after');
  });
});

describe('read cache with Redis unreachable', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ env: { REDIS_URL: await unreachableRedisUrl() } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('loads from the database and counts errors, without failing', async () => {
    let loads = 0;
    const value = await api.deps.cache.getOrLoad('profile', 'down', async () => ({ n: ++loads }));
    expect(value).toEqual({ n: 1 });
    expect((await cacheCounts(api))['profile:error']).toBe(1);
  });
});
