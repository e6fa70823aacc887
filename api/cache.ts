/**
 * The read cache: answers stored as JSON in Redis under `v{version}:{kind}:{key}`, where the version is the published
 * ranking snapshot. A publication changes the version (PostgreSQL notifies PUBLISHED_CHANNEL; a dedicated connection
 * listens and, after every reconnection, re-reads the version in case a notification was missed), so every entry of
 * the previous snapshot becomes unreachable at once, without scanning or deleting keys.
 *
 * A small in-process LRU sits in front of Redis, keyed by the same versioned key: it can never serve another version's
 * entry, and its short TTL bounds how long this process can lag behind an `invalidate()` made by another process.
 * Redis errors degrade to no shared cache (the database answers); every lookup is counted as hit, miss or error.
 */
import type { Logger } from '../lib/log.ts';
import type { Pool, PoolClient } from '../lib/db.ts';
import { listenForPublications } from '../db/publications.ts';
import { latestPublishedSnapshot } from '../db/rankings.ts';
import type { CacheKind, ReadCache, RedisHandle } from './env.ts';
import type { ApiMetrics } from './metrics.ts';

/** Seconds an entry lives in Redis. Predictions only change with a publish, which changes the version first. */
export const CACHE_TTL_SECONDS: Record<CacheKind, number> = { rankings: 30 * 60, profile: 60 * 60, prediction: 7 * 24 * 60 * 60 };

/** The version while nothing has been published yet. */
export const UNPUBLISHED_VERSION = 'none';

export interface VersionedReadCache extends ReadCache {
  /** The current version: the published snapshot id, with a suffix after a local `invalidate()`. */
  version(): string;
  /** True while the LISTEN connection is up. */
  listening(): boolean;
  /** Stops listening and forgets the in-process entries. */
  close(): Promise<void>;
}

export interface ReadCacheOptions {
  pool: Pool;
  redis: RedisHandle;
  metrics: ApiMetrics;
  log: Logger;
  /** Entries of the in-process LRU; 0 turns it off. @default 500 */
  localEntries?: number;
  /** Longest an entry stays in the in-process LRU. @default 10000 */
  localTtlMs?: number;
}

/** Entries handed out by the in-process LRU are shared between requests: frozen, so no route can alter another's. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

class Lru {
  private readonly entries = new Map<string, { value: unknown; expires: number }>();
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  get(key: string): { value: unknown } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= Date.now()) return undefined;
    this.entries.set(key, entry);
    return entry;
  }
  set(key: string, value: unknown, ttlMs: number): void {
    if (this.max <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expires: Date.now() + ttlMs });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
  clear(): void {
    this.entries.clear();
  }
}

/** Builds the cache, reads the current version and starts listening for publications. */
export async function createReadCache(options: ReadCacheOptions): Promise<VersionedReadCache> {
  const { pool, redis, metrics, log } = options;
  const localTtlMs = options.localTtlMs ?? 10_000;
  const local = new Lru(options.localEntries ?? 500);
  const inflight = new Map<string, Promise<unknown>>();
  let current = UNPUBLISHED_VERSION;
  let invalidations = 0;
  let listener: PoolClient | undefined;
  let closed = false;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  const setVersion = (version: string, reason: string) => {
    if (version === current) return;
    log.info({ from: current, to: version, reason }, 'read cache version changed');
    current = version;
    // Entries of older versions could never be read again: free them now rather than waiting for the LRU.
    local.clear();
  };

  const readVersion = async (reason: string) => {
    const snapshot = await latestPublishedSnapshot(pool);
    setVersion(snapshot ? String(snapshot.snapshotId) : UNPUBLISHED_VERSION, reason);
  };

  const scheduleListen = () => {
    if (closed || retryTimer) return;
    attempt += 1;
    const delay = Math.min(10_000, 200 * 2 ** Math.min(attempt - 1, 6));
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void listen();
    }, delay);
    retryTimer.unref();
  };

  const dropListener = (client: PoolClient, error: Error) => {
    if (listener !== client) return;
    listener = undefined;
    if (!closed) log.warn({ err: error.message }, 'publication listener lost; reconnecting');
    client.release(error);
    scheduleListen();
  };

  async function listen(): Promise<void> {
    if (closed) return;
    let client: PoolClient | undefined;
    try {
      client = await pool.connect();
      const owned = client;
      owned.on('error', (error) => dropListener(owned, error));
      owned.on('end', () => dropListener(owned, new Error('connection ended')));
      listener = owned;
      await listenForPublications(owned, (snapshotId) => {
        if (snapshotId) setVersion(snapshotId, 'published');
        else void readVersion('published').catch((error: Error) => log.warn({ err: error.message }, 'could not read the published snapshot'));
      });
      // Listening first, reading second: a publication between the two is either notified or read.
      await readVersion(attempt > 0 ? 'listener reconnected' : 'start');
      if (attempt > 0) log.info('publication listener reconnected');
      attempt = 0;
    } catch (error) {
      if (client && listener === client) dropListener(client, error as Error);
      else {
        client?.release(error as Error);
        if (!closed) log.warn({ err: (error as Error).message }, 'publication listener could not start; retrying');
        scheduleListen();
      }
    }
  }

  await listen();

  return {
    version: () => current,
    listening: () => listener !== undefined,

    async getOrLoad<T>(kind: CacheKind, key: string, load: () => Promise<T>): Promise<T> {
      const fullKey = `v${current}:${kind}:${key}`;
      const version = current;
      const localHit = local.get(fullKey);
      if (localHit) {
        metrics.cacheResult(kind, 'hit');
        return localHit.value as T;
      }
      let shared = redis.ready();
      if (shared) {
        try {
          const raw = await redis.client.get(fullKey);
          if (raw !== null) {
            metrics.cacheResult(kind, 'hit');
            const value = deepFreeze(JSON.parse(raw) as T);
            if (version === current) local.set(fullKey, value, Math.min(localTtlMs, CACHE_TTL_SECONDS[kind] * 1000));
            return value;
          }
          metrics.cacheResult(kind, 'miss');
        } catch {
          shared = false;
          metrics.cacheResult(kind, 'error');
        }
      } else {
        metrics.cacheResult(kind, 'error');
      }
      // Concurrent misses of one key share one load.
      let pending = inflight.get(fullKey) as Promise<T> | undefined;
      if (!pending) {
        pending = (async () => {
          const loaded = await load();
          const json = JSON.stringify(loaded);
          if (json === undefined) return loaded;
          if (shared) await redis.client.set(fullKey, json, 'EX', CACHE_TTL_SECONDS[kind]).catch(() => undefined);
          // A hit returns parsed JSON; a miss returns the same shape (dates as strings), so callers see no difference.
          const value = deepFreeze(JSON.parse(json) as T);
          if (version === current) local.set(fullKey, value, Math.min(localTtlMs, CACHE_TTL_SECONDS[kind] * 1000));
          return value;
        })().finally(() => inflight.delete(fullKey));
        inflight.set(fullKey, pending);
      }
      return pending;
    },

    async invalidate(reason: string) {
      // A fresh suffix even when the snapshot did not change: everything written before is unreachable.
      invalidations += 1;
      const snapshot = await latestPublishedSnapshot(pool);
      const base = snapshot ? String(snapshot.snapshotId) : UNPUBLISHED_VERSION;
      setVersion(`${base}.${Date.now().toString(36)}${invalidations}`, reason);
    },

    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      local.clear();
      const client = listener;
      listener = undefined;
      // Destroyed rather than returned to the pool: it is still subscribed.
      client?.release(true);
    },
  };
}
