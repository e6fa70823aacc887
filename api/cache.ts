/**
 * The read cache: answers stored as JSON text in Redis under `v{version}:{kind}:{key}`, where the version is the
 * published ranking snapshot. A publication changes the version (PostgreSQL notifies PUBLISHED_CHANNEL; a connection
 * of its own, outside the request pool, listens and, after every reconnection, re-reads the version in case a
 * notification was missed), so every entry of the previous snapshot becomes unreachable at once, without scanning or
 * deleting keys.
 *
 * An in-process LRU sits in front of Redis, keyed by the same versioned key and holding the same JSON text, bounded by
 * a byte budget (64 MiB by default) rather than a count, so a whole snapshot's cards and predictions fit. Its entries
 * live as long as the kind's Redis TTL: they can be no staler than Redis's, because both are reached only through the
 * current version. Across processes the version is the whole story: each process moves to a new version when the
 * publication notification reaches it (or when its listener reconnects and re-reads it), and from then on neither
 * layer can serve it anything older. `invalidate()` is local to this process (a new suffix for its own version), as it
 * always was: another process's invalidate() reaches neither this process's memory nor its Redis keys.
 *
 * A hit costs no JSON work: `getOrLoadJson` hands back the stored text, which routes send as the body (`sendJson`).
 * Redis errors degrade to no shared cache (the database answers); every lookup is counted as hit, miss or error.
 */
import type { Context, TypedResponse } from 'hono';
import pg from 'pg';
import type { JSONParsed } from 'hono/utils/types';
import type { Logger } from '../lib/log.ts';
import type { Pool } from '../lib/db.ts';
import { listenForPublications } from '../db/publications.ts';
import { latestPublishedSnapshot } from '../db/rankings.ts';
import type { CacheKind, JsonText, ReadCache, RedisHandle } from './env.ts';
import type { ApiMetrics } from './metrics.ts';

/** Seconds an entry lives in Redis. Predictions only change with a publish, which changes the version first. */
export const CACHE_TTL_SECONDS: Record<CacheKind, number> = {
  rankings: 30 * 60,
  profile: 60 * 60,
  prediction: 7 * 24 * 60 * 60,
};

/** The version while nothing has been published yet. */
export const UNPUBLISHED_VERSION = 'none';

export type { JsonText };

/** A typed 200 answer whose body is JSON text already made (a cache hit): sent as is, never parsed again. */
export function sendJson<T>(c: Context, text: JsonText<T>): Response & TypedResponse<JSONParsed<T>, 200, 'json'> {
  // The text is the JSON of a T (JsonText's brand), which is what the typed answer promises.
  return c.body(text, 200, { 'content-type': 'application/json' }) as unknown as Response &
    TypedResponse<JSONParsed<T>, 200, 'json'>;
}

export interface VersionedReadCache extends ReadCache {
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
  /** Bytes of JSON text (and keys) the in-process LRU may hold; 0 turns it off. @default 64 MiB */
  localBytes?: number;
}

export const DEFAULT_LOCAL_BYTES = 64 * 1024 * 1024;
/** Bookkeeping per entry beyond its text and key (the Map slot, the entry object), counted against the budget. */
const ENTRY_OVERHEAD_BYTES = 96;

/**
 * The in-process layer: JSON text by versioned key, least recently used first (Map order), bounded in bytes. The JSON
 * of our answers is Latin-1 (accented names included), which V8 stores one byte a character.
 */
class ByteLru {
  private readonly entries = new Map<string, { text: string; bytes: number; expires: number }>();
  private readonly budget: number;
  private used = 0;
  constructor(budget: number) {
    this.budget = budget;
  }
  get(key: string, now: number): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= now) {
      this.used -= entry.bytes;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry.text;
  }
  set(key: string, text: string, ttlMs: number): void {
    const bytes = text.length + key.length + ENTRY_OVERHEAD_BYTES;
    if (bytes > this.budget) return;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.used -= old.bytes;
    }
    this.entries.set(key, { text, bytes, expires: Date.now() + ttlMs });
    this.used += bytes;
    while (this.used > this.budget) {
      const [oldestKey, oldest] = this.entries.entries().next().value!;
      this.entries.delete(oldestKey);
      this.used -= oldest.bytes;
    }
  }
  clear(): void {
    this.entries.clear();
    this.used = 0;
  }
}

