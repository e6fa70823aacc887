/**
 * HTTP client of the Fantrax read-only API (`{base}/{method}`, POST JSON): getLeagues, getLeagueInfo, getTeamRosters
 * and getPlayerIds. Each call has a timeout; 5xx answers and timeouts are retried with exponential backoff; a 429 waits
 * for its Retry-After (bounded). Failures are typed: a wrong Secret ID, a league that is private or gone, Fantrax
 * unavailable, rate limited, or an answer that does not have the documented shape. The Secret ID never appears in an
 * error message or a log line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Config } from '../lib/config.ts';

export const ROSTER_STATUSES = ['ACTIVE', 'RESERVE', 'MINORS', 'INJURED_RESERVE'] as const;
export type RosterStatus = (typeof ROSTER_STATUSES)[number];

const LeaguesSchema = z.object({
  leagues: z.array(
    z.object({
      leagueName: z.string(),
      teamName: z.string(),
      leagueId: z.string().min(1),
      teamId: z.string().min(1),
      sport: z.string(),
    }),
  ),
});

const LeagueInfoSchema = z
  .object({
    teamInfo: z.record(z.string(), z.object({ name: z.string(), id: z.string(), division: z.string().optional() })),
    playerInfo: z
      .record(z.string(), z.object({ eligiblePos: z.string().optional(), status: z.string().optional() }))
      .default({}),
  })
  .loose();

const RostersSchema = z.object({
  period: z.number().int().optional(),
  rosters: z.record(
    z.string(),
    z.object({
      teamName: z.string(),
      rosterItems: z.array(
        z
          .object({
            id: z.string().min(1),
            position: z.string().optional(),
            status: z.enum(ROSTER_STATUSES),
          })
          .loose(),
      ),
    }),
  ),
});

const PlayerIdsSchema = z.record(
  z.string(),
  z
    .object({
      fantraxId: z.string().min(1),
      name: z.string(),
      team: z.string().optional(),
      position: z.string().optional(),
    })
    .loose(),
);

export type FantraxLeague = z.infer<typeof LeaguesSchema>['leagues'][number];
export type FantraxLeagueInfo = z.infer<typeof LeagueInfoSchema>;
export type FantraxRosters = z.infer<typeof RostersSchema>;
export type FantraxPlayerIds = z.infer<typeof PlayerIdsSchema>;

export type FantraxErrorKind = 'invalid-secret' | 'inaccessible-league' | 'unavailable' | 'rate-limited' | 'malformed';

/** Every failure of the client; `kind` says which. */
export class FantraxError extends Error {
  override name = 'FantraxError';
  readonly kind: FantraxErrorKind;
  constructor(kind: FantraxErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}
/** Fantrax does not know the Secret ID: the user must reconnect with the right one. */
export class InvalidSecretIdError extends FantraxError {
  override name = 'InvalidSecretIdError';
  constructor() {
    super('invalid-secret', 'Fantrax does not recognise this Secret ID (copy it again from your Fantrax profile).');
  }
}
/** The league is private or no longer exists for this user. */
export class InaccessibleLeagueError extends FantraxError {
  override name = 'InaccessibleLeagueError';
  readonly leagueId: string;
  constructor(leagueId: string, detail: string) {
    super('inaccessible-league', `League ${leagueId} is private or inaccessible: ${detail}`);
    this.leagueId = leagueId;
  }
}
/** Timeouts, connection failures or 5xx answers after every retry. */
export class FantraxUnavailableError extends FantraxError {
  override name = 'FantraxUnavailableError';
  readonly timedOut: boolean;
  constructor(message: string, timedOut: boolean) {
    super('unavailable', message);
    this.timedOut = timedOut;
  }
}
/** 429 after the retries, or a Retry-After longer than the client will wait. */
export class FantraxRateLimitedError extends FantraxError {
  override name = 'FantraxRateLimitedError';
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('rate-limited', `Fantrax is rate limiting requests; retry after ${retryAfterSeconds} s.`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
/** An answer that does not have the documented shape. */
export class FantraxMalformedResponseError extends FantraxError {
  override name = 'FantraxMalformedResponseError';
  constructor(method: string, detail: string) {
    super('malformed', `Fantrax answered ${method} with an unexpected shape: ${detail}`);
  }
}

export interface FantraxClientOptions {
  /** Base URL up to and including /fxea/general. */
  baseUrl: string;
  /** Per request. @default 10000 */
  timeoutMs?: number;
  /** Attempts per call for timeouts, connection failures, 5xx and 429. @default 3 */
  attempts?: number;
  /** First backoff; doubled each retry (with jitter). @default 250 */
  backoffMs?: number;
  /** Longest Retry-After the client waits for; longer ones fail at once as rate limited. @default 10000 */
  maxRetryAfterMs?: number;
}

export interface FantraxClient {
  getLeagues(userSecretId: string): Promise<FantraxLeague[]>;
  getLeagueInfo(leagueId: string): Promise<FantraxLeagueInfo>;
  getTeamRosters(leagueId: string, period?: number): Promise<FantraxRosters>;
  getPlayerIds(sport?: string): Promise<FantraxPlayerIds>;
}

/** The configured base URL, or the local Fantrax-shaped server's. */
export function fantraxBaseUrl(config: Pick<Config, 'fantrax'>): string {
  return config.fantrax.apiUrl?.replace(/\/+$/, '') ?? `http://127.0.0.1:${config.fantrax.localPort}/fxea/general`;
}

export function fantraxClientFromConfig(
  config: Pick<Config, 'fantrax'>,
  options: Partial<FantraxClientOptions> = {},
): FantraxClient {
  return createFantraxClient({ baseUrl: fantraxBaseUrl(config), timeoutMs: config.fantrax.timeoutMs, ...options });
}

/** Fantrax answers some refusals with HTTP 200 and an `{ error }` body; this reads that message, if any. */
function errorMessage(body: unknown): string | null {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const error = (body as Record<string, unknown>).error;
    if (typeof error === 'string') return error;
    if (error && typeof error === 'object' && typeof (error as Record<string, unknown>).message === 'string')
      return (error as { message: string }).message;
  }
  return null;
}

export function createFantraxClient(options: FantraxClientOptions): FantraxClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(baseUrl)) throw new TypeError(`Fantrax baseUrl must be an http(s) URL, got "${baseUrl}"`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const attempts = Math.max(1, options.attempts ?? 3);
  const backoffMs = options.backoffMs ?? 250;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;

  /** One call with its retries; `refusal` maps an `{ error }` answer (or a 401/403/404) to its typed error. */
  async function call<T>(
    method: string,
    body: Record<string, unknown>,
    schema: z.ZodType<T>,
    refusal: (message: string) => FantraxError,
  ): Promise<T> {
    let last: FantraxError = new FantraxUnavailableError(`Fantrax ${method} failed`, false);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2) * (0.75 + Math.random() / 2));
      let res: Response;
      try {
        res = await fetch(`${baseUrl}/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        last = new FantraxUnavailableError(
          timedOut ? `Fantrax ${method} timed out after ${timeoutMs} ms` : `Fantrax ${method} is unreachable`,
          timedOut,
        );
        continue;
      }
      if (res.status === 429) {
        await res.body?.cancel();
        const seconds = Math.max(0, Number(res.headers.get('retry-after')) || 1);
        last = new FantraxRateLimitedError(seconds);
        if (seconds * 1000 > maxRetryAfterMs || attempt === attempts) throw last;
        await sleep(seconds * 1000);
        continue;
      }
      if (res.status >= 500) {
        await res.body?.cancel();
        last = new FantraxUnavailableError(`Fantrax ${method} answered ${res.status}`, false);
        continue;
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        // A refusal is a refusal whatever its body: a CDN or proxy answers 401/403/404 with an HTML page.
        if (res.status === 401 || res.status === 403 || res.status === 404) throw refusal(`HTTP ${res.status}`);
        throw new FantraxMalformedResponseError(method, `HTTP ${res.status}, not JSON`);
      }
      const refused = errorMessage(json);
      if (refused !== null || res.status === 401 || res.status === 403 || res.status === 404)
        throw refusal(refused ?? `HTTP ${res.status}`);
      if (!res.ok) throw new FantraxMalformedResponseError(method, `HTTP ${res.status}`);
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new FantraxMalformedResponseError(
          method,
          issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid',
        );
      }
      return parsed.data;
    }
    throw last;
  }

  return {
    async getLeagues(userSecretId) {
      const answer = await call('getLeagues', { userSecretId }, LeaguesSchema, () => new InvalidSecretIdError());
      return answer.leagues;
    },
    getLeagueInfo: (leagueId) =>
      call('getLeagueInfo', { leagueId }, LeagueInfoSchema, (m) => new InaccessibleLeagueError(leagueId, m)),
    getTeamRosters: (leagueId, period) =>
      call(
        'getTeamRosters',
        period === undefined ? { leagueId } : { leagueId, period },
        RostersSchema,
        (m) => new InaccessibleLeagueError(leagueId, m),
      ),
    getPlayerIds: (sport = 'MLB') =>
      call('getPlayerIds', { sport }, PlayerIdsSchema, (m) => new FantraxMalformedResponseError('getPlayerIds', m)),
  };
}
