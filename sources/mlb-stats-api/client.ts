/**
 * Client of the MLB Stats API (https://statsapi.mlb.com, or the local sample server): the few endpoints ingestion
 * needs, paged and batched, rate-limited, retried, every raw response handed to `onResponse` for the landing zone.
 */
import type { StatGroup } from '../../lib/domain.ts';
import { MlbStatsApiError } from './errors.ts';
import { nextPage, readStatsPage } from './stats-page.ts';
import { createTokenBucket } from './rate-limit.ts';
import { createRequester, type RawResponse, type RequestWait } from './request.ts';

export type { RawResponse, RequestWait } from './request.ts';

export interface MlbStatsClientOptions {
  /** Origin of the API, without /api/v1 (the client appends it), e.g. the sample server's url. @default 'https://statsapi.mlb.com' */
  baseUrl?: string;
  /** Sustained request rate; 0 or Infinity means unlimited. @default 1 */
  requestsPerSecond?: number;
  /** Requests that may go back to back before the rate applies. @default 1 */
  burst?: number;
  /** Time allowed for each attempt, body included. @default 30000 */
  timeoutMs?: number;
  /** Retries after a first failed attempt (timeouts, network errors, 429, 5xx). @default 5 */
  maxRetries?: number;
  /** Backoff base: the nth retry waits a random time below base x 2^(n-1). @default 500 */
  retryBaseDelayMs?: number;
  /** Longest single wait between attempts, Retry-After included. @default 30000 */
  retryMaxDelayMs?: number;
  /** Called with every successful response before the caller sees it; a rejection fails the call. */
  onResponse?: (response: RawResponse) => void | Promise<void>;
  /** @default 'a-fine-wine-dynasty (prospect research; polite, cached)' */
  userAgent?: string;
  /**
   * Cancels every request in flight and every wait (rate limit, backoff) with the signal's reason, e.g. a Temporal
   * activity's cancellation signal. @default none
   */
  signal?: AbortSignal;
  /** Called about once a second while the client waits for a rate-limit token or a retry's backoff (to heartbeat). */
  onWait?: (wait: RequestWait) => void;
  /** For tests. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Jitter source, for tests. @default Math.random */
  random?: () => number;
}

export interface SeasonStatsRequest {
  season: number;
  group: StatGroup;
  sportIds: readonly number[];
  /** Splits per page (limit). @default 2000 */
  pageSize?: number;
  /**
   * Called when a page still fails after the client's retries; 'skip' goes on with the next page (the caller
   * records the loss, e.g. in a quarantine), 'throw' fails the whole call. @default () => 'throw'
   */
  onPageError?: (error: MlbStatsApiError) => 'skip' | 'throw';
  /**
   * Called when the server returned fewer splits than `limit` while its totalSplits says more remain, i.e. it caps
   * the page size; paging continues from the splits actually received, so nothing is lost. @default none
   */
  onCappedPage?: (page: { url: string; asked: number; received: number; totalSplits: number }) => void;
}

export interface MlbStatsClient {
  /**
   * Every split of `/stats?stats=season` for the season, group and levels, all pages concatenated in order, from every
   * container of the group. Paging follows totalSplits: a server capping `limit` is followed from what it actually
   * sent (and reported through onCappedPage); an empty page before the end, or a total that changes, throws.
   */
  seasonStats(request: SeasonStatsRequest): Promise<unknown[]>;
  /** `/people?personIds=...` in batches of `batchSize` (default 100); returns the raw people objects. */
  people(ids: readonly number[], options?: { batchSize?: number; hydrate?: string }): Promise<unknown[]>;
  /** `/teams?sportIds=..&season=Y` response body. */
  teams(request: { season: number; sportIds: readonly number[] }): Promise<unknown>;
  /** `/draft/{year}` response body. */
  draft(year: number): Promise<unknown>;
  /** `/sports/{sportId}/players?season=Y` response body. */
  sportPlayers(sportId: number, season: number): Promise<unknown>;
  /** Any other GET under /api/v1, e.g. get('/people/changes', { updatedSince }). */
  get(path: string, query?: Record<string, string | number | readonly (string | number)[]>): Promise<unknown>;
  /** HTTP attempts made so far, retries included (what a request budget counts). */
  requestCount(): number;
}

const MAX_PAGES = 10_000;

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`createMlbStatsClient: ${message}`);
}

