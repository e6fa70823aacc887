/**
 * A local HTTP server that answers like the Fantrax API at `/fxea/general/{method}` (GET query or POST JSON), from
 * a world object (fantrax/world.ts). `npm start` runs it over a world built from our players when FANTRAX_API_URL is
 * unset, and tests switch its failure modes: a refused Secret ID, a private league, slow answers (timeouts), 429
 * with Retry-After, 500s, and an HTML 401/403/404 page.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../lib/log.ts';
import type { FantraxWorld } from '../fantrax/world.ts';

export type FantraxFailure =
  /** Every Secret ID is refused, as Fantrax refuses an unknown one. */
  | { kind: 'invalid-secret' }
  /** The league answers as a private league does. */
  | { kind: 'private-league'; leagueId: string }
  /** Every answer waits this long first. */
  | { kind: 'slow'; delayMs: number }
  /** 429 with Retry-After; `times` requests, then normal again (default: until cleared). */
  | { kind: 'rate-limit'; retryAfterSeconds: number; times?: number }
  /** 500; `times` requests, then normal again (default: until cleared). */
  | { kind: 'error'; status?: number; times?: number }
  /** Every request refused with this status and an HTML page, as a CDN in front of Fantrax answers. */
  | { kind: 'html-refusal'; status: 401 | 403 | 404 };

export interface FantraxServer {
  /** Base URL up to /fxea/general, as config.fantrax.apiUrl takes it. */
  url: string;
  setFailure(failure: FantraxFailure | null): void;
  /** Methods called so far, in order (no parameters: they may carry a Secret ID). */
  calls(): string[];
  close(): Promise<void>;
}

const PREFIX = '/fxea/general/';

async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (req.method !== 'POST') return params;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return params;
  const body: unknown = JSON.parse(text);
  return body && typeof body === 'object' ? { ...params, ...body } : params;
}

function answer(
  world: FantraxWorld,
  method: string,
  params: Record<string, unknown>,
  failure: FantraxFailure | null,
): { status: number; body: unknown } {
  const leagueOf = (id: unknown) => world.leagues.find((l) => l.id === id);
  const refusedLeague = (id: unknown) => failure?.kind === 'private-league' && failure.leagueId === id;
  switch (method) {
    case 'getLeagues': {
      const secret = params.userSecretId;
      // Own keys only: "constructor" and friends are not users.
      const memberships =
        typeof secret === 'string' && failure?.kind !== 'invalid-secret' && Object.hasOwn(world.users, secret)
          ? world.users[secret]
          : undefined;
      // Fantrax refuses an unknown Secret ID with an error body, not an empty list.
      if (!memberships) return { status: 200, body: { error: 'Invalid userSecretId' } };
      return {
        status: 200,
        body: {
          leagues: memberships.flatMap(({ leagueId, teamId }) => {
            const league = leagueOf(leagueId);
            const team = league?.teams.find((t) => t.id === teamId);
            return league && team
              ? [{ leagueName: league.name, teamName: team.name, leagueId, teamId, sport: 'MLB' }]
              : [];
          }),
        },
      };
    }
    case 'getLeagueInfo': {
      const league = leagueOf(params.leagueId);
      if (!league || refusedLeague(params.leagueId))
        return { status: 200, body: { error: 'Not authorized to view this league' } };
      return {
        status: 200,
        body: {
          leagueName: league.name,
          teamInfo: Object.fromEntries(
            league.teams.map((t) => [t.id, { name: t.name, id: t.id, division: t.division ?? '' }]),
          ),
          playerInfo: Object.fromEntries(
            league.teams.flatMap((t) => t.roster.map((r) => [r.id, { eligiblePos: r.position, status: 'T' }])),
          ),
        },
      };
    }
    case 'getTeamRosters': {
      const league = leagueOf(params.leagueId);
      if (!league || refusedLeague(params.leagueId))
        return { status: 200, body: { error: 'Not authorized to view this league' } };
      return {
        status: 200,
        body: {
          period: Number(params.period ?? 1),
          rosters: Object.fromEntries(
            league.teams.map((t) => [
              t.id,
              {
                teamName: t.name,
                rosterItems: t.roster.map((r) => ({ id: r.id, position: r.position, status: r.status })),
              },
            ]),
          ),
        },
      };
    }
    case 'getPlayerIds':
      return {
        status: 200,
        body: Object.fromEntries(
          world.players.map((p) => [
            p.fantraxId,
            { fantraxId: p.fantraxId, name: p.name, team: p.team, position: p.position, statsIncId: 0 },
          ]),
        ),
      };
    default:
      return { status: 404, body: { error: `Unknown method ${method}` } };
  }
}

export async function startFantraxServer(options: {
  port?: number;
  world: FantraxWorld;
  log?: Logger;
}): Promise<FantraxServer> {
  const { world, log } = options;
  let failure: FantraxFailure | null = null;
  let remaining = Infinity;
  const calls: string[] = [];
  const pending = new Set<NodeJS.Timeout>();

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!url.pathname.startsWith(PREFIX)) return send(res, 404, { error: 'Not found' });
      const method = url.pathname.slice(PREFIX.length);
      calls.push(method);
      let params: Record<string, unknown>;
      try {
        params = await readParams(req, url);
      } catch {
        return send(res, 400, { error: 'Malformed JSON' });
      }
      const active = failure;
      const counted = active && (active.kind === 'rate-limit' || active.kind === 'error') && remaining > 0;
      if (counted) remaining--;
      if (active?.kind === 'rate-limit' && counted)
        return send(res, 429, { error: 'Too many requests' }, { 'retry-after': String(active.retryAfterSeconds) });
      if (active?.kind === 'error' && counted) return send(res, active.status ?? 500, { error: 'Internal error' });
      if (active?.kind === 'html-refusal') {
        res.writeHead(active.status, { 'content-type': 'text/html; charset=utf-8' });
        return void res.end(
          `<html><head><title>${active.status} Forbidden</title></head><body><h1>Access denied</h1></body></html>`,
        );
      }
      if (active?.kind === 'slow') {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            pending.delete(timer);
            resolve();
          }, active.delayMs);
          pending.add(timer);
          res.on('close', () => {
            clearTimeout(timer);
            pending.delete(timer);
            resolve();
          });
        });
      }
      const { status, body } = answer(world, method, params, active);
      log?.debug({ method, status }, 'fantrax request');
      send(res, status, body);
    })().catch((error: unknown) => {
      log?.error({ err: error }, 'fantrax server failed a request');
      send(res, 500, { error: 'Internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/fxea/general`,
    setFailure: (next) => {
      failure = next;
      remaining = next && 'times' in next && next.times !== undefined ? next.times : Infinity;
    },
    calls: () => [...calls],
    close: async () => {
      for (const timer of pending) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
