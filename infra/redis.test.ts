import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../lib/log.ts';
import { freePort } from '../test/ports.ts';
import { ensureLocalRedis, locateRedisServer } from './redis.ts';

const log = createLogger({ level: 'silent' });

async function ping(url: string): Promise<string> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.ping();
  } catch {
    return 'down';
  } finally {
    client.disconnect();
  }
}

describe('project-local Redis', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'afwd-redis-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('starts one in its folder, reuses it, refuses another folder on its port, and stops only what it started', async () => {
    expect(locateRedisServer()).toBeDefined();
    const port = await freePort();
    const dir = path.join(root, 'redis');
    const started = await ensureLocalRedis({ dir, port, log });
    try {
      expect(started).toMatchObject({ url: `redis://127.0.0.1:${port}`, owned: true });
      expect(await ping(started.url)).toBe('PONG');

      const reused = await ensureLocalRedis({ dir, port, log });
      expect(reused.owned).toBe(false);
      await reused.stop();
      expect(await ping(started.url)).toBe('PONG');

      await expect(ensureLocalRedis({ dir: path.join(root, 'other'), port, log })).rejects.toThrow(
        /already serves another Redis.*LOCAL_REDIS_PORT/,
      );
    } finally {
      await started.stop();
    }
    expect(await ping(started.url)).toBe('down');
  });
});
