import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleServer, type SampleServer } from '../sample/server.ts';
import { generateUniverse } from '../sample/universe.ts';
import { createMlbStatsClient, type RawResponse } from './client.ts';
import { MlbStatsApiError } from './errors.ts';
import { parseDraft, parsePeople, parseStatSplits, parseTeams } from './parse.ts';

/** A throwaway HTTP server whose handler the test writes; returns its origin and a closer. */
async function tinyServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const fast = { requestsPerSecond: 0, retryBaseDelayMs: 5, retryMaxDelayMs: 50 };

describe('MLB Stats API client against the sample server', () => {
  const universe = generateUniverse({ seed: 21, fromSeason: 2016, toSeason: 2019, scale: 0.05, warmupSeasons: 6 });
  let sample: SampleServer;
  beforeAll(async () => {
    sample = await startSampleServer({ universe });
  });
  afterAll(async () => {
    await sample.close();
  });

  it('pages /stats with limit and offset and returns every split exactly once', async () => {
    const landed: RawResponse[] = [];
    const client = createMlbStatsClient({
      ...fast,
      baseUrl: sample.url,
      onResponse: (r) => {
        landed.push(r);
      },
    });
    const sportIds = [1, 11, 12, 13, 14, 15, 16, 5442];
    const paged = await client.seasonStats({ season: 2017, group: 'hitting', sportIds, pageSize: 53 });
    const whole = await client.seasonStats({ season: 2017, group: 'hitting', sportIds, pageSize: 5000 });
    expect(paged.length).toBeGreaterThan(53 * 3);
    expect(JSON.stringify(paged)).toBe(JSON.stringify(whole));
    expect(landed).toHaveLength(Math.ceil(paged.length / 53) + 1);
    expect(landed[0]?.url).toBe(
      `${sample.url}/api/v1/stats?stats=season&group=hitting&sportIds=1,11,12,13,14,15,16,5442&season=2017&playerPool=All&limit=53&offset=0`,
    );
    expect(landed[0]?.fetchedAt).toBeInstanceOf(Date);
    // Parsed, the pages give back the universe's clean lines except the deliberately broken rows.
    const parsed = parseStatSplits(paged, 'hitting');
    const truth = universe.lines.filter((l) => l.season === 2017 && l.group === 'hitting');
    expect(parsed.lines.length + parsed.rejects.length).toBe(truth.length);
    expect(parsed.rejects.length).toBeGreaterThan(0);
  });

  it('fetches people in batches of 100, teams, drafts and level rosters', async () => {
    const client = createMlbStatsClient({ ...fast, baseUrl: sample.url });
    const ids = [...universe.people.keys()].slice(0, 250);
    const before = client.requestCount();
    const people = await client.people(ids);
    expect(client.requestCount() - before).toBe(3);
    expect(parsePeople(people).map((b) => b.playerId)).toEqual(ids);
    const teams = parseTeams(await client.teams({ season: 2018, sportIds: [1, 12] }));
    expect(teams.organizations).toHaveLength(30);
    expect(teams.affiliates).toHaveLength(60);
    expect(parseDraft(await client.draft(2018)).length).toBeGreaterThan(30);
    expect(parsePeople(await client.sportPlayers(12, 2018)).length).toBeGreaterThan(20);
  });
});

