/**
 * Rate-limit counters in Redis: a fixed window per bucket, counted and given its expiry in one Lua script so
 * concurrent requests on several API processes never lose a count. When Redis cannot answer, the caller chooses:
 * fail open (general limits: an outage must not take the API down) or fail closed (login and registration, where
 * an unlimited window would open the door to password guessing).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../lib/log.ts';
import type { RateLimiter, RedisHandle } from './env.ts';

// KEYS[1] = the bucket's counter, ARGV[1] = window in ms. Returns the count so far and the ms left in the window.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

type ScriptedRedis = Redis & { afwdRateHit(key: string, windowMs: number): Promise<[number, number]> };

/** Seconds a fail-closed refusal asks the caller to wait while Redis is down. */
export const UNAVAILABLE_RETRY_SECONDS = 5;

export function bucketKey(bucket: string): string {
  return `rl:${bucket}`;
}

export function createRateLimiter(redis: RedisHandle, log: Logger): RateLimiter {
  const client = redis.client as ScriptedRedis;
  if (typeof client.afwdRateHit !== 'function')
    client.defineCommand('afwdRateHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  let warned = false;
  return {
    async hit(bucket, limit, windowSeconds, options = {}) {
      try {
        if (!redis.ready()) throw new Error('redis is not connected');
        const [count, ttlMs] = await client.afwdRateHit(bucketKey(bucket), windowSeconds * 1000);
        warned = false;
        return {
          allowed: count <= limit,
          limit,
          remaining: Math.max(0, limit - count),
          resetSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
          degraded: false,
        };
      } catch (error) {
        if (!warned)
          log.warn(
            { err: (error as Error).message },
            `rate limits ${options.failClosed ? 'refuse' : 'allow'} requests while redis is unavailable`,
          );
        warned = true;
        return options.failClosed
          ? { allowed: false, limit, remaining: 0, resetSeconds: UNAVAILABLE_RETRY_SECONDS, degraded: true }
          : { allowed: true, limit, remaining: limit, resetSeconds: windowSeconds, degraded: true };
      }
    },
    async reset(bucket) {
      // Best effort: a failure to forget only leaves a counter to expire on its own.
      await client.del(bucketKey(bucket)).catch(() => undefined);
    },
  };
}
