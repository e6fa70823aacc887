import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { claimBatch } from './attempt-fence.ts';
import { openLandingZone, readBatch } from './landing-zone.ts';

describe('landing zone', () => {
  let db: TestDatabase;
  let origin: string;
  let hits = 0;
  const server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hit: hits }));
  });
  beforeAll(async () => {
    db = await createTestDatabase();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await db.drop();
  });

  async function fetchThrough(zone: ReturnType<typeof openLandingZone>, url: string): Promise<unknown> {
    const body = await (await zone.fetch(url)).json();
    await zone.record({ url, status: 200, fetchedAt: new Date(), body });
    return body;
  }

  it('answers from stored responses, and a refresh goes to the source except for what its own earlier attempts fetched', async () => {
    const url = `${origin}/api/v1/teams?season=2018`;
    const key = (attempt: number, activity: string) => ({ activity, attempt });
    const first = await claimBatch(db.pool, { source: 'test', season: 2018, key: key(1, 'a/1') });
    expect(
      await fetchThrough(openLandingZone(db.pool, { batchId: first, source: 'test', refresh: false }), url),
    ).toEqual({ hit: 1 });

    // A plain re-run reuses it: no request.
    const again = await claimBatch(db.pool, { source: 'test', season: 2018, key: key(1, 'a/2') });
    const reuse = openLandingZone(db.pool, { batchId: again, source: 'test', refresh: false });
    expect(await fetchThrough(reuse, url)).toEqual({ hit: 1 });
    expect(reuse.counts()).toEqual({ httpRequests: 0, reused: 1 });

    // A refresh scheduled now asks the source again...
    const scheduled = new Date();
    const refreshing = await claimBatch(db.pool, { source: 'test', season: 2018, key: key(1, 'a/3') });
    const refresh = openLandingZone(db.pool, {
      batchId: refreshing,
      source: 'test',
      refresh: true,
      refreshSince: scheduled,
    });
    expect(await fetchThrough(refresh, url)).toEqual({ hit: 2 });
    expect(refresh.counts()).toEqual({ httpRequests: 1, reused: 0 });
    // ...and its retry reuses what the first attempt of that refresh fetched, not the older answer.
    const retry = await claimBatch(db.pool, { source: 'test', season: 2018, key: key(2, 'a/3') });
    const retried = openLandingZone(db.pool, {
      batchId: retry,
      source: 'test',
      refresh: true,
      refreshSince: scheduled,
    });
    expect(await fetchThrough(retried, url)).toEqual({ hit: 2 });
    expect(retried.counts()).toEqual({ httpRequests: 0, reused: 1 });
    expect(hits).toBe(2);
    expect(await readBatch(db.pool, retry)).toEqual([{ url, body: { hit: 2 } }]);
  });
});
