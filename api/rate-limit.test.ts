import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApi, type TestApi } from '../test/api.ts';
import { unreachableRedisUrl } from '../test/redis.ts';

describe('rate limiter over Redis', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('counts a fixed window: remaining goes down, the limit refuses, reset says when it frees', async () => {
    const { limiter } = api.deps;
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.hit('t:window', 3, 60));
    expect(results.map((r) => [r.allowed, r.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(results[3]!.resetSeconds).toBeGreaterThan(55);
    expect(results[3]!.resetSeconds).toBeLessThanOrEqual(60);
    expect(results.every((r) => !r.degraded && r.limit === 3)).toBe(true);
  });

  it('counts atomically under concurrency: exactly `limit` of many simultaneous hits pass', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => api.deps.limiter.hit('t:burst', 20, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
  });

  it('frees the bucket when its window ends, and reset() forgets it at once', async () => {
    const { limiter } = api.deps;
    await limiter.hit('t:short', 1, 1);
    expect((await limiter.hit('t:short', 1, 1)).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await limiter.hit('t:short', 1, 1)).allowed).toBe(true);

    await limiter.hit('t:reset', 1, 60);
    expect((await limiter.hit('t:reset', 1, 60)).allowed).toBe(false);
    await limiter.reset('t:reset');
    expect((await limiter.hit('t:reset', 1, 60)).allowed).toBe(true);
  });

  it('keeps its keys under the instance prefix', async () => {
    await api.deps.limiter.hit('t:prefix', 5, 60);
    const keys = (await api.deps.redis.client.call('KEYS', `${api.keyPrefix}rl:t:prefix`)) as string[];
    expect(keys).toEqual([`${api.keyPrefix}rl:t:prefix`]);
  });
});

describe('rate limiter with Redis unreachable', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ env: { REDIS_URL: await unreachableRedisUrl() } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('fails open by default and closed when asked', async () => {
    const open = await api.deps.limiter.hit('t:down', 1, 60);
    expect(open).toMatchObject({ allowed: true, degraded: true });
    expect((await api.deps.limiter.hit('t:down', 1, 60)).allowed).toBe(true);
    const closed = await api.deps.limiter.hit('t:down', 1, 60, { failClosed: true });
    expect(closed).toMatchObject({ allowed: false, degraded: true, remaining: 0 });
    expect(closed.resetSeconds).toBeGreaterThan(0);
    await expect(api.deps.limiter.reset('t:down')).resolves.toBeUndefined();
  });
});

describe('test harness', () => {
  it('forgets the keys of a closed TestApi, and only them', async () => {
    const a = await createTestApi();
    const b = await createTestApi();
    try {
      await a.deps.limiter.hit('t:harness', 5, 60);
      await b.deps.limiter.hit('t:harness', 5, 60);
      // A client without prefix sees the full key names.
      const raw = new Redis(inject('redisUrl'));
      try {
        expect(await raw.exists(`${a.keyPrefix}rl:t:harness`)).toBe(1);
        await a.close();
        expect(await raw.exists(`${a.keyPrefix}rl:t:harness`)).toBe(0);
        expect(await raw.exists(`${b.keyPrefix}rl:t:harness`)).toBe(1);
      } finally {
        raw.disconnect();
      }
    } finally {
      await b.close();
    }
  });
});
