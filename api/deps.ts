/**
 * Builds the API's dependencies from the configuration, the same way for the server (api/server.ts) and the tests
 * (test/api.ts): the database pool (unless given), Redis, the read cache with its publication listener, the rate
 * limiter, metrics and the signing-key store. `close()` releases what was built here, in reverse order.
 */
import type { Config } from '../lib/config.ts';
import { createPool, type Pool } from '../lib/db.ts';
import type { Logger } from '../lib/log.ts';
import { afterResponseSettled } from './after-response.ts';
import { createKeyStore } from './auth/keys.ts';
import { createReadCache, type VersionedReadCache } from './cache.ts';
import type { ApiDeps, TemporalHandle } from './env.ts';
import { createApiMetrics } from './metrics.ts';
import { createRateLimiter } from './rate-limit.ts';
import { connectRedis, firstConnection } from './redis.ts';

export interface BuiltApiDeps extends ApiDeps {
  cache: VersionedReadCache;
  /** Closes the publication listener, Redis, and the pool when it was created here. */
  close(): Promise<void>;
}

export interface BuildApiDepsOptions {
  /** A pool to use instead of one made from `config.databaseUrl`; the caller closes it. */
  pool?: Pool;
  log: Logger;
  now?: () => Date;
  /** Collect the default process metrics (off in tests that build many apps). @default true */
  processMetrics?: boolean;
  /** Temporal for the routes that start or signal workflows; the caller owns (and closes) the client. @default null */
  temporal?: TemporalHandle | null;
  /** Longest start-up waits for the first Redis connection (a refused one ends the wait at once). @default 3000 */
  redisWaitMs?: number;
}

export async function buildApiDeps(config: Config, options: BuildApiDepsOptions): Promise<BuiltApiDeps> {
  const { log } = options;
  if (!config.redis.url)
    throw new Error('buildApiDeps needs config.redis.url: start the local Redis first (infra/redis.ts)');
  let pool = options.pool;
  const ownsPool = !pool;
  if (!pool) {
    if (!config.databaseUrl) throw new Error('buildApiDeps needs a pool or config.databaseUrl');
    pool = createPool(config.databaseUrl, {
      max: config.api.poolSize,
      applicationName: 'afwd-api',
      connectTimeoutMs: config.database.connectTimeoutMs,
      statementTimeoutMs: config.api.statementTimeoutMs,
      idleInTransactionTimeoutMs: config.database.idleInTransactionTimeoutMs,
      onError: (error) => log.warn({ err: error }, 'database connection error'),
    });
  }
  const metrics = createApiMetrics({ processMetrics: options.processMetrics });
  const redis = connectRedis({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, log });
  const now = options.now ?? (() => new Date());
  try {
    await firstConnection(redis, options.redisWaitMs ?? 3000);
    const cache = await createReadCache({ pool, redis, metrics, log });
    const limiter = createRateLimiter(redis, log);
    const keys = await createKeyStore({ pool, config, now });
    return {
      pool,
      config,
      log,
      redis,
      cache,
      limiter,
      metrics,
      keys,
      now,
      temporal: options.temporal ?? null,
      close: async () => {
        // What routes still do after answering needs the pool.
        await afterResponseSettled();
        await cache.close();
        await redis.close();
        if (ownsPool) await pool.end();
      },
    };
  } catch (error) {
    await redis.close();
    if (ownsPool) await pool.end();
    throw error;
  }
}
