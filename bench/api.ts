/**
 * Benchmark of the premium API under load (`npm run bench -- api`): a published world of ~5,000 prospects
 * (bench/api-world.ts) in a database of its own, Redis under a key prefix of its own, and the API in a process of its
 * own (bench/api-server-process.ts) pinned with `taskset` to the cores other than 0, while autocannon runs in this
 * process pinned to core 0. PostgreSQL and Redis are not pinned: they share the machine with both. Every request
 * carries an admin account's token (registered through the real route, raised with db/users.ts setRole), which no
 * rate limit counts. After a warm-up that requests each prospect and prediction once, three workloads: a prospect's
 * card (cached), a prediction (cached), and fuzzy name search over thousands of distinct queries (not warmed: the first
 * request of each query searches PostgreSQL); then the API process's peak resident memory. Figures against the
 * issue's targets, with any non-2xx answers and errors, which would make a run's figures worthless.
 *
 * Each workload is measured two ways: closed loop (every connection sends its next request as soon as the last is
 * answered: the most the API can serve, and the latency of a queue that deep; autocannon), and at a fixed offered
 * rate, evenly spaced, latency counted from when each request was due (bench/api-open-loop.ts, which says why not
 * autocannon's overallRate), in a process of its own on the bench's core (bench/api-open-loop-process.ts: the bench
 * process's own garbage collections stalled it): the latency a client sees at that load. Each fixed-rate run also
 * prints the generator's own lateness and stalls, the API's server-side p99 (its http_request_duration_seconds
 * histogram) beside the client's, and how far apart the episodes of slow answers were.
 * By Little's law a closed loop of N connections answering X requests a second has a mean latency of N / X seconds,
 * so 1,000 connections could only have a p99 of 20 ms closed-loop at 50,000 requests a second or more: the latency
 * targets are read at the fixed rate, the throughput target closed-loop. The fixed-rate search run asks with
 * `limit=9` so the closed-loop run has not cached its answers.
 *
 * BENCH_API_AUTH=anonymous sends the public GET routes no token (API_RATE_LIMIT_ANONYMOUS=0 lifts their limit), to
 * show what token verification costs. BENCH_API_PROSPECTS, BENCH_API_SECONDS, BENCH_REDIS_URL (else a local redis-server in .data/redis-bench on
 * BENCH_REDIS_PORT, default 6391), BENCH_API_LOG_LEVEL (default: the API's own default, info: one access line per
 * request, discarded), BENCH_API_CPU_PROF=1 (the API process writes a V8 CPU profile to .data/bench-api-prof/),
 * BENCH_API_NODE_FLAGS (Node/V8 flags for the API process only), BENCH_API_STDOUT (a file for the API process's
 * stdout, else discarded: with BENCH_API_NODE_FLAGS=--trace-gc, its GC pauses beside its access lines; the slow
 * episodes of each fixed-rate run go to <that file>.episodes.jsonl, on the same clock), BENCH_OPEN_LOOP_NODE_FLAGS
 * (Node/V8 flags for the open-loop generator's process).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { setRole, userByEmail } from '../db/users.ts';
import { loadConfig, REPO_ROOT } from '../lib/config.ts';
import { createPool, migrate, withTransaction } from '../lib/db.ts';
import { createLogger } from '../lib/log.ts';
import { ensureLocalRedis, type LocalRedis } from '../infra/redis.ts';
import { STALL_MS, type OpenLoopOptions, type OpenLoopResult } from './api-open-loop.ts';
import { searchQueries } from './api-queries.ts';
import { seedApiWorld } from './api-world.ts';
import type { BenchContext } from './context.ts';
import { createScratchDatabase } from './worker-process.ts';

const PROSPECTS = Number(process.env.BENCH_API_PROSPECTS ?? 5000);
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 30);
const PREFIX = '/api/v1';

const line = (label: string, value: string) => console.log(`    ${label.padEnd(34)}${value}`);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

/** The issue's targets; `undefined` fields are not targeted for that run. */
interface Target {
  minRps?: number;
  maxP99Ms?: number;
}

