// Published prospect reads against the seeded world (test/api-fixture.ts): filters, whitelisted sorts, pagination,
// accent- and typo-tolerant search, and the filter options.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProspectSchema } from '../lib/snapshot.ts';
import type { PublishedWorld } from '../test/api-fixture.ts';
import type { TestDatabase } from '../test/database.ts';
import { seededDatabase } from '../test/seeded.ts';
import {
  listPublishedProspects,
  publishedCards,
  publishedFilterOptions,
  searchPublishedProspects,
} from './prospects.ts';

let db: TestDatabase;
let world: PublishedWorld;

beforeAll(async () => {
  ({ db, world } = await seededDatabase());
});
afterAll(async () => {
  await db?.drop();
});

const all = { filters: {}, sort: 'rank' as const, order: 'asc' as const, limit: 100, offset: 0 };

describe('published prospects', () => {
  it('seeds cards that satisfy the snapshot contract', async () => {
    const { rows } = await db.pool.query<{ card: unknown }>(`SELECT card FROM published_prospects`);
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows) ProspectSchema.parse(row.card);
  });

  it('lists a snapshot by rank, paginated, with the total', async () => {
    const first = await listPublishedProspects(db.pool, world.current.id, { ...all, limit: 25 });
    const third = await listPublishedProspects(db.pool, world.current.id, { ...all, limit: 25, offset: 50 });
    expect(first.total).toBe(60);
    expect(first.rows.map((r) => r.rank)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(third.rows.map((r) => r.rank)).toEqual(Array.from({ length: 10 }, (_, i) => i + 51));
    const past = await listPublishedProspects(db.pool, world.current.id, { ...all, offset: 500 });
    expect(past).toEqual({ total: 60, rows: [] });
  });

  it('filters by every filter, alone and together', async () => {
    const cws = world.organizations.find((o) => o.abbreviation === 'CWS')!;
    const expected = world.players.filter((p) => p.organization.id === cws.id && !p.isPitcher && p.eta === 2027);
    const byAbbreviation = await listPublishedProspects(db.pool, world.current.id, {
      ...all,
      filters: { organization: 'cws', type: 'hitter', eta: 2027 },
    });
    const byId = await listPublishedProspects(db.pool, world.current.id, {
      ...all,
      filters: { organization: cws.id, type: 'hitter', eta: 2027 },
    });
    expect(byAbbreviation.rows.map((r) => r.playerId).sort()).toEqual(expected.map((p) => p.id).sort());
    expect(byId.rows).toEqual(byAbbreviation.rows);
    const pitchers = await listPublishedProspects(db.pool, world.current.id, {
      ...all,
      filters: { type: 'pitcher', level: 'AA', confidence: 'Medium' },
    });
    expect(pitchers.total).toBe(
      world.players.filter((p) => p.isPitcher && p.level === 'AA' && p.confidence === 'Medium').length,
    );
    expect(pitchers.rows.every((r) => r.isPitcher && r.level === 'AA' && r.confidence === 'Medium')).toBe(true);
    const shortstops = await listPublishedProspects(db.pool, world.current.id, { ...all, filters: { position: 'ss' } });
    expect(shortstops.total).toBeGreaterThan(0);
    expect(shortstops.rows.every((r) => r.position === 'SS')).toBe(true);
  });

  it('treats filter values as data, never as SQL', async () => {
    const injected = await listPublishedProspects(db.pool, world.current.id, {
      ...all,
      filters: { position: `SS' OR '1'='1`, organization: `x'; DROP TABLE published_prospects; --` },
    });
    expect(injected).toEqual({ total: 0, rows: [] });
    const { rows } = await db.pool.query(`SELECT count(*) FROM published_prospects`);
    expect(Number(rows[0].count)).toBeGreaterThan(0);
  });

  it('sorts by each key in either order, unknown values last, ties by rank', async () => {
    for (const [sort, key] of [
      ['probability', 'probability'],
      ['dynasty', 'dynastyValue'],
      ['age', 'age'],
      ['eta', 'eta'],
    ] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const { rows } = await listPublishedProspects(db.pool, world.current.id, { ...all, sort, order });
        expect(rows).toHaveLength(60);
        for (let i = 1; i < rows.length; i++) {
          const a = rows[i - 1]![key]!;
          const b = rows[i]![key]!;
          expect(order === 'asc' ? a <= b : a >= b).toBe(true);
          if (a === b) expect(rows[i - 1]!.rank).toBeLessThan(rows[i]!.rank);
        }
      }
    }
  });

  it('finds names without accents and with typos, best match first', async () => {
    for (const query of ['jose ramirez', 'José Ramírez', 'Ramirex', '  JOSE   RAMIREZ ']) {
      const hits = await searchPublishedProspects(db.pool, world.current.id, query, 10);
      expect(hits.map((h) => h.playerId)).toContain(world.ids.joseRamirez);
    }
    const exact = await searchPublishedProspects(db.pool, world.current.id, 'jose ramirez', 10);
    expect(exact[0]!.playerId).toBe(world.ids.joseRamirez);
    expect(exact[0]!.name).toBe('José Ramírez');
    const moncada = await searchPublishedProspects(db.pool, world.current.id, 'yoan moncda', 5);
    expect(moncada[0]!.playerId).toBe(world.ids.yoanMoncada);
    // Two Ramírezes match a surname equally well: the better ranked first.
    const surname = await searchPublishedProspects(db.pool, world.current.id, 'ramirez', 10);
    expect(
      surname
        .slice(0, 2)
        .map((h) => h.name)
        .sort(),
    ).toEqual(['Harold Ramírez', 'José Ramírez']);
    expect(surname[0]!.rank).toBeLessThan(surname[1]!.rank);
    expect(await searchPublishedProspects(db.pool, world.current.id, 'zzzzqqq', 10)).toEqual([]);
  });

  it('never serves a snapshot that was not the one asked for', async () => {
    const hits = await searchPublishedProspects(db.pool, world.current.id, 'phantom unpublished', 10);
    expect(hits).toEqual([]);
    const cards = await publishedCards(db.pool, world.current.id, [world.ids.unpublishedOnly, world.ids.joseRamirez]);
    expect([...cards.keys()]).toEqual([world.ids.joseRamirez]);
  });

  it('measures search latency over the fixture (reported, not asserted)', async () => {
    const queries = ['jose ramirez', 'Ramirex', 'moncada', 'luis pena', 'holliday', 'carlos', 'ortiz', 'andres nunez'];
    const times: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (const q of queries) {
        const start = performance.now();
        await searchPublishedProspects(db.pool, world.current.id, q, 10);
        times.push(performance.now() - start);
      }
    }
    times.sort((a, b) => a - b);
    const p95 = times[Math.floor(times.length * 0.95)]!;
    console.info(
      `search over ${world.players.length} prospects: p50 ${times[times.length >> 1]!.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`,
    );
    expect(times).toHaveLength(80);
  });

  it('lists every filter value with its count', async () => {
    const options = await publishedFilterOptions(db.pool, world.current.id);
    expect(options.total).toBe(60);
    expect(options.organizations.map((o) => o.abbreviation)).toEqual(['BOS', 'CLE', 'CWS', 'LAD', 'NYY', 'SF']);
    expect(options.organizations.find((o) => o.abbreviation === 'CLE')).toEqual({
      id: 114,
      abbreviation: 'CLE',
      name: 'Cleveland Guardians',
      count: 10,
    });
    expect(options.levels.map((l) => l.value)).toEqual(['ROK', 'A', 'A+', 'AA', 'AAA']);
    expect(options.confidences.map((c) => c.value)).toEqual(['High', 'Medium', 'Low']);
    expect(options.types).toEqual([
      { value: 'hitter', count: 40 },
      { value: 'pitcher', count: 20 },
    ]);
    expect(options.etaYears.map((e) => e.value)).toEqual([2026, 2027, 2028, 2029]);
    expect(options.positions.reduce((sum, p) => sum + p.count, 0)).toBe(60);
    const older = await publishedFilterOptions(db.pool, world.older.id);
    expect(older.total).toBe(56);
  });
});
