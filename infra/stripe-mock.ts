/**
 * stripe-mock, Stripe's own mock of its API, which stands in for Stripe locally (`npm start` without Stripe
 * settings) and in the tests: found on the machine, or built once from its Go module into the per-user cache beside
 * the Temporal CLI (infra/temporal-cli.ts), and started on a port of our choosing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../lib/log.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { cachedToolPath, ensureGoTool, locateGoTool, type GoTool } from './go-tool.ts';

export const STRIPE_MOCK_MODULE = 'github.com/stripe/stripe-mock';
export const STRIPE_MOCK_VERSION = 'v0.203.0';

const STRIPE_MOCK: GoTool = {
  binary: 'stripe-mock',
  module: STRIPE_MOCK_MODULE,
  version: STRIPE_MOCK_VERSION,
  pathVariable: 'STRIPE_MOCK_PATH',
  title: 'stripe-mock',
  buildTime: 'about a minute',
  otherwise: 'or set STRIPE_API_URL and STRIPE_SECRET_KEY',
};

export function cachedStripeMockPath(env: NodeJS.ProcessEnv = process.env): string {
  return cachedToolPath(STRIPE_MOCK, env);
}

/** STRIPE_MOCK_PATH, then `stripe-mock` on the PATH, then the cache; undefined when none exists. */
export function locateStripeMock(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return locateGoTool(STRIPE_MOCK, env);
}

/** Returns a usable stripe-mock binary, building it with `go install` when there is none (a minute, once). */
export function ensureStripeMock(log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return ensureGoTool(STRIPE_MOCK, log, env);
}

export interface StripeMock {
  url: string;
  /** False when a stripe-mock was already answering on the port and was reused. */
  owned: boolean;
  close(): Promise<void>;
}

/** True when a stripe-mock answers at `url` (it answers every unauthenticated request 401 with its version header). */
export async function stripeMockAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(`${url}/v1/customers`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.headers.has('stripe-mock-version');
  } catch {
    return false;
  }
}

/**
 * Starts stripe-mock on 127.0.0.1:`port` (HTTP; its HTTPS listener on a port the system picks, so it never collides
 * with another one's default), unless one already answers there. Waits until it answers; `close()` stops it.
 */
export async function startStripeMock(options: { port: number; log: Logger; binary?: string }): Promise<StripeMock> {
  const { port, log } = options;
  const url = `http://127.0.0.1:${port}`;
  if (await stripeMockAnswers(url)) {
    log.info({ url }, 'reusing the stripe-mock already running');
    return { url, owned: false, close: async () => {} };
  }
  const binary = options.binary ?? locateStripeMock();
  if (!binary)
    throw new PrerequisiteError(
      'No stripe-mock binary: run `sh scripts/bootstrap.sh` first (npm start and npm test do).',
    );
  const child: ChildProcess = spawn(binary, ['-http-addr', `127.0.0.1:${port}`, '-https-addr', '127.0.0.1:'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  while (!(await stripeMockAnswers(url, 500))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new PrerequisiteError(
        `stripe-mock did not start on ${url}: ${stderr.trim().split('\n').pop() ?? 'no output'}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  log.info({ url, pid: child.pid }, 'stripe-mock started');
  return {
    url,
    owned: true,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      else return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
