/**
 * The API's Redis connection. Redis is an accelerator, never a dependency of an answer: commands fail at once while
 * the connection is down (no offline queue, short timeouts) so callers can degrade, and the client keeps
 * reconnecting with backoff for as long as the process lives. State changes are logged once each.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../lib/log.ts';
import type { RedisHandle } from './env.ts';

export interface RedisOptions {
  url: string;
  /** Prefix of every key (ioredis adds it; Lua scripts get it through KEYS). */
  keyPrefix: string;
  log: Logger;
  /** Longest one command may wait for its answer. @default 500 */
  commandTimeoutMs?: number;
  /** Longest a connection attempt may take. @default 2000 */
  connectTimeoutMs?: number;
}

/** Backoff between reconnection attempts: 100 ms doubling to 5 s, forever. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(5000, 100 * 2 ** Math.min(attempt - 1, 6));
}

export function connectRedis(options: RedisOptions): RedisHandle {
  const { log } = options;
  const client = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    commandTimeout: options.commandTimeoutMs ?? 500,
    retryStrategy: reconnectDelayMs,
    // A failed INFO check at connect would otherwise wait for loading; the server answers as soon as it can.
    enableReadyCheck: true,
  });
  let state: 'connecting' | 'ready' | 'down' = 'connecting';
  let closing = false;
  client.on('ready', () => {
    if (state !== 'ready') log.info({ redis: redactUrl(options.url) }, 'redis connected');
    state = 'ready';
  });
  client.on('error', (error: Error) => {
    // Logged when the state changes, not for every failed reconnection attempt.
    if (state !== 'down' && !closing)
      log.warn(
        { redis: redactUrl(options.url), err: error.message },
        'redis unavailable: cache off, rate limits degraded',
      );
    state = 'down';
  });
  client.on('close', () => {
    if (state === 'ready' && !closing) log.warn({ redis: redactUrl(options.url) }, 'redis connection lost');
    if (state === 'ready') state = 'down';
  });
  return {
    client,
    ready: () => client.status === 'ready',
    close: async () => {
      closing = true;
      if (client.status === 'end') return;
      let timer: NodeJS.Timeout | undefined;
      const ended = new Promise<void>((resolve) => {
        client.once('end', () => resolve());
        timer = setTimeout(resolve, 1000);
      });
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
      await ended;
      clearTimeout(timer);
    },
  };
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://?';
  }
}

/**
 * Resolves once the first connection attempt has settled: ready, failed, or `timeoutMs` passed. Start-up waits for
 * it so the first requests find the cache, without ever blocking on a Redis that is down.
 */
export function firstConnection(handle: RedisHandle, timeoutMs: number): Promise<boolean> {
  const { client } = handle;
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      client.off('error', done);
      resolve(client.status === 'ready');
    };
    const timer = setTimeout(done, timeoutMs);
    client.once('ready', done);
    client.once('error', done);
  });
}