interface Run {
  name: string;
  method: 'GET' | 'POST';
  /** Sends the admin token (predictions always need one). */
  token: boolean;
  connections: number;
  /** Requests a second offered from all connections together; undefined: closed loop. */
  rate?: number;
  paths: string[];
  target: Target;
  note: string;
}

/** One run's figures, whichever tool made them. */
interface Summary {
  seconds: number;
  rps: number;
  answered: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  /** What else the tool reports about failures (timeouts; requests still queued at the end). */
  failures: string;
  codes: string;
  /** Fixed-rate runs: the generator's own lateness and stalls (bench/api-open-loop.ts), and when slow answers came. */
  generator?: {
    lateness: OpenLoopResult['lateness'];
    maxGapMs: number;
    stalls: { atMs: number; gapMs: number }[];
    slowEpisodes: number[];
    startEpochMs: number;
  };
}

interface Measured {
  run: Run;
  result: Summary;
  cache: Map<string, number>;
  /** The API's own p99 for the run's requests, from its http_request_duration_seconds histogram, in ms. */
  serverP99: string;
}

/** `taskset` is util-linux's; without it (or on one core) nothing is pinned and the output says so. */
function pinning(): { api: string; bench: string } | undefined {
  const cores = os.cpus().length;
  if (cores < 2) return undefined;
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return { api: cores === 2 ? '1' : `1-${cores - 1}`, bench: '0' };
}

function affinityMask(pid: number): string {
  return (
    /:\s*([0-9a-f]+)\s*$/i.exec(execFileSync('taskset', ['-p', String(pid)], { encoding: 'utf8' }))?.[1] ?? 'ffffffff'
  );
}

async function startApiProcess(
  env: NodeJS.ProcessEnv,
  cores: string | undefined,
  cpuProfDir: string | undefined,
): Promise<{ child: ChildProcess; url: string; timeOrigin: number }> {
  // BENCH_API_NODE_FLAGS: V8/Node flags for the API process only (e.g. --max-semi-space-size=64), to try a setting.
  const flags = (process.env.BENCH_API_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const node = [
    ...flags,
    ...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []),
    path.join(REPO_ROOT, 'bench', 'api-server-process.ts'),
  ];
  const stdout = process.env.BENCH_API_STDOUT ? openSync(process.env.BENCH_API_STDOUT, 'w') : 'ignore';
  // taskset execs node in place: the child's pid is the API's, for /proc.
  const child = cores
    ? spawn('taskset', ['-c', cores, process.execPath, ...node], { env, stdio: ['ignore', stdout, 'inherit', 'ipc'] })
    : spawn(process.execPath, node, { env, stdio: ['ignore', stdout, 'inherit', 'ipc'] });
  const started = await new Promise<{ url: string; timeOrigin: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the API process did not start within 60 s')), 60_000);
    child.once('message', (message: { url?: string; timeOrigin?: number }) => {
      clearTimeout(timer);
      if (message.url) resolve({ url: message.url, timeOrigin: message.timeOrigin ?? Number.NaN });
      else reject(new Error(`unexpected message from the API process: ${JSON.stringify(message)}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the API process exited (code ${code}) before listening`));
    });
  });
  return { child, ...started };
}

async function stopApiProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  await exited;
  clearTimeout(timer);
}

async function expectStatus(res: Response, status: number, what: string): Promise<Response> {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res;
}