export function createMlbStatsClient(options: MlbStatsClientOptions = {}): MlbStatsClient {
  const baseUrl = (options.baseUrl ?? 'https://statsapi.mlb.com').replace(/\/+$/, '');
  const rate = options.requestsPerSecond ?? 1;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 5;
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
  const retryMaxDelayMs = options.retryMaxDelayMs ?? 30_000;
  check(
    /^https?:\/\/[^/]+/.test(baseUrl) && URL.canParse(baseUrl),
    `baseUrl must be an http(s) URL, got "${options.baseUrl}"`,
  );
  check(!/\/api\/v1$/.test(baseUrl), `baseUrl must not end in /api/v1 (the client appends it), got "${baseUrl}"`);
  check(rate >= 0, `requestsPerSecond must be >= 0 (0 or Infinity for unlimited), got ${rate}`);
  check(Number.isInteger(timeoutMs) && timeoutMs > 0, `timeoutMs must be a positive integer, got ${timeoutMs}`);
  check(Number.isInteger(maxRetries) && maxRetries >= 0, `maxRetries must be an integer >= 0, got ${maxRetries}`);
  check(
    retryBaseDelayMs >= 0 && retryMaxDelayMs >= retryBaseDelayMs,
    `retry delays must satisfy 0 <= retryBaseDelayMs (${retryBaseDelayMs}) <= retryMaxDelayMs (${retryMaxDelayMs})`,
  );
  const http = createRequester({
    bucket: createTokenBucket({ ratePerSecond: rate, burst: options.burst ?? 1 }),
    timeoutMs,
    maxRetries,
    retryBaseDelayMs,
    retryMaxDelayMs,
    userAgent: options.userAgent ?? 'a-fine-wine-dynasty (prospect research; polite, cached)',
    fetch: options.fetch ?? globalThis.fetch,
    random: options.random ?? Math.random,
    onResponse: options.onResponse,
    signal: options.signal,
    onWait: options.onWait,
  });

  const urlOf = (path: string, query: Record<string, string | number | readonly (string | number)[]> = {}): string => {
    const enc = (x: string | number): string => encodeURIComponent(String(x));
    // Lists go comma-separated with bare commas, as the API's own documentation writes them (sportIds=11,12).
    const qs = Object.entries(query).map(
      ([k, v]) => `${k}=${Array.isArray(v) ? v.map(enc).join(',') : enc(v as string | number)}`,
    );
    return `${baseUrl}/api/v1${path}${qs.length ? `?${qs.join('&')}` : ''}`;
  };
  const get: MlbStatsClient['get'] = (path, query) => http.getJson(urlOf(path, query));

  async function seasonStats({
    season,
    group,
    sportIds,
    pageSize = 2000,
    onPageError,
    onCappedPage,
  }: SeasonStatsRequest): Promise<unknown[]> {
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 5000)
      throw new RangeError(`seasonStats: pageSize must be an integer from 1 to 5000, got ${pageSize}`);
    if (sportIds.length === 0) throw new RangeError('seasonStats: sportIds must not be empty');
    const splits: unknown[] = [];
    let skippedInARow = 0;
    let firstTotal: number | null = null;
    for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
      const query = { stats: 'season', group, sportIds, season, playerPool: 'All', limit: pageSize, offset };
      const url = urlOf('/stats', query);
      let body: unknown;
      try {
        body = await http.getJson(url);
      } catch (error) {
        if (!(error instanceof MlbStatsApiError) || (onPageError?.(error) ?? 'throw') === 'throw') throw error;
        // Without a good page the end of the list is unknown: a source failing page after page is down, not flaky.
        if (++skippedInARow >= 3) throw error;
        offset += pageSize;
        continue;
      }
      const read = readStatsPage(body, group);
      if ('problem' in read) {
        // A body that holds no lines of the group (not a /stats body, or only other groups' or stat types' containers)
        // is a lost page like any other: the caller quarantines it, and the circuit breaker trips on it.
        const error = new MlbStatsApiError(`GET ${url}: ${read.problem}`, {
          url,
          status: 200,
          attempts: 1,
          retryable: false,
        });
        if ((onPageError?.(error) ?? 'throw') === 'throw' || ++skippedInARow >= 3) throw error;
        offset += pageSize;
        continue;
      }
      skippedInARow = 0;
      for (const split of read.splits) splits.push(split);
      const step = nextPage({
        offset,
        limit: pageSize,
        received: read.received,
        totalSplits: read.totalSplits,
        firstTotal,
      });
      firstTotal ??= read.totalSplits;
      if (step.kind === 'done') return splits;
      if (step.kind === 'error')
        throw new MlbStatsApiError(`GET ${url}: ${step.reason}`, { url, status: 200, attempts: 1, retryable: false });
      if (step.capped && read.totalSplits !== null)
        onCappedPage?.({ url, asked: pageSize, received: read.received, totalSplits: read.totalSplits });
      offset = step.offset;
    }
    throw new RangeError(
      `seasonStats: more than ${MAX_PAGES} pages for season ${season} ${group}; refusing to continue`,
    );
  }

  async function people(
    ids: readonly number[],
    opts: { batchSize?: number; hydrate?: string } = {},
  ): Promise<unknown[]> {
    const batchSize = opts.batchSize ?? 100;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 500)
      throw new RangeError(`people: batchSize must be an integer from 1 to 500, got ${batchSize}`);
    const out: unknown[] = [];
    for (let i = 0; i < ids.length; i += batchSize) {
      const query: Record<string, string | readonly number[]> = { personIds: ids.slice(i, i + batchSize) };
      if (opts.hydrate) query.hydrate = opts.hydrate;
      const body = await get('/people', query);
      const list = (body as { people?: unknown } | null)?.people;
      if (Array.isArray(list)) for (const person of list as unknown[]) out.push(person);
    }
    return out;
  }

  return {
    seasonStats,
    people,
    teams: ({ season, sportIds }) => get('/teams', { sportIds, season }),
    draft: (year) => get(`/draft/${year}`),
    sportPlayers: (sportId, season) => get(`/sports/${sportId}/players`, { season }),
    get,
    requestCount: () => http.count(),
  };
}
