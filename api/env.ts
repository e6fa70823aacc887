/**
 * What every request carries through the middleware chain (Hono's context variables), and the dependencies every
 * route group is built from. Entry points build `ApiDeps` (api/server.ts); tests build their own (test/api.ts).
 */
import type { Client } from '@temporalio/client';
import type { Redis } from 'ioredis';
import type { Config } from '../lib/config.ts';
import type { Pool } from '../lib/db.ts';
import type { Logger } from '../lib/log.ts';
import type { KeyStore } from './auth/keys.ts';
import type { ApiMetrics } from './metrics.ts';

export type Role = 'free' | 'premium' | 'admin';
export const ROLES: readonly Role[] = ['free', 'premium', 'admin'];

/** The caller, from a verified access token; null for anonymous requests. */
export interface AuthContext {
  userId: string;
  role: Role;
  /** The token's `jti`, for logs. */
  tokenId: string;
}

export interface ApiEnv {
  Variables: {
    requestId: string;
    /** The request's logger: carries the request id (and the user id once known). */
    log: Logger;
    auth: AuthContext | null;
  };
}

/** Redis as the API sees it: the connection may be down, and every user of it must cope (api/redis.ts). */
export interface RedisHandle {
  /** The ioredis client; commands reject at once while disconnected (no offline queue). */
  readonly client: Redis;
  /** True while connected and ready. */
  ready(): boolean;
  close(): Promise<void>;
}

export type CacheKind = 'rankings' | 'profile' | 'prediction';

declare const JSON_OF: unique symbol;
/** JSON text of a `T`: what `getOrLoadJson` returns, so a route's answer stays typed by its OpenAPI schema. */
export type JsonText<T> = string & { readonly [JSON_OF]?: T };

/** The read cache (api/cache.ts): Redis, keyed under the current publish version, degrading to no cache. */
export interface ReadCache {
  /**
   * The cached JSON of `key` under the current publish version, or `load()`'s result, stored for the kind's TTL
   * (rankings 30 min, profiles 1 h, predictions until the next publish). Counts hits and misses in the metrics.
   */
  getOrLoad<T>(kind: CacheKind, key: string, load: () => Promise<T>): Promise<T>;
  /** Like `getOrLoad`, but answers the JSON text itself (a hit does no parsing or serializing). */
  getOrLoadJson<T>(kind: CacheKind, key: string, load: () => Promise<T>): Promise<JsonText<T>>;
  /** Starts a new publish version: every entry written before is unreachable. */
  invalidate(reason: string): Promise<void>;
  /** The current version: the published snapshot id (with a suffix after a local `invalidate()`). */
  version(): string;
}

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window frees a request. */
  resetSeconds: number;
  /** True when Redis could not be asked: the answer is the fail-open or fail-closed default, not a count. */
  degraded: boolean;
}

/** Counters in Redis (api/rate-limit.ts). */
export interface RateLimiter {
  /**
   * Counts one request against `bucket` (e.g. `ip:1.2.3.4:login`), at most `limit` per `windowSeconds`.
   * When Redis is unreachable: allowed when `failClosed` is false, refused when true (login, register).
   */
  hit(
    bucket: string,
    limit: number,
    windowSeconds: number,
    options?: { failClosed?: boolean },
  ): Promise<RateLimitResult>;
  /** Forgets a bucket (a successful login clears the account's failures). */
  reset(bucket: string): Promise<void>;
}

export interface TemporalHandle {
  client: Client;
  /** The task queue the workers poll (config.temporal.taskQueue). */
  taskQueue: string;
}

export interface ApiDeps {
  pool: Pool;
  config: Config;
  log: Logger;
  redis: RedisHandle;
  cache: ReadCache;
  limiter: RateLimiter;
  metrics: ApiMetrics;
  keys: KeyStore;
  /** Temporal, for routes that start or signal workflows (Stripe webhooks, Fantrax syncs); null: those routes answer 503. */
  temporal: TemporalHandle | null;
  /** Injected clock, so token expiry and rotation are testable. */
  now(): Date;
}
