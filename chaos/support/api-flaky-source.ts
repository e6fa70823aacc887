/**
 * A flaky source for the source-throttle scenario: an HTTP proxy in front of the sample source that throttles and
 * flaps on a plan (`createFaultPlan`, seeded): bursts of 429s with Retry-After, of 503s and of connection resets, in
 * turn with bursts of clean answers; and, given `broken`, requests that fail for good. Every request is logged with
 * when it came and what it got, so `retryAfterCheck` can tell whether a client waited as long as it was asked to.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind = 'pass' | 'busy' | 'unavailable' | 'reset';

export interface PlannedFault {
  kind: FaultKind;
  /** For 'busy': the Retry-After the answer carries, in seconds. */
  retryAfterSeconds?: number;
}

export interface FaultPlanOptions {
  /** Seeded randomness: which requests of a faulty burst are faulted, and each 429's Retry-After. */
  random: () => number;
  /** Share (0-1) of the requests in a faulty burst that are faulted. */
  share: number;
  /** Requests per burst; bursts go busy, unavailable, reset, pass, busy... */
  burstLength: number;
  /** Most faults one URL gets, so every request succeeds within the client's retries. */
  maxFaultsPerUrl: number;
  /** Retry-After values (seconds) a 429 picks from. */
  retryAfterSeconds: readonly number[];
}

const CYCLE: readonly FaultKind[] = ['busy', 'unavailable', 'reset', 'pass'];

/** Decides, request by request in order of arrival, what each one gets. Pure but for the state it keeps. */
export function createFaultPlan(options: FaultPlanOptions): (url: string) => PlannedFault {
  const { random, share, burstLength, maxFaultsPerUrl, retryAfterSeconds } = options;
  if (!(share >= 0 && share <= 1)) throw new Error(`fault plan: share must be within 0-1, got ${share}`);
  if (!Number.isInteger(burstLength) || burstLength < 1)
    throw new Error(`fault plan: burstLength must be an integer >= 1, got ${burstLength}`);
  if (!retryAfterSeconds.length) throw new Error('fault plan: give at least one Retry-After value');
  const faults = new Map<string, number>();
  let n = 0;
  return (url) => {
    const kind = CYCLE[Math.floor(n++ / burstLength) % CYCLE.length]!;
    // Drawn for every request, so the plan of later requests does not depend on earlier URLs' fault counts.
    const roll = random();
    const pick = retryAfterSeconds[Math.floor(random() * retryAfterSeconds.length)]!;
    const seen = faults.get(url) ?? 0;
    if (kind === 'pass' || roll >= share || seen >= maxFaultsPerUrl) return { kind: 'pass' };
    faults.set(url, seen + 1);
    return kind === 'busy' ? { kind, retryAfterSeconds: pick } : { kind };
  };
}

export interface SourceRequest {
  url: string;
  /** performance.now() when the request arrived, or, for a 429, when its answer was sent. */
  atMs: number;
  kind: FaultKind | 'broken';
  retryAfterMs?: number;
}

export interface RetryAfterCheck {
  /** 429s followed by another request for the same URL. */
  checked: number;
  /** Of those, retries that came before the Retry-After had elapsed. */
  early: { url: string; askedMs: number; waitedMs: number }[];
  /** Shortest margin between the wait asked and the wait kept, in ms (negative when early). */
  minMarginMs: number;
  /** Requests for other URLs while some 429's wait was running (concurrent fetches of other seasons). */
  othersDuringWaits: number;
}

/** Whether every retry of a URL answered 429 came no sooner than its Retry-After asked. */
export function retryAfterCheck(log: readonly SourceRequest[]): RetryAfterCheck {
  const early: RetryAfterCheck['early'] = [];
  let checked = 0;
  let minMarginMs = Infinity;
  let othersDuringWaits = 0;
  log.forEach((busy, i) => {
    if (busy.kind !== 'busy' || busy.retryAfterMs === undefined) return;
    const until = busy.atMs + busy.retryAfterMs;
    const retry = log.slice(i + 1).find((r) => r.url === busy.url);
    othersDuringWaits += log
      .slice(i + 1)
      .filter((r) => r.url !== busy.url && r.atMs < Math.min(until, retry?.atMs ?? until)).length;
    if (!retry) return;
    checked++;
    const waitedMs = retry.atMs - busy.atMs;
    minMarginMs = Math.min(minMarginMs, waitedMs - busy.retryAfterMs);
    if (waitedMs < busy.retryAfterMs) early.push({ url: busy.url, askedMs: busy.retryAfterMs, waitedMs });
  });
  return { checked, early, minMarginMs: checked ? minMarginMs : Number.NaN, othersDuringWaits };
}

export interface FlakySource {
  url: string;
  log: SourceRequest[];
  close(): Promise<void>;
}

/**
 * Starts the proxy on a free loopback port. `plan` decides each request's fault; `broken` marks requests that answer
 * 503 every time (a source that stays down).
 */
export async function startFlakySource(
  upstream: string,
  plan: (url: string) => PlannedFault,
  broken: (url: string) => boolean = () => false,
): Promise<FlakySource> {
  const log: SourceRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const atMs = performance.now();
    if (broken(url)) {
      log.push({ url, atMs, kind: 'broken' });
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"source down"}');
      return;
    }
    const fault = plan(url);
    if (fault.kind === 'busy') {
      const retryAfterMs = (fault.retryAfterSeconds ?? 1) * 1000;
      log.push({ url, atMs: performance.now(), kind: 'busy', retryAfterMs });
      res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': String(fault.retryAfterSeconds ?? 1) })
        .end('{"message":"slow down"}');
      return;
    }
    log.push({ url, atMs, kind: fault.kind });
    if (fault.kind === 'unavailable') {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"flapping"}');
      return;
    }
    if (fault.kind === 'reset') {
      // A connection reset mid-request: the client sees a network error, never an answer.
      req.socket.resetAndDestroy();
      return;
    }
    fetch(`${upstream}${url}`).then(
      async (answer) => {
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
      },
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