/** An admin account, registered and logged in through the real routes; its role raised as `npm run users` does. */
async function adminToken(apiUrl: string, pool: ReturnType<typeof createPool>): Promise<string> {
  const email = `bench-admin-${randomUUID().slice(0, 8)}@example.test`;
  const password = `bench password ${randomUUID()}`;
  const post = (route: string) =>
    fetch(`${apiUrl}${PREFIX}/auth/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  await expectStatus(await post('register'), 202, 'register');
  const user = await userByEmail(pool, email);
  if (!user) throw new Error(`register of ${email} created no account`);
  await setRole(pool, user.userId, 'admin');
  const res = await expectStatus(await post('login'), 200, 'login');
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** Requests each path once, `concurrency` at a time; throws on the first answer that is not a 200. */
async function warm(
  apiUrl: string,
  method: string,
  paths: readonly string[],
  headers: Record<string, string>,
  concurrency = 32,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < paths.length) {
        const p = paths[next++]!;
        const res = await fetch(`${apiUrl}${p}`, { method, headers });
        await expectStatus(res, 200, `warm-up ${method} ${p}`);
        await res.arrayBuffer();
      }
    }),
  );
}

/** An answer this slow (ms) at a fixed rate counts towards a slow episode. */
const SLOW_MS = 20;

/**
 * When slow answers happened: the due times (ms into the run) of the first of each cluster of answers slower than
 * `slowMs`, a cluster ending after 100 ms without one. Evenly spaced episodes (e.g. every ~1,000 ms) point at
 * something periodic.
 */
function slowEpisodes(samples: OpenLoopResult['samples'], slowMs: number): number[] {
  const slow: number[] = [];
  for (let i = 0; i < samples.latencyMs.length; i++) if (samples.latencyMs[i]! > slowMs) slow.push(samples.dueMs[i]!);
  slow.sort((a, b) => a - b);
  const starts: number[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const t of slow) {
    if (t - last > 100) starts.push(t);
    last = t;
  }
  return starts;
}

/** Median gap between successive times, in ms. */
function medianGap(times: readonly number[]): number {
  const gaps = times
    .slice(1)
    .map((t, i) => t - times[i]!)
    .sort((a, b) => a - b);
  return gaps.length ? gaps[Math.floor(gaps.length / 2)]! : Number.NaN;
}

/** Cumulative bucket counts of http_request_duration_seconds, summed over every series but /metrics itself. */
async function durationBuckets(apiUrl: string): Promise<Map<number, number>> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const buckets = new Map<number, number>();
  for (const m of text.matchAll(/^http_request_duration_seconds_bucket\{([^}]*)\} (\S+)$/gm)) {
    const labels = m[1]!;
    if (/route="\/metrics"/.test(labels)) continue;
    const le = /le="([^"]+)"/.exec(labels)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(m[2]));
  }
  return buckets;
}

/**
 * The p99 of the requests between two readings of the histogram, in ms, interpolated within its bucket as
 * Prometheus's histogram_quantile does (so only as fine as the buckets: 1, 2.5, 5, 10, 25, 50, 100 ms...).
 */
function serverP99(before: Map<number, number>, after: Map<number, number>): string {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const cumulative = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const total = cumulative.at(-1) ?? 0;
  if (!total) return 'no requests';
  const rank = 0.99 * total;
  const i = cumulative.findIndex((c) => c >= rank);
  const upper = bounds[i]!;
  if (upper === Number.POSITIVE_INFINITY) return `> ${bounds.at(-2)! * 1000} ms`;
  const lower = i > 0 ? bounds[i - 1]! : 0;
  const below = i > 0 ? cumulative[i - 1]! : 0;
  const inBucket = cumulative[i]! - below;
  const value = (lower + (upper - lower) * (inBucket ? (rank - below) / inBucket : 1)) * 1000;
  return `${ms(value)} ms (bucket ${lower * 1000}-${upper * 1000} ms)`;
}

/** Read-cache lookups so far, by `kind/result`, from the API's Prometheus endpoint. */
async function cacheCounters(apiUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const counters = new Map<string, number>();
  for (const m of text.matchAll(/^cache_requests_total\{kind="(\w+)",result="(\w+)"\} (\d+(?:\.\d+)?(?:e\+\d+)?)$/gm)) {
    counters.set(`${m[1]}/${m[2]}`, Number(m[3]));
  }
  return counters;
}

function cacheDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [key, value] of after) {
    const d = value - (before.get(key) ?? 0);
    if (d > 0) delta.set(key, d);
  }
  return delta;
}

/**
 * The open-loop generator in a process of its own (bench/api-open-loop-process.ts says why), on the bench's core.
 */
async function openLoopProcess(options: OpenLoopOptions, core: string | undefined): Promise<OpenLoopResult> {
  // BENCH_OPEN_LOOP_NODE_FLAGS: Node/V8 flags for the generator's process (--trace-gc: its own pauses, on stdout).
  const script = [
    ...(process.env.BENCH_OPEN_LOOP_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
    path.join(REPO_ROOT, 'bench', 'api-open-loop-process.ts'),
  ];
  const spawnOptions = {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'] as ('ignore' | 'inherit' | 'ipc')[],
    serialization: 'advanced' as const,
  };
  const child = core
    ? spawn('taskset', ['-c', core, process.execPath, ...script], spawnOptions)
    : spawn(process.execPath, script, spawnOptions);
  return new Promise<OpenLoopResult>((resolve, reject) => {
    child.once('message', (result) => resolve(result as OpenLoopResult));
    child.once('exit', (code) => reject(new Error(`the open-loop generator exited (code ${code}) without a result`)));
    child.once('spawn', () => child.send(options));
  });
}

/** Closed loop with autocannon; at a fixed rate with bench/api-open-loop.ts (see there why not autocannon's rate). */
async function load(apiUrl: string, run: Run, token: string, generatorCore: string | undefined): Promise<Summary> {
  const headers: Record<string, string> = run.token ? { authorization: `Bearer ${token}` } : {};
  if (run.rate) {
    const r = await openLoopProcess(
      {
        url: apiUrl,
        connections: run.connections,
        rate: run.rate,
        seconds: SECONDS,
        requests: run.paths.map((p) => ({ method: run.method, path: p })),
        headers,
      },
      generatorCore,
    );
    return {
      seconds: r.seconds,
      rps: r.answeredRate,
      answered: r.answered,
      latency: {
        p50: Number(ms(r.latency.p50)),
        p90: Number(ms(r.latency.p90)),
        p99: Number(ms(r.latency.p99)),
        max: Number(ms(r.latency.max)),
      },
      non2xx: r.non2xx,
      errors: r.errors,
      failures: `${r.backlog} still queued at the end`,
      codes: [...r.statusCodes].map(([code, n]) => `${code}: ${thousands(n)}`).join(', '),
      generator: {
        lateness: r.lateness,
        maxGapMs: r.ticks.maxGapMs,
        stalls: r.ticks.stalls,
        slowEpisodes: slowEpisodes(r.samples, SLOW_MS),
        startEpochMs: r.startEpochMs,
      },
    };
  }
  let next = 0;
  const result = await autocannon({
    url: apiUrl,
    connections: run.connections,
    duration: SECONDS,
    timeout: 10,
    headers,
    requests: [
      {
        method: run.method,
        // A shared counter: the connections together walk the list, so every path gets its turn.
        setupRequest: (request) => ({ ...request, path: run.paths[next++ % run.paths.length]! }),
      },
    ],
  });
  return {
    seconds: result.duration,
    rps: result.requests.average,
    answered: result.requests.total,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    failures: `${result.timeouts} timeouts`,
    codes: Object.entries(result.statusCodeStats ?? {})
      .map(([code, st]) => `${code}: ${thousands(st.count ?? 0)}`)
      .join(', '),
  };
}

/** The V8 heap as the API's Prometheus endpoint reports it (prom-client's default process metrics), in MiB. */
async function heapMiB(apiUrl: string): Promise<{ used: number; total: number; external: number }> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN) / 1048576;
  return {
    used: value('nodejs_heap_size_used_bytes'),
    total: value('nodejs_heap_size_total_bytes'),
    external: value('nodejs_external_memory_bytes'),
  };
}

/** VmHWM (peak resident set) and VmRSS of a process, in MiB. */
async function memoryMiB(pid: number): Promise<{ peak: number; now: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { peak: kib('VmHWM') / 1024, now: kib('VmRSS') / 1024 };
}

const mode = (run: Run) => (run.rate ? `${thousands(run.rate)} req/s offered` : 'closed loop');

function printRun({ run, result, cache, serverP99: server }: Measured, peakMiB: number): void {
  const l = result.latency;
  console.log(
    `  ${run.name}: ${run.connections} connections, ${mode(run)}, ${result.seconds.toFixed(0)} s, ${run.note}`,
  );
  line('requests/s answered', `${thousands(result.rps)} (${thousands(result.answered)} answered)`);
  line('latency p50 / p90 / p99 / max', `${l.p50} / ${l.p90} / ${l.p99} / ${l.max} ms`);
  line(
    'p99 client-side / server-side',
    `${l.p99} ms / ${server} (the API's own histogram: from its middleware, not the socket)`,
  );
  const g = result.generator;
  if (g) {
    line(
      'generator lateness p50/p99/max',
      `${ms(g.lateness.p50)} / ${ms(g.lateness.p99)} / ${ms(g.lateness.max)} ms (sent vs due; ${thousands(g.lateness.waitedForConnection)} requests waited for a free connection, not counted)`,
    );
    line(
      'generator stalls',
      `${g.stalls.length} ticks > ${STALL_MS} ms late (largest gap ${ms(g.maxGapMs)} ms)${g.stalls.length > 1 ? `, median ${thousands(medianGap(g.stalls.map((s) => s.atMs)))} ms apart` : ''}`,
    );
    line(
      `episodes of answers > ${SLOW_MS} ms`,
      `${g.slowEpisodes.length}${g.slowEpisodes.length > 1 ? `, median ${thousands(medianGap(g.slowEpisodes))} ms apart` : ''}`,
    );
  }
  line(
    'non-2xx, errors',
    `${result.non2xx}, ${result.errors} (${result.failures})${result.non2xx ? `  (status codes ${result.codes})` : ''}`,
  );
  line('read cache during the run', [...cache].map(([k, v]) => `${k} ${thousands(v)}`).join(', ') || 'no lookups');
  line('API peak RSS so far (VmHWM)', `${peakMiB.toFixed(0)} MiB`);
}

/** The table the README quotes: measure, measured, target, met. */
function printTable(
  rows: { measure: string; measured: string; target: string; met: boolean }[],
  command: string,
): void {
  const widths = [70, 12, 10, 3];
  const row = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')}`;
  console.log(`\n${row(['measure', 'measured', 'target', 'met'])}`);
  console.log(`  ${widths.map((w) => '-'.repeat(w)).join('-|-')}`);
  for (const r of rows) console.log(row([r.measure, r.measured, r.target, r.met ? 'yes' : 'NO']));
  console.log(`  command: ${command}`);
}

export async function benchApi(ctx: BenchContext): Promise<void> {
  const log = createLogger({ level: 'warn', name: 'bench-api' });
  const cores = pinning();
  const database = await createScratchDatabase(ctx, 'afwd_bench_api');
  const pool = createPool(database.url);
  const keyPrefix = `afwd-bench:${randomUUID().slice(0, 8)}:`;
  let redis: LocalRedis | undefined;
  let child: ChildProcess | undefined;
  let ownMask: string | undefined;
  try {
    redis = process.env.BENCH_REDIS_URL
      ? { url: process.env.BENCH_REDIS_URL, owned: false, stop: async () => {} }
      : await ensureLocalRedis({
          dir: path.join(REPO_ROOT, '.data', 'redis-bench'),
          port: Number(process.env.BENCH_REDIS_PORT ?? 6391),
          log,
        });
    await migrate(pool);
    let started = performance.now();
    const world = await withTransaction(pool, (client) => seedApiWorld(client, { count: PROSPECTS }));
    console.log(
      `  world: ${thousands(world.prospects.length)} published prospects (cards, predictions with SHAP, features), seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const logLevel = process.env.BENCH_API_LOG_LEVEL ?? loadConfig({}).logLevel;
    const cpuProfDir =
      process.env.BENCH_API_CPU_PROF === '1' ? path.join(REPO_ROOT, '.data', 'bench-api-prof') : undefined;
    const anonymous = process.env.BENCH_API_AUTH === 'anonymous';
    const env = {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: keyPrefix,
      LOG_LEVEL: logLevel,
      ...(anonymous ? { API_RATE_LIMIT_ANONYMOUS: '0' } : {}),
    };
    const api = await startApiProcess(env, cores?.api, cpuProfDir);
    child = api.child;
    if (cores) {
      ownMask = affinityMask(process.pid);
      execFileSync('taskset', ['-a', '-cp', cores.bench, String(process.pid)], { stdio: 'ignore' });
    }
    console.log(
      `  API: its own process (pid ${child.pid}), ${cores ? `pinned to core ${cores.api}` : 'NOT pinned (no taskset or one core)'}; autocannon in the bench process, the open-loop generator in a process of its own${cores ? `, both pinned to core ${cores.bench}` : ''}`,
    );
    console.log(
      `  PostgreSQL (${new URL(ctx.adminDatabaseUrl).host}) and Redis (${redis.url}, key prefix ${keyPrefix}) are not pinned: they share the machine's cores with both`,
    );
    console.log(
      `  API log level ${logLevel}${logLevel === 'info' ? ' (one access line per request, written to /dev/null)' : ''}; pool ${loadConfig(env).api.poolSize} connections`,
    );
    console.log(
      anonymous
        ? "  rate limits: GET requests carry no token, anonymous callers unlimited (API_RATE_LIMIT_ANONYMOUS=0); predictions carry an admin account's token (unlimited); no limiter round trip is measured"
        : "  rate limits: every request carries an admin account's token (registered through /auth/register, role set with db/users.ts setRole); admin is unlimited (API_RATE_LIMIT_ADMIN=0), so no limiter round trip is measured",
    );

    const token = await adminToken(api.url, pool);
    const auth: Record<string, string> = { authorization: `Bearer ${token}` };
    const getAuth = anonymous ? {} : auth;
    const ids = world.prospects.map((p) => p.playerId);
    // Stride through the ids so neighbouring requests are for far-apart ranks.
    const rotated = ids.map((_, i) => ids[(i * 7919) % ids.length]!);
    const cardPaths = rotated.map((id) => `${PREFIX}/prospects/${id}`);
    const predictPaths = rotated.map((id) => `${PREFIX}/ml/predict/${id}`);
    const queries = searchQueries(world.prospects.filter((_, i) => i % 5 === 0).map((p) => p.name));
    const searchPaths = queries.map((q) => `${PREFIX}/prospects/search?q=${encodeURIComponent(q)}`);

    started = performance.now();
    await warm(api.url, 'GET', cardPaths, getAuth);
    await warm(api.url, 'POST', predictPaths, auth);
    console.log(
      `  warm-up: each of the ${thousands(ids.length)} cards and predictions requested once (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    await warm(api.url, 'GET', searchPaths.slice(0, 20), getAuth);
    console.log(
      `  search queries: ${thousands(queries.length)} distinct (e.g. ${queries
        .slice(0, 6)
        .map((q) => `"${q}"`)
        .join(', ')}), not warmed`,
    );

    const cardNote = `${thousands(ids.length)} ids in turn, cached`;
    const searchNote = `${thousands(queries.length)} queries in turn`;
    const runs: Run[] = [
      {
        name: 'GET /api/v1/prospects/{id}',
        method: 'GET',
        token: !anonymous,
        connections: 1000,
        paths: cardPaths,
        target: { minRps: 5000 },
        note: cardNote,
      },
      {
        name: 'GET /api/v1/prospects/{id}',
        method: 'GET',
        token: !anonymous,
        connections: 1000,
        rate: 5000,
        paths: cardPaths,
        target: { maxP99Ms: 20 },
        note: cardNote,
      },
      {
        name: 'POST /api/v1/ml/predict/{id}',
        method: 'POST',
        token: true,
        connections: 200,
        paths: predictPaths,
        target: {},
        note: cardNote,
      },
      {
        name: 'POST /api/v1/ml/predict/{id}',
        method: 'POST',
        token: true,
        connections: 200,
        rate: 2000,
        paths: predictPaths,
        target: { maxP99Ms: 20 },
        note: cardNote,
      },
      {
        name: 'GET /api/v1/prospects/search?q=',
        method: 'GET',
        token: !anonymous,
        connections: 100,
        paths: searchPaths,
        target: {},
        note: searchNote,
      },
      {
        name: 'GET /api/v1/prospects/search?q=',
        method: 'GET',
        token: !anonymous,
        connections: 100,
        rate: 1000,
        paths: searchPaths.map((p) => `${p}&limit=9`),
        target: { maxP99Ms: 50 },
        note: `${searchNote}, limit=9 (not cached by the closed-loop run)`,
      },
    ];
    const measured: Measured[] = [];
    for (const run of runs) {
      const before = await cacheCounters(api.url);
      const durationsBefore = await durationBuckets(api.url);
      const result = await load(api.url, run, token, cores?.bench);
      const durationsAfter = await durationBuckets(api.url);
      const m = {
        run,
        result,
        cache: cacheDelta(before, await cacheCounters(api.url)),
        serverP99: serverP99(durationsBefore, durationsAfter),
      };
      measured.push(m);
      if (process.env.BENCH_API_STDOUT && result.generator) {
        // Beside the API's stdout (--trace-gc): the slow episodes and generator stalls of each fixed-rate run, in ms
        // since the API process started, the clock --trace-gc prints.
        const offset = result.generator.startEpochMs - api.timeOrigin;
        await appendFile(
          `${process.env.BENCH_API_STDOUT}.episodes.jsonl`,
          `${JSON.stringify({
            run: `${run.name} ${mode(run)}`,
            slowEpisodes: result.generator.slowEpisodes.map((t) => Math.round(t + offset)),
            stalls: result.generator.stalls.map((st) => ({
              at: Math.round(st.atMs + offset),
              gap: Math.round(st.gapMs),
            })),
          })}\n`,
        );
      }
      console.log('');
      printRun(m, (await memoryMiB(child.pid!)).peak);
    }
    const cardsClosed = measured[0]!.result.rps;
    console.log(
      `\n  Little's law: a closed loop of N connections at X req/s has a mean latency of N/X s (1,000 at ${thousands(cardsClosed)} req/s: ${thousands(1_000_000 / Math.max(cardsClosed, 1))} ms), so a 20 ms p99 closed-loop would need >= 50,000 req/s: latency targets are read at the fixed offered rate`,
    );
    const memory = await memoryMiB(child.pid!);
    const heap = await heapMiB(api.url);
    console.log(
      `\n  API process memory after the runs: peak RSS (VmHWM) ${memory.peak.toFixed(0)} MiB, resident now ${memory.now.toFixed(0)} MiB (V8 heap ${heap.used.toFixed(0)} MiB used of ${heap.total.toFixed(0)} MiB, external ${heap.external.toFixed(0)} MiB)`,
    );

    const rows: { measure: string; measured: string; target: string; met: boolean }[] = [];
    for (const { run, result } of measured) {
      const clean = result.non2xx === 0 && result.errors === 0;
      const what = `${run.name}, ${run.connections} conn, ${mode(run)}`;
      rows.push({
        measure: `${what}: req/s`,
        measured: thousands(result.rps),
        target: run.target.minRps === undefined ? '-' : `>= ${thousands(run.target.minRps)}`,
        met: (run.target.minRps === undefined || result.rps >= run.target.minRps) && clean,
      });
      rows.push({
        measure: `${what}: p99`,
        measured: `${result.latency.p99} ms`,
        target: run.target.maxP99Ms === undefined ? '-' : `<= ${run.target.maxP99Ms} ms`,
        met: (run.target.maxP99Ms === undefined || result.latency.p99 <= run.target.maxP99Ms) && clean,
      });
      rows.push({
        measure: `${what}: non-2xx / errors`,
        measured: `${result.non2xx} / ${result.errors}`,
        target: '0 / 0',
        met: clean,
      });
    }
    rows.push({
      measure: 'API peak RSS (VmHWM)',
      measured: `${memory.peak.toFixed(0)} MiB`,
      target: '<= 512 MiB',
      met: memory.peak <= 512,
    });
    printTable(rows, anonymous ? 'BENCH_API_AUTH=anonymous npm run bench -- api' : 'npm run bench -- api');
    const missed = rows.filter((r) => !r.met);
    console.log(missed.length ? `  missed: ${missed.map((r) => r.measure).join('; ')}` : '  every target met');
  } finally {
    if (ownMask) execFileSync('taskset', ['-a', '-p', ownMask, String(process.pid)], { stdio: 'ignore' });
    if (child) await stopApiProcess(child);
    if (redis)
      await deleteKeys(redis.url, keyPrefix).catch((error: Error) =>
        console.error(`  could not delete the bench's Redis keys: ${error.message}`),
      );
    await redis?.stop();
    await pool.end();
    await database.drop();
  }
}

/** Removes every key the run wrote (its prefix only: the server may be shared). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [nextCursor, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = nextCursor;
      if (keys.length) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
