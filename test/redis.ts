/**
 * The Redis of a test run: TEST_REDIS_URL when set, otherwise the clone's test redis-server (.data/redis-test, port
 * 6399 or the next free of a few), shared by every run of the clone. Each run holds a named connection while it
 * lasts; the run that started the server stops it only when no other run's connection is left.
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import { REPO_ROOT } from '../lib/config.ts';
import type { Logger } from '../lib/log.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { ensureLocalRedis, type LocalRedis } from '../infra/redis.ts';
import { freePort } from './ports.ts';

const RUN_CLIENT_PREFIX = 'afwd-test-run-';

async function localTestRedis(log: Logger): Promise<LocalRedis> {
  const first = Number(process.env.TEST_REDIS_PORT ?? 6399);
  for (let port = first; ; port++) {
    try {
      return await ensureLocalRedis({ dir: path.join(REPO_ROOT, '.data', 'redis-test'), port, log });
    } catch (error) {
      if (
        !(error instanceof PrerequisiteError) ||
        !/already serves another Redis/.test(error.message) ||
        port >= first + 9
      )
        throw error;
    }
  }
}

export async function testRedis(log: Logger): Promise<{ url: string; release(): Promise<void> }> {
  const given = process.env.TEST_REDIS_URL?.trim();
  const local = given ? undefined : await localTestRedis(log);
  const url = given || local!.url;
  const marker = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectionName: `${RUN_CLIENT_PREFIX}${process.pid}`,
  });
  marker.on('error', () => undefined);
  await marker.connect();
  return {
    url,
    release: async () => {
      let others = 0;
      try {
        const list = String(await marker.call('CLIENT', 'LIST'));
        others = list
          .split('\n')
          .filter(
            (line) =>
              line.includes(`name=${RUN_CLIENT_PREFIX}`) && !line.includes(`name=${RUN_CLIENT_PREFIX}${process.pid} `),
          ).length;
      } catch {
        // The server is already gone: nothing to count.
      }
      marker.disconnect();
      if (local?.owned && others === 0) await local.stop();
      else if (local?.owned) log.info({ others }, 'test redis left running: other runs still use it');
    },
  };
}

/** A redis:// URL nothing listens on (a port just freed), for tests of the API with Redis down. */
export async function unreachableRedisUrl(): Promise<string> {
  return `redis://127.0.0.1:${await freePort()}`;
}
