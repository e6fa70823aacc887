import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFantraxServer, type FantraxServer } from '../infra/fantrax-server.ts';
import {
  createFantraxClient,
  FantraxMalformedResponseError,
  FantraxRateLimitedError,
  FantraxUnavailableError,
  InaccessibleLeagueError,
  InvalidSecretIdError,
  type FantraxClient,
} from './client.ts';
import type { FantraxWorld } from './world.ts';

const SECRET = 'test-secret-0001';
const WORLD: FantraxWorld = {
  users: {
    [SECRET]: [
      { leagueId: 'L1', teamId: 'T1' },
      { leagueId: 'L2', teamId: 'T9' },
    ],
  },
  leagues: [
    {
      id: 'L1',
      name: 'Fine Wine League',
      teams: [
        {
          id: 'T1',
          name: 'Cellar Rats',
          roster: [
            { id: 'F1', position: 'SS', status: 'MINORS' },
            { id: 'F2', position: 'SP', status: 'ACTIVE' },
          ],
        },
        { id: 'T2', name: 'Corks', roster: [{ id: 'F3', position: 'OF', status: 'RESERVE' }] },
      ],
    },
    { id: 'L2', name: 'Private Reserve', teams: [{ id: 'T9', name: 'Decanters', roster: [] }] },
  ],
  players: [
    { fantraxId: 'F1', name: 'Ramirez, Jose', team: 'CLE', position: 'SS' },
    { fantraxId: 'F2', name: 'Skenes, Paul', team: 'PIT', position: 'SP' },
    { fantraxId: 'F3', name: 'Holliday, Jackson', team: 'BAL', position: 'SS,2B' },
  ],
};

describe('Fantrax client against the local Fantrax-shaped server', () => {
  let server: FantraxServer;
  let client: FantraxClient;
  beforeAll(async () => {
    server = await startFantraxServer({ world: WORLD });
    client = createFantraxClient({
      baseUrl: server.url,
      timeoutMs: 300,
      attempts: 3,
      backoffMs: 10,
      maxRetryAfterMs: 2000,
    });
  });
  afterAll(async () => server.close());
  beforeEach(() => server.setFailure(null));

  it("reads the leagues, a league's info, its rosters and the player universe", async () => {
    expect(await client.getLeagues(SECRET)).toEqual([
      { leagueName: 'Fine Wine League', teamName: 'Cellar Rats', leagueId: 'L1', teamId: 'T1', sport: 'MLB' },
      { leagueName: 'Private Reserve', teamName: 'Decanters', leagueId: 'L2', teamId: 'T9', sport: 'MLB' },
    ]);
    const info = await client.getLeagueInfo('L1');
    expect(Object.keys(info.teamInfo)).toEqual(['T1', 'T2']);
    expect(info.playerInfo.F1?.eligiblePos).toBe('SS');
    const rosters = await client.getTeamRosters('L1');
    expect(rosters.rosters.T1?.rosterItems.map((r) => [r.id, r.status])).toEqual([
      ['F1', 'MINORS'],
      ['F2', 'ACTIVE'],
    ]);
    const ids = await client.getPlayerIds();
    expect(ids.F3).toMatchObject({ name: 'Holliday, Jackson', team: 'BAL', position: 'SS,2B' });
  });

  it('answers a wrong Secret ID with InvalidSecretIdError, without the secret in the message', async () => {
    const error = await client.getLeagues('not-my-secret').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSecretIdError);
    expect((error as Error).message).not.toContain('not-my-secret');
    await expect(client.getLeagues('constructor')).rejects.toBeInstanceOf(InvalidSecretIdError);
    server.setFailure({ kind: 'invalid-secret' });
    await expect(client.getLeagues(SECRET)).rejects.toBeInstanceOf(InvalidSecretIdError);
  });

  it('reads a 401/403/404 with an HTML body (as a CDN answers) as a refusal, not as a malformed answer', async () => {
    for (const status of [401, 403, 404] as const) {
      server.setFailure({ kind: 'html-refusal', status });
      await expect(client.getLeagues(SECRET)).rejects.toBeInstanceOf(InvalidSecretIdError);
      await expect(client.getTeamRosters('L2')).rejects.toThrow(
        new RegExp(`League L2 is private or inaccessible: HTTP ${status}`),
      );
    }
  });

  it('answers a private league with InaccessibleLeagueError naming the league', async () => {
    server.setFailure({ kind: 'private-league', leagueId: 'L2' });
    await expect(client.getTeamRosters('L2')).rejects.toThrow(InaccessibleLeagueError);
    await expect(client.getLeagueInfo('L2')).rejects.toThrow(/League L2 is private/);
    expect((await client.getTeamRosters('L1')).rosters.T2?.teamName).toBe('Corks');
  });

  it('gives up on a slow server after its retries, each bounded by the timeout', async () => {
    server.setFailure({ kind: 'slow', delayMs: 2000 });
    const before = server.calls().length;
    const started = Date.now();
    const error = await client.getLeagues(SECRET).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FantraxUnavailableError);
    expect((error as FantraxUnavailableError).timedOut).toBe(true);
    expect(server.calls().length - before).toBe(3);
    expect(Date.now() - started).toBeLessThan(1900);
  });

  it('waits for Retry-After on a 429 and then succeeds; a longer wait than it allows fails as rate limited', async () => {
    server.setFailure({ kind: 'rate-limit', retryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    expect(await client.getLeagues(SECRET)).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    server.setFailure({ kind: 'rate-limit', retryAfterSeconds: 60 });
    const error = await client.getLeagues(SECRET).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FantraxRateLimitedError);
    expect((error as FantraxRateLimitedError).retryAfterSeconds).toBe(60);
  });

  it('retries a 500 with backoff, and reports unavailable once the attempts are spent', async () => {
    server.setFailure({ kind: 'error', times: 2 });
    expect(await client.getLeagueInfo('L1')).toHaveProperty('teamInfo');
    server.setFailure({ kind: 'error' });
    await expect(client.getLeagueInfo('L1')).rejects.toThrow(/answered 500/);
  });

  it('reports an answer of the wrong shape as malformed', async () => {
    const odd = await startFantraxServer({
      world: {
        ...WORLD,
        leagues: [
          {
            id: 'L1',
            name: 'x',
            teams: [{ id: 'T1', name: 'y', roster: [{ id: 'F1', position: 'SS', status: 'BENCHED' as 'ACTIVE' }] }],
          },
        ],
      },
    });
    try {
      const oddClient = createFantraxClient({ baseUrl: odd.url, attempts: 1 });
      await expect(oddClient.getTeamRosters('L1')).rejects.toThrow(FantraxMalformedResponseError);
      await expect(oddClient.getTeamRosters('L1')).rejects.toThrow(/rosters\.T1\.rosterItems\.0\.status/);
    } finally {
      await odd.close();
    }
  });

  it('also answers GET with query parameters, as Fantrax does', async () => {
    const res = await fetch(`${server.url}/getLeagues?userSecretId=${SECRET}`);
    expect(((await res.json()) as { leagues: unknown[] }).leagues).toHaveLength(2);
  });
});
