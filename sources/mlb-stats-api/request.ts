/**
 * One GET against the Stats API with the politeness and resilience rules: a token from the rate limiter per attempt,
 * a timeout per attempt, retries with backoff on timeouts, network errors, 429 and 5xx, none on other 4xx.
 */
import { backoffDelay, pause, retryAfterMs } from './backoff.ts';
import { MlbStatsApiError } from './errors.ts';
import type { TokenBucket } from './rate-limit.ts';

/** What the landing-zone hook receives for every successful response. */
export interface RawResponse {
  url: string;
  status: number;
  fetchedAt: Date;
  /** Parsed JSON body. */
  body: unknown;
}

export interface RequesterOptions {
  bucket: TokenBucket;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  userAgent: string;
  fetch: typeof fetch;
  random: () => number;
  onResponse: ((response: RawResponse) => void | Promise<void>) | undefined;
  /** Abandons everything in flight or waiting (fetch, body, rate-limit wait, backoff) with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Hears about every wait while it lasts (about once a second), e.g. to heartbeat through a long backoff. */
  onWait?: ((wait: RequestWait) => void) | undefined;
}

/** A wait between requests: for a rate-limit token, or the backoff before a retry. */
export interface RequestWait {
  reason: 'rate-limit' | 'backoff';
  url: string;
  remainingMs: number;
  /** The attempt that will follow the wait. */
  attempt: number;
}

const snippet = (text: string): string => text.slice(0, 300);

type Attempt =
  { ok: true; status: number; body: unknown } | { ok: false; failure: MlbStatsApiError; wait: number | null };

export function createRequester(o: RequesterOptions): { getJson(url: string): Promise<unknown>; count(): number } {
  let requests = 0;

  /** One attempt: a body, a retryable failure (with the server's Retry-After, if any), or a thrown final error. */
  async function attemptOnce(url: string, attempt: number): Promise<Attempt> {
    try {
      const res = await o.fetch(url, {
        headers: { accept: 'application/json', 'user-agent': o.userAgent },
        signal: o.signal
          ? AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)])
          : AbortSignal.timeout(o.timeoutMs),
      });
      const text = await res.text();
      if (!res.ok) {
        const retryable = res.status === 429 || res.status >= 500;
        const failure = new MlbStatsApiError(`GET ${url}: HTTP ${res.status}`, {
          url,
          status: res.status,
          attempts: attempt,
          retryable,
          bodySnippet: snippet(text),
        });
        if (!retryable) throw failure;
        return { ok: false, failure, wait: retryAfterMs(res.headers.get('retry-after')) };
      }
      try {
        return { ok: true, status: res.status, body: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
      } catch (cause) {
        // A truncated or garbled body is usually a transient fault between us and the API: try again.
        const failure = new MlbStatsApiError(`GET ${url}: response ${res.status} is not JSON`, {
          url,
          status: res.status,
          attempts: attempt,
          retryable: true,
          bodySnippet: snippet(text),
          cause,
        });
        return { ok: false, failure, wait: null };
      }
    } catch (err) {
      if (err instanceof MlbStatsApiError) throw err;
      // Cancelled from outside: not a fault of the source, so no retry, and the caller sees the reason it gave.
      if (o.signal?.aborted) throw o.signal.reason;
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const reason = timedOut ? `no response within ${o.timeoutMs} ms` : `network error (${(err as Error).message})`;
      return {
        ok: false,
        wait: null,
        failure: new MlbStatsApiError(`GET ${url}: ${reason}`, {
          url,
          status: null,
          attempts: attempt,
          retryable: true,
          cause: err,
        }),
      };
    }
  }

  async function getJson(url: string): Promise<unknown> {
    const waiting = (reason: RequestWait['reason'], attempt: number) => ({
      signal: o.signal,
      onTick: o.onWait && ((remainingMs: number) => o.onWait?.({ reason, url, remainingMs, attempt })),
    });
    for (let attempt = 1; ; attempt++) {
      await o.bucket.take(waiting('rate-limit', attempt));
      requests += 1;
      const result = await attemptOnce(url, attempt);
      if (result.ok) {
        // A failing hook (the landing zone is down) surfaces as itself and is not retried. It runs before the caller
        // sees the body, so nothing is processed that was not landed first.
        await o.onResponse?.({ url, status: result.status, fetchedAt: new Date(), body: result.body });
        return result.body;
      }
      const { failure, wait } = result;
      if (attempt > o.maxRetries) {
        throw new MlbStatsApiError(`${failure.message}, giving up after ${attempt} attempts`, {
          url,
          status: failure.status,
          attempts: attempt,
          retryable: true,
          cause: failure,
          ...(failure.bodySnippet === undefined ? {} : { bodySnippet: failure.bodySnippet }),
        });
      }
      const jitter = backoffDelay(attempt - 1, o.retryBaseDelayMs, o.retryMaxDelayMs, o.random);
      await pause(wait === null ? jitter : Math.min(o.retryMaxDelayMs, wait), waiting('backoff', attempt + 1));
    }
  }

  return { getJson, count: () => requests };
}
