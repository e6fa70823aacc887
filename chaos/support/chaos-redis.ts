/**
 * A redis-server of a chaos scenario's own (infra/redis.ts's local server, in the scenario's folder, on a free
 * loopback port) that can be SIGKILLed and started again on its port.
 */
import { Redis } from 'ioredis';
import { ensureLocalRedis, type LocalRedis } from '../../infra/redis.ts';
import { freePort } from '../../test/ports.ts';
import { quietLog } from './logging.ts';
import { sleep } from './wait.ts';

export interface ChaosRedis {
  url: string;
  /** SIGKILLs the server (no snapshot saved) and waits until its port refuses connections; returns the pid killed. */
  kill(): Promise<number>;
  /** Starts it again on the same port and folder, and waits until it answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function redisPid(url: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const info = await client.info('server');
    const pid = Number(/^process_id:(\d+)/m.exec(info)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`redis INFO gave no process_id: ${info.slice(0, 200)}`);
    return pid;
  } finally {
    client.disconnect();
  }
}

export async function startChaosRedis(dir: string): Promise<ChaosRedis> {
  const port = await freePort();
  // In the runner's process group (not detached): the supervisor's SIGKILL of the group after a timeout ends it too.
  const start = () => ensureLocalRedis({ dir, port, log: quietLog, detached: false });
  let server: LocalRedis = await start();
  const url = server.url;
  const refuses = async () =>
    redisPid(url).then(
      () => false,
      () => true,
    );
  return {
    url,
    async kill() {
      const pid = await redisPid(url);
      process.kill(pid, 'SIGKILL');
      const deadline = Date.now() + 10_000;
      while (!(await refuses())) {
        if (Date.now() > deadline) throw new Error(`redis-server pid ${pid} still answers 10 s after SIGKILL`);
        await sleep(50);
      }
      return pid;
    },
    async restart() {
      server = await start();
    },
    stop: () => server.stop(),
  };
}
