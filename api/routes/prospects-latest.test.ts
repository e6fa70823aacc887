// The latest published snapshot the prospect routes answer from is read once per cache version (not once per cache
// miss): a publication (its notification starts a new version) must still show in answers cached before it, and an
// API that found nothing published must not keep answering 404 once something is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PUBLISHED_CHANNEL,
  markPublished,
  replacePublishedProspects,
  upsertRankingSnapshot,
} from '../../db/rankings.ts';
import type { Prospect } from '../../lib/snapshot.ts';
import { seedPublishedWorld, type PublishedWorld } from '../../test/api-fixture.ts';
import { createTestApi, type TestApi } from '../../test/api.ts';
import { seededApi } from '../../test/seeded.ts';

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as T;
}

interface Answer {
  snapshot: { id: string };
  total?: number;
  items: { playerId: number }[];
}

const LIST = '/api/v1/prospects?pageSize=100';
const SEARCH = '/api/v1/prospects/search?q=ramirez&limit=50';

describe('the latest snapshot, once the seeded world is served', () => {
  let api: TestApi;
  let world: PublishedWorld;
  beforeAll(async () => {
    ({ api, world } = await seededApi());
  });
  afterAll(async () => {
    await api?.close();
  });

  it('a newer publication is answered by a list and a search that were cached before it', async () => {
    for (let i = 0; i < 2; i += 1) {
      expect((await json<Answer>(await api.request('GET', LIST))).snapshot.id).toBe(world.current.id);
      expect((await json<Answer>(await api.request('GET', SEARCH))).snapshot.id).toBe(world.current.id);
    }

    // Published as the pipeline does: the cards of the 50 best of the current run, then the switch that notifies.
    const newer = 'rs-test-newer';
    const { rows } = await api.db.pool.query<{ card: Prospect }>(
      'SELECT card FROM published_prospects WHERE ranking_snapshot_id = $1 AND rank <= 50 ORDER BY rank',
      [world.current.id],
    );
    const client = await api.db.pool.connect();
    try {
      await client.query('BEGIN');
      await upsertRankingSnapshot(client, {
        snapshotId: newer,
        predictionRunId: world.current.predictionRunId,
        path: '/dev/null',
        prospectCount: rows.length,
      });
      expect(
        await replacePublishedProspects(
          client,
          newer,
          rows.map((r) => r.card),
        ),
      ).toBe(50);
      await markPublished(client, newer, '/dev/null');
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await until(() => api.deps.cache.version() === newer);

    const list = await json<Answer>(await api.request('GET', LIST));
    expect(list.snapshot.id).toBe(newer);
    expect(list.total).toBe(50);
    const search = await json<Answer>(await api.request('GET', SEARCH));
    expect(search.snapshot.id).toBe(newer);
    const kept = new Set(rows.map((r) => r.card.playerId));
    expect(search.items.length).toBeGreaterThan(0);
    expect(search.items.every((hit) => kept.has(hit.playerId))).toBe(true);
    // The older snapshots stay reachable by day.
    expect((await json<Answer>(await api.request('GET', `${LIST}&as_of=${world.current.day}`))).snapshot.id).toBe(
      world.current.id,
    );
  });
});

describe('the latest snapshot, for an API started before anything was published', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('does not remember "nothing published": a publication shows before its notification arrives, and after', async () => {
    const startedAt = api.deps.cache.version();
    for (const path of [LIST, SEARCH]) {
      const res = await api.request('GET', path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    // Published rows without a notification: the window between a publication's commit and its notification's
    // arrival, when the cache version has not moved yet.
    const world = await seedPublishedWorld(api.db.pool);
    expect(api.deps.cache.version()).toBe(startedAt);
    expect((await json<Answer>(await api.request('GET', LIST))).snapshot.id).toBe(world.current.id);
    expect((await json<Answer>(await api.request('GET', SEARCH))).snapshot.id).toBe(world.current.id);

    await api.db.pool.query('SELECT pg_notify($1, $2)', [PUBLISHED_CHANNEL, world.current.id]);
    await until(() => api.deps.cache.version() === world.current.id);
    expect((await json<Answer>(await api.request('GET', LIST))).snapshot.id).toBe(world.current.id);
    expect((await json<Answer>(await api.request('GET', SEARCH))).snapshot.id).toBe(world.current.id);
  });
});