/** Builds the cache, reads the current version and starts listening for publications. */
export async function createReadCache(options: ReadCacheOptions): Promise<VersionedReadCache> {
  const { pool, redis, metrics, log } = options;
  const local = new ByteLru(options.localBytes ?? DEFAULT_LOCAL_BYTES);
  const inflight = new Map<string, Promise<string>>();
  let current = UNPUBLISHED_VERSION;
  let invalidations = 0;
  let listener: pg.Client | undefined;
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

  const dropListener = (client: pg.Client, error: Error) => {
    if (listener !== client) return;
    listener = undefined;
    if (!closed) log.warn({ err: error.message }, 'publication listener lost; reconnecting');
    void client.end().catch(() => undefined);
    scheduleListen();
  };

  async function listen(): Promise<void> {
    if (closed) return;
    // Its own connection, with the pool's settings (the pool makes its clients from these same options), so the
    // request pool keeps every one of its connections for requests.
    const client = new pg.Client(pool.options);
    client.on('error', (error) => dropListener(client, error));
    client.on('end', () => dropListener(client, new Error('connection ended')));
    try {
      await client.connect();
      if (closed) {
        await client.end();
        return;
      }
      listener = client;
      await listenForPublications(client, (snapshotId) => {
        if (snapshotId) setVersion(snapshotId, 'published');
        else
          void readVersion('published').catch((error: Error) =>
            log.warn({ err: error.message }, 'could not read the published snapshot'),
          );
      });
      // Listening first, reading second: a publication between the two is either notified or read.
      await readVersion(attempt > 0 ? 'listener reconnected' : 'start');
      if (attempt > 0) log.info('publication listener reconnected');
      attempt = 0;
    } catch (error) {
      if (listener === client) dropListener(client, error as Error);
      else {
        void client.end().catch(() => undefined);
        if (!closed) log.warn({ err: (error as Error).message }, 'publication listener could not start; retrying');
        scheduleListen();
      }
    }
  }

  await listen();

  async function getOrLoadJson<T>(kind: CacheKind, key: string, load: () => Promise<T>): Promise<JsonText<T>> {
    const fullKey = `v${current}:${kind}:${key}`;
    const version = current;
    const ttlMs = CACHE_TTL_SECONDS[kind] * 1000;
    const localHit = local.get(fullKey, Date.now());
    if (localHit !== undefined) {
      metrics.cacheResult(kind, 'hit');
      return localHit;
    }
    let shared = redis.ready();
    if (shared) {
      try {
        const raw = await redis.client.get(fullKey);
        if (raw !== null) {
          metrics.cacheResult(kind, 'hit');
          if (version === current) local.set(fullKey, raw, ttlMs);
          return raw;
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
    let pending = inflight.get(fullKey);
    if (!pending) {
      pending = (async () => {
        const json = JSON.stringify(await load()) ?? 'null';
        if (shared) await redis.client.set(fullKey, json, 'EX', CACHE_TTL_SECONDS[kind]).catch(() => undefined);
        if (version === current) local.set(fullKey, json, ttlMs);
        return json;
      })().finally(() => inflight.delete(fullKey));
      inflight.set(fullKey, pending);
    }
    return pending;
  }

  return {
    version: () => current,
    listening: () => listener !== undefined,

    getOrLoadJson,

    async getOrLoad<T>(kind: CacheKind, key: string, load: () => Promise<T>): Promise<T> {
      // Parsed anew for each caller: no caller can alter what another is handed. A miss answers the same shape a
      // hit does (the JSON: dates as strings), so callers see no difference.
      return JSON.parse(await getOrLoadJson(kind, key, load)) as T;
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
      await client?.end().catch(() => undefined);
    },
  };
}
