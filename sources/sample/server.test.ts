import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleServer, type SampleServer } from './server.ts';
import { generateUniverse } from './universe.ts';

describe('startSampleServer', () => {
  let server: SampleServer;
  beforeAll(async () => {
    server = await startSampleServer({
      universe: generateUniverse({ seed: 3, fromSeason: 2018, toSeason: 2019, scale: 0.05, warmupSeasons: 4 }),
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('listens on a free loopback port and answers JSON over HTTP', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/api/v1/teams?sportIds=1&season=2019`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(((await res.json()) as { teams: unknown[] }).teams).toHaveLength(30);
  });

  it('answers 404 JSON for unknown paths and counts every request', async () => {
    const before = server.requestCount();
    const res = await fetch(`${server.url}/api/v2/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: expect.stringContaining('/api/v2/nope') });
    expect(server.requestCount()).toBe(before + 1);
  });

  it('rejects a bad port at start', async () => {
    await expect(
      startSampleServer({
        universe: generateUniverse({ fromSeason: 2019, toSeason: 2019, scale: 0.02, warmupSeasons: 1 }),
        port: 70000,
      }),
    ).rejects.toThrow('port must be an integer from 0 to 65535, got 70000');
  });
});
