/**
 * Chaos scenario `redis-kill`: the API as `npm run api` runs it (two processes, A and B, sharing one redis-server of
 * the scenario's own) over a published world of 300 prospects; autocannon loads A for 60 s with 150 connections,
 * mixing anonymous card reads (cached) and premium predictions; Redis is SIGKILLed at 20 s and started again at 40 s.
 * Rate limits are set high (not off) so every load request still goes through the limiter.
 *
 * Verified: no 5xx in the load, every load request answered 200 in every phase; the only 5xx a probe sees are those
 * the API documents for a missing Redis (login answers 503 application/problem+json: its throttle fails closed);
 * /readyz answers 200 `degraded` during the outage and `ready` again after it; afterwards the shared cache works
 * again (B answers cards A loaded after the restart from Redis: hits, no errors) and so do rate limits (RateLimit-*
 * headers are back, and a free account's 11th prediction in a minute is refused with 429, which it was not during
 * the outage, when the limit failed open).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import { seedApiWorld } from '../bench/api-world.ts';
import { setRole, userByEmail } from '../db/users.ts';
import { withTransaction } from '../lib/db.ts';
import type { ChaosCheck, ChaosScenario } from './scenario.ts';
import { startApiProcess, type ApiProcess } from './support/api-process.ts';
import { startChaosRedis } from './support/chaos-redis.ts';
import { scratchDatabase } from './support/scratch-database.ts';
import { sleep } from './support/wait.ts';
import { Teardown } from './support/teardown.ts';
import { counterSum, is5xx, phaseAt, StatusTally, type Phase } from './support/api-tally.ts';

const PREFIX = '/api/v1';
const PROSPECTS = 300;
const CONNECTIONS = 150;
const LOAD_SECONDS = 60;
const KILL_AT_MS = 20_000;
const RESTART_AT_MS = 40_000;

interface Probe {
  atMs: number;
  what: string;
  status: number | 'error';
  detail: string;
}

async function account(
  api: ApiProcess,
  role: 'free' | 'premium',
  pool: Parameters<typeof setRole>[0],
): Promise<string> {
  const email = `chaos-${role}-${randomUUID().slice(0, 8)}@example.test`;
  const password = `chaos password ${randomUUID()}`;
  const post = (route: string) =>
    fetch(`${api.url}${PREFIX}/auth/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  const registered = await post('register');
  if (registered.status !== 202) throw new Error(`register answered ${registered.status}: ${await registered.text()}`);
  const user = await userByEmail(pool, email);
  if (!user) throw new Error(`register of ${email} created no account`);
  if (role !== 'free') await setRole(pool, user.userId, role);
  const res = await post('login');
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function metricsText(api: ApiProcess): Promise<string> {
  return (await fetch(`${api.url}/metrics`)).text();
}

/** The free account's predictions until one is refused (at most `max`): how many were allowed, and whether headers came. */
async function predictUntilRefused(
  api: ApiProcess,
  token: string,
  playerId: number,
  max: number,
): Promise<{ allowed: number; refused: number | null; headers: boolean; statuses: number[] }> {
  const statuses: number[] = [];
  let headers = false;
  for (let i = 0; i < max; i++) {
    const res = await fetch(`${api.url}${PREFIX}/ml/predict/${playerId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    await res.arrayBuffer();
    statuses.push(res.status);
    if (res.headers.has('ratelimit-remaining')) headers = true;
    if (res.status !== 200) return { allowed: i, refused: res.status, headers, statuses };
  }
  return { allowed: max, refused: null, headers, statuses };
}

export const redisKill: ChaosScenario = {
  name: 'redis-kill',
  summary:
    'Redis SIGKILLed under 60 s of API load and restarted: reads keep answering, /readyz degrades and recovers, cache and rate limits come back',
  // Seeding and two API processes ~15 s, the 60 s load, probes after it ~10 s; the rest is margin for a loaded machine.
  timeLimitMs: 150_000,
  async run(ctx) {
    const checks: ChaosCheck[] = [];
    const down = new Teardown();
    // Stopped in `finally`, whatever ends the run: the probe loop and the load would otherwise outlive a failure.
    let probing = false;
    let probeLoop: Promise<void> = Promise.resolve();
    let instance: autocannon.Instance | undefined;
    try {
      const db = await scratchDatabase(ctx.adminDatabaseUrl, 'redis');
      down.push('database', () => db.drop());
      const world = await withTransaction(db.pool, (client) =>
        seedApiWorld(client, { count: PROSPECTS, seed: ctx.seed % 1000 }),
      );
      const redis = await startChaosRedis(path.join(ctx.workDir, 'redis'));
      down.push('redis', () => redis.stop());
      const env = {
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: `chaos-${ctx.seed}:`,
        AFWD_DATA_DIR: path.join(ctx.workDir, 'data'),
        // High, not off: every load request still takes the limiter's round trip to Redis.
        API_RATE_LIMIT_ANONYMOUS: '100000000',
        API_RATE_LIMIT_PREMIUM: '100000000',
      };
      const a = await startApiProcess(env);
      down.push('API A', () => a.stop());
      const b = await startApiProcess(env);
      down.push('API B', () => b.stop());
      ctx.step(
        `world of ${world.prospects.length} published prospects in ${db.name}; redis-server ${redis.url}; API A ${a.url} (pid ${a.pid}), API B ${b.url} (pid ${b.pid})`,
      );

      const premium = await account(a, 'premium', db.pool);
      const free = await account(a, 'free', db.pool);
      const ids = world.prospects.map((p) => p.playerId);
      // Half the cards are warmed (read from memory or Redis), half are read cold for the first time under load.
      for (const id of ids.slice(0, ids.length / 2))
        await (await fetch(`${a.url}${PREFIX}/prospects/${id}`)).arrayBuffer();
      ctx.step(
        `accounts registered (premium, free); ${ids.length / 2} cards warmed on A; load: ${CONNECTIONS} connections for ${LOAD_SECONDS} s, GET /prospects/{id} anonymous and POST /ml/predict/{id} premium, in turn`,
      );

      const phases: Phase[] = [{ name: 'before', fromMs: 0 }];
      const tally = new StatusTally();
      const probes: Probe[] = [];
      const started = performance.now();
      const since = () => performance.now() - started;
      let next = 0;
      let finish: (error: Error | null, result: autocannon.Result) => void = () => undefined;
      const load = new Promise<autocannon.Result>((resolve, reject) => {
        finish = (error, result) => (error ? reject(error) : resolve(result));
      });
      // Awaited on the success path only: a failure before that must not end the runner as an unhandled rejection.
      load.catch(() => undefined);
      instance = autocannon(
        {
          url: a.url,
          connections: CONNECTIONS,
          duration: LOAD_SECONDS,
          timeout: 10,
          requests: [
            {
              setupRequest: (request) => {
                const n = next++;
                const id = ids[(n * 7919) % ids.length]!;
                return n % 2 === 0
                  ? { ...request, method: 'GET', path: `${PREFIX}/prospects/${id}`, headers: {} }
                  : {
                      ...request,
                      method: 'POST',
                      path: `${PREFIX}/ml/predict/${id}`,
                      headers: { authorization: `Bearer ${premium}` },
                    };
              },
            },
          ],
        },
        (error, result) => finish(error, result),
      );
      instance.on('response', (_client: unknown, statusCode: number) =>
        tally.add(phaseAt(phases, since()), statusCode),
      );
      instance.on('reqError', () => tally.add(phaseAt(phases, since()), 'error'));

      // Probes beside the load: /readyz every second, a login every 5 s.
      probing = true;
      probeLoop = (async () => {
        let tick = 0;
        while (probing) {
          const at = since();
          const ready = await fetch(`${a.url}/readyz`).then(
            async (r) => ({ status: r.status, body: (await r.json()) as { status?: string } }),
            () => null,
          );
          probes.push({
            atMs: at,
            what: 'readyz',
            status: ready?.status ?? 'error',
            detail: ready?.body.status ?? 'no answer',
          });
          if (tick % 5 === 2) {
            const login = await fetch(`${a.url}${PREFIX}/auth/login`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ email: 'nobody@example.test', password: 'wrong password' }),
            }).then(
              async (r) => ({ status: r.status, type: r.headers.get('content-type') ?? '' }),
              () => null,
            );
            probes.push({
              atMs: at,
              what: 'login',
              status: login?.status ?? 'error',
              detail: login?.type ?? 'no answer',
            });
          }
          tick++;
          await sleep(1000);
        }
      })();

      const metricsBefore = await metricsText(a);
      await sleep(Math.max(0, KILL_AT_MS - since()));
      const killed = await redis.kill();
      phases.push({ name: 'outage', fromMs: since() });
      ctx.step(`SIGKILL redis-server pid ${killed} at ${(since() / 1000).toFixed(1)} s of load`);

      // During the outage: B reads cards it never read (no shared cache to ask), the free account's limit fails open.
      await sleep(3000);
      const bBefore = await metricsText(b);
      for (const id of ids.slice(0, 20)) await (await fetch(`${b.url}${PREFIX}/prospects/${id}`)).arrayBuffer();
      const bOutage = await metricsText(b);
      const freeDuringOutage = await predictUntilRefused(a, free, ids[0]!, 12);
      ctx.step(
        `during the outage: ${freeDuringOutage.allowed} of 12 free predictions allowed (limit fails open), RateLimit headers ${freeDuringOutage.headers ? 'present' : 'absent'}`,
      );

      await sleep(Math.max(0, RESTART_AT_MS - since()));
      await redis.restart();
      phases.push({ name: 'after', fromMs: since() });
      ctx.step(`redis-server started again on the same port at ${(since() / 1000).toFixed(1)} s`);
      let readyAgainMs: number | undefined;
      while (readyAgainMs === undefined && since() < RESTART_AT_MS + 15_000) {
        const body = await fetch(`${a.url}/readyz`).then(
          (r) => r.json() as Promise<{ status?: string }>,
          (): { status?: string } => ({}),
        );
        if (body.status === 'ready') readyAgainMs = since();
        else await sleep(200);
      }
      ctx.step(
        readyAgainMs === undefined
          ? 'A did not report ready within 15 s of the restart'
          : `A reports ready again ${((readyAgainMs - phases[2]!.fromMs) / 1000).toFixed(1)} s after the restart`,
      );

      const result = await load;
      const loadEndMs = since();
      probing = false;
      await probeLoop;
      instance = undefined;
      const metricsAfterLoad = await metricsText(a);
      ctx.step(
        `load done: ${result.requests.total.toLocaleString('en-US')} requests, ${result.errors} errors, ${result.timeouts} timeouts`,
      );
      const phaseSeconds = (i: number) => ((phases[i + 1]?.fromMs ?? loadEndMs) - phases[i]!.fromMs) / 1000;
      phases.forEach((phase, i) =>
        ctx.step(
          `  ${phase.name.padEnd(6)} ${phaseSeconds(i).toFixed(1)} s, ${Math.round(tally.count(phase.name) / phaseSeconds(i))} answers/s: ${tally.describe(phase.name)}`,
        ),
      );

      // After: A compares 20 pairs nobody asked for yet (a miss in both layers: loaded, then written to Redis); B then
      // asks for the same pairs, which it holds nowhere in memory, so its hits can only come from Redis.
      const pairs = Array.from({ length: 20 }, (_, i) => `${ids[i]},${ids[ids.length - 1 - i]}`);
      const compare = (api: ApiProcess, pair: string) =>
        fetch(`${api.url}${PREFIX}/prospects/compare?ids=${pair}`, {
          headers: { authorization: `Bearer ${premium}` },
        }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        });
      const compareStatuses = [];
      for (const pair of pairs) compareStatuses.push(await compare(a, pair));
      const bAfterBefore = await metricsText(b);
      for (const pair of pairs) compareStatuses.push(await compare(b, pair));
      const bAfter = await metricsText(b);
      const freeAfter = await predictUntilRefused(a, free, ids[1]!, 30);
      // The free account used its window during the outage without counting; after it, the limit is counted again.
      const rateLimited = counterSum(await metricsText(a), 'rate_limited_total', { bucket: 'predictions' });

      const outageSeconds = (phases[2]!.fromMs - phases[1]!.fromMs) / 1000;
      const loadFive = ['before', 'outage', 'after'].reduce((n, p) => n + tally.count(p, is5xx), 0);
      const loadNon200 = ['before', 'outage', 'after'].reduce((n, p) => n + tally.count(p, (s) => s !== '200'), 0);
      checks.push({
        what: 'no 5xx and no request without an answer in the load, in any phase',
        ok:
          loadFive === 0 &&
          tally.count('before', (s) => s === 'error') +
            tally.count('outage', (s) => s === 'error') +
            tally.count('after', (s) => s === 'error') ===
            0,
        detail: `before ${tally.describe('before')}; outage (${outageSeconds.toFixed(1)} s) ${tally.describe('outage')}; after ${tally.describe('after')}`,
      });
      checks.push({
        what: 'reads kept answering 200 during the outage (cards and premium predictions, every one)',
        ok: tally.count('outage') > 1000 && loadNon200 === 0,
        detail: `${tally.count('outage', (s) => s === '200').toLocaleString('en-US')} answers 200 of ${tally.count('outage').toLocaleString('en-US')} in the outage`,
      });
      const inOutage = (p: Probe) => p.atMs >= phases[1]!.fromMs + 500 && p.atMs < phases[2]!.fromMs;
      const readyzOutage = probes.filter((p) => p.what === 'readyz' && inOutage(p));
      const readyzAfter = probes.filter((p) => p.what === 'readyz' && p.atMs >= (readyAgainMs ?? Infinity));
      const readyzBefore = probes.filter((p) => p.what === 'readyz' && p.atMs < phases[1]!.fromMs);
      checks.push({
        what: '/readyz answered 200 ready before, 200 degraded during the outage, and 200 ready again after the restart',
        ok:
          readyzBefore.length > 0 &&
          readyzBefore.every((p) => p.status === 200 && p.detail === 'ready') &&
          readyzOutage.length > 5 &&
          readyzOutage.every((p) => p.status === 200 && p.detail === 'degraded') &&
          readyAgainMs !== undefined &&
          readyzAfter.every((p) => p.status === 200 && p.detail === 'ready'),
        detail: `${readyzOutage.length} probes during the outage: ${[...new Set(readyzOutage.map((p) => `${p.status} ${p.detail}`))].join(', ')}; ready again ${readyAgainMs === undefined ? 'never' : `${((readyAgainMs - phases[2]!.fromMs) / 1000).toFixed(1)} s after the restart`}`,
      });
      const logins = probes.filter((p) => p.what === 'login');
      const loginOutage = logins.filter(inOutage);
      const loginOther = logins.filter(
        (p) => !inOutage(p) && (p.atMs < phases[1]!.fromMs || p.atMs > (readyAgainMs ?? Infinity)),
      );
      checks.push({
        what: 'the only 5xx probes saw are the documented ones: login 503 application/problem+json while Redis is down (its throttle fails closed), 401 otherwise',
        ok:
          loginOutage.length > 0 &&
          loginOutage.every((p) => p.status === 503 && p.detail.startsWith('application/problem+json')) &&
          loginOther.every((p) => p.status === 401) &&
          probes.filter((p) => p.what === 'readyz').every((p) => p.status === 200),
        detail: `login during the outage: ${loginOutage.map((p) => `${p.status} ${p.detail.split(';')[0]}`).join(', ')}; before/after: ${loginOther.map((p) => p.status).join(', ')}`,
      });
      const outageErrors =
        counterSum(bOutage, 'cache_requests_total', { result: 'error' }) -
        counterSum(bBefore, 'cache_requests_total', { result: 'error' });
      const sharedHits =
        counterSum(bAfter, 'cache_requests_total', { result: 'hit' }) -
        counterSum(bAfterBefore, 'cache_requests_total', { result: 'hit' });
      const afterErrors =
        counterSum(bAfter, 'cache_requests_total', { result: 'error' }) -
        counterSum(bAfterBefore, 'cache_requests_total', { result: 'error' });
      const aErrorsOutage =
        counterSum(metricsAfterLoad, 'cache_requests_total', { result: 'error' }) -
        counterSum(metricsBefore, 'cache_requests_total', { result: 'error' });
      checks.push({
        what: 'the shared cache works again after the restart: B answers 20 comparisons A loaded after it from Redis (hits, no errors); during the outage its lookups were errors',
        ok:
          outageErrors >= 20 &&
          sharedHits === pairs.length &&
          afterErrors === 0 &&
          compareStatuses.every((st) => st === 200),
        detail: `B during the outage: ${outageErrors} cache errors for 20 cold cards; after: ${sharedHits} hits, ${afterErrors} errors for the 20 comparisons A loaded after the restart; A counted ${aErrorsOutage} cache errors during the load`,
      });
      checks.push({
        what: "rate limits work again after the restart: RateLimit headers are back and a free account's 11th prediction in a minute is a 429 (during the outage the limit failed open, without headers)",
        ok:
          freeDuringOutage.allowed === 12 &&
          !freeDuringOutage.headers &&
          freeAfter.headers &&
          freeAfter.allowed === 10 &&
          freeAfter.refused === 429 &&
          rateLimited >= 1,
        detail: `outage: ${freeDuringOutage.allowed}/12 allowed, headers ${freeDuringOutage.headers ? 'yes' : 'no'}; after: ${freeAfter.allowed} allowed then ${freeAfter.refused ?? 'none refused'}, headers ${freeAfter.headers ? 'yes' : 'no'}; rate_limited_total{bucket="predictions"} ${rateLimited}`,
      });
      return checks;
    } finally {
      probing = false;
      instance?.stop();
      await probeLoop;
      await down.run();
    }
  },
};
