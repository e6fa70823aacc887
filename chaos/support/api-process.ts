/**
 * The API as `npm run api` runs it (bin/api.ts: migrates, connects Redis, serves), in a process of its own on a free
 * loopback port, for the chaos scenarios that load or break it from outside.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/config.ts';
import { freePort } from '../../test/ports.ts';
import { sleep } from './wait.ts';

export interface ApiProcess {
  /** Origin, e.g. http://127.0.0.1:41234. */
  url: string;
  pid: number;
  /** What the process wrote to stderr (its last 20 kB), for a failure's message. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts the API with `env` over this process's environment. Resolves once /healthz answers. */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'api.ts')], {
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      API_SHUTDOWN_GRACE_MS: '2000',
      ...env,
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the API process exited (code ${child.exitCode}) before answering: ${stderr.slice(-1000)}`);
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API process did not answer within 60 s: ${stderr.slice(-1000)}`);
    }
    await sleep(200);
  }
  return {
    url,
    pid: child.pid!,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
