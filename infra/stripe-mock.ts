/**
 * stripe-mock, Stripe's own mock of its API, which stands in for Stripe locally (`npm start` without Stripe
 * settings) and in the tests: found on the machine, or built once from its Go module into the per-user cache beside
 * the Temporal CLI (infra/temporal-cli.ts), and started on a port of our choosing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../lib/log.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { cacheRoot } from './temporal-cli.ts';

export const STRIPE_MOCK_MODULE = 'github.com/stripe/stripe-mock';
export const STRIPE_MOCK_VERSION = 'v0.203.0';

export function cachedStripeMockPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env), 'stripe-mock', STRIPE_MOCK_VERSION, 'stripe-mock');
}

function onPath(binary: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** STRIPE_MOCK_PATH, then `stripe-mock` on the PATH, then the cache; undefined when none exists. */
export function locateStripeMock(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.STRIPE_MOCK_PATH?.trim();
  if (configured) {
    if (!existsSync(configured)) {
      throw new PrerequisiteError(`STRIPE_MOCK_PATH points to ${configured}, which does not exist: fix or unset it.`);
    }
    return configured;
  }
  const cached = cachedStripeMockPath(env);
  return onPath('stripe-mock', env) ?? (existsSync(cached) ? cached : undefined);
}

/** Returns a usable stripe-mock binary, building it with `go install` when there is none (a minute, once). */
export async function ensureStripeMock(log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const found = locateStripeMock(env);
  if (found) return found;
  const go = onPath('go', env) ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    throw new PrerequisiteError(
      'No stripe-mock was found and Go is not installed to build it: install Go, or put a `stripe-mock` binary on the PATH (or set STRIPE_MOCK_PATH), or set STRIPE_API_URL and STRIPE_SECRET_KEY.',
    );
  }
  const target = cachedStripeMockPath(env);
  // Build into a private folder, then rename: a build killed half-way never leaves a broken binary in the cache.
  const staging = `${path.dirname(target)}.building-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  log.info({ module: `${STRIPE_MOCK_MODULE}@${STRIPE_MOCK_VERSION}`, target }, 'building stripe-mock (once; about a minute)');
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(go, ['install', `${STRIPE_MOCK_MODULE}@${STRIPE_MOCK_VERSION}`], {
      env: { ...env, GOBIN: staging, GOFLAGS: `${env.GOFLAGS ?? ''} -trimpath`.trim() },
      // go's output goes to stderr (fd 2 for both): stdout belongs to the command being bootstrapped.
      stdio: ['ignore', 2, 'inherit'],
    });
    child.on('error', () => resolve(-1));
    child.on('exit', resolve);
  });
  if (code !== 0 || !existsSync(path.join(staging, 'stripe-mock'))) {
    rmSync(staging, { recursive: true, force: true });
    throw new PrerequisiteError(
      `Building stripe-mock with \`go install ${STRIPE_MOCK_MODULE}@${STRIPE_MOCK_VERSION}\` failed (exit ${code}): check Go and the module proxy, or set STRIPE_MOCK_PATH.`,
    );
  }
  mkdirSync(path.dirname(target), { recursive: true });
  renameSync(path.join(staging, 'stripe-mock'), target);
  rmSync(staging, { recursive: true, force: true });
  log.info({ target, seconds: Math.round((Date.now() - started) / 1000) }, 'stripe-mock built');
  return target;
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
  if (!binary) throw new PrerequisiteError('No stripe-mock binary: run `sh scripts/bootstrap.sh` first (npm start and npm test do).');
  const child: ChildProcess = spawn(binary, ['-http-addr', `127.0.0.1:${port}`, '-https-addr', '127.0.0.1:'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-2000); });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  while (!(await stripeMockAnswers(url, 500))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new PrerequisiteError(`stripe-mock did not start on ${url}: ${stderr.trim().split('\n').pop() ?? 'no output'}`);
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