describe('MLB Stats API client resilience', () => {
  it('retries 503s with backoff, then succeeds', async () => {
    let calls = 0;
    const server = await tinyServer((_req, res) => {
      calls += 1;
      res.writeHead(calls <= 2 ? 503 : 200, { 'content-type': 'application/json' });
      res.end(calls <= 2 ? '{"message":"busy"}' : '{"copyright":"c","teams":[]}');
    });
    try {
      const client = createMlbStatsClient({ ...fast, baseUrl: server.url, maxRetries: 3 });
      await expect(client.teams({ season: 2019, sportIds: [1] })).resolves.toEqual({ copyright: 'c', teams: [] });
      expect(calls).toBe(3);
      expect(client.requestCount()).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('honours Retry-After on 429', async () => {
    let calls = 0;
    const server = await tinyServer((_req, res) => {
      calls += 1;
      if (calls === 1) res.writeHead(429, { 'retry-after': '0.3' }).end('{}');
      else res.writeHead(200).end('{}');
    });
    try {
      const client = createMlbStatsClient({ ...fast, baseUrl: server.url, retryMaxDelayMs: 1000 });
      const started = performance.now();
      await client.draft(2019);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      await server.close();
    }
  });

  it('does not retry a 404 and throws a typed error with status and URL', async () => {
    let calls = 0;
    const server = await tinyServer((_req, res) => {
      calls += 1;
      res.writeHead(404).end('{"message":"Object not found"}');
    });
    try {
      const client = createMlbStatsClient({ ...fast, baseUrl: server.url, maxRetries: 5 });
      const error = await client.draft(1800).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MlbStatsApiError);
      expect(error).toMatchObject({
        status: 404,
        url: `${server.url}/api/v1/draft/1800`,
        retryable: false,
        attempts: 1,
      });
      expect(calls).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('gives up after maxRetries on timeouts and network errors, marking the error retryable', async () => {
    const server = await tinyServer(() => {
      /* never answers */
    });
    try {
      const client = createMlbStatsClient({ ...fast, baseUrl: server.url, timeoutMs: 50, maxRetries: 2 });
      const error = await client.draft(2019).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: null, attempts: 3, retryable: true });
      expect((error as Error).message).toContain('no response within 50 ms');
    } finally {
      await server.close();
    }
    const refused = createMlbStatsClient({ ...fast, baseUrl: server.url, maxRetries: 1 });
    await expect(refused.draft(2019)).rejects.toMatchObject({ status: null, attempts: 2, retryable: true });
  });

  it('spaces requests to the configured rate', async () => {
    const server = await tinyServer((_req, res) => res.writeHead(200).end('{}'));
    try {
      const client = createMlbStatsClient({ baseUrl: server.url, requestsPerSecond: 20 });
      const started = performance.now();
      for (let i = 0; i < 6; i++) await client.draft(2000 + i);
      // Six requests at 20 per second with a burst of one: five gaps of 50 ms.
      expect(performance.now() - started).toBeGreaterThanOrEqual(240);
      // Unlimited: twelve requests that would take 550 ms at 20 per second go at once.
      const unlimited = createMlbStatsClient({ baseUrl: server.url, requestsPerSecond: Infinity });
      const t = performance.now();
      await Promise.all(Array.from({ length: 12 }, (_, i) => unlimited.draft(2000 + i)));
      expect(performance.now() - t).toBeLessThan(500);
    } finally {
      await server.close();
    }
  });

  it('lets a failing onResponse hook surface as itself, without retrying', async () => {
    const server = await tinyServer((_req, res) => res.writeHead(200).end('{}'));
    try {
      const client = createMlbStatsClient({
        ...fast,
        baseUrl: server.url,
        onResponse: () => Promise.reject(new Error('landing zone is full')),
      });
      await expect(client.draft(2019)).rejects.toThrow('landing zone is full');
      expect(client.requestCount()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('rejects bad configuration at construction', () => {
    expect(() => createMlbStatsClient({ baseUrl: 'https://statsapi.mlb.com/api/v1' })).toThrow(
      'baseUrl must not end in /api/v1',
    );
    expect(() => createMlbStatsClient({ baseUrl: 'statsapi.mlb.com' })).toThrow(
      'baseUrl must be an http(s) URL, got "statsapi.mlb.com"',
    );
    expect(() => createMlbStatsClient({ requestsPerSecond: -1 })).toThrow('requestsPerSecond must be >= 0');
    expect(() => createMlbStatsClient({ timeoutMs: 0 })).toThrow('timeoutMs must be a positive integer, got 0');
    expect(() => createMlbStatsClient({ maxRetries: 1.5 })).toThrow('maxRetries must be an integer >= 0, got 1.5');
  });
});
