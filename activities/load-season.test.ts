// loadBatch against the test database, on batches landed by hand from the in-process sample API: what the circuit
// breaker does with data missing altogether, and how a bio-only batch (the weekly bio refresh) screens birth dates.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleApi } from '../sources/sample/api.ts';
import { generateUniverse } from '../sources/sample/universe.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { claimBatch } from './attempt-fence.ts';
import { loadBatch } from './load-season.ts';

const SEASON = 2016;
const BASE = 'http://sample.test/api/v1';
const api = createSampleApi(generateUniverse({ seed: 7, fromSeason: 2015, toSeason: SEASON, scale: 0.02 }));
const get = (pathAndQuery: string): unknown => {
  const r = api('GET', new URL(`${BASE}${pathAndQuery}`));
  if (r.status !== 200) throw new Error(`sample answered ${r.status} to ${pathAndQuery}`);
  return r.body;
};
const statsPath = (group: string, sportIds: string) =>
  `/stats?stats=season&group=${group}&sportIds=${sportIds}&season=${SEASON}&playerPool=All&limit=2000&offset=0`;
const noSplits = (group: string) => ({
  stats: [{ type: { displayName: 'season' }, group: { displayName: group }, totalSplits: 0, splits: [] }],
});

describe('loadBatch', () => {
  let db: TestDatabase;
  let attempt = 0;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  /** A batch holding these responses, as fetchSeason or fetchProspectBios would have landed them. */
  async function landBatch(responses: { path: string; body: unknown }[]): Promise<number> {
    attempt += 1;
    const batchId = await claimBatch(db.pool, {
      source: 'test',
      season: SEASON,
      key: { activity: `load-test/${attempt}`, attempt: 1 },
    });
    for (const { path, body } of responses) {
      const json = JSON.stringify(body);
      const { rows } = await db.pool.query<{ response_id: number }>(
        `INSERT INTO raw_responses (batch_id, source, url, fetched_at, status, body_gzip, body_sha256)
         VALUES ($1, 'test', $2, clock_timestamp(), 200, $3, $4) RETURNING response_id`,
        [batchId, `${BASE}${path}`, gzipSync(json), createHash('sha256').update(json).digest('hex')],
      );
      await db.pool.query('INSERT INTO ingest_batch_responses (batch_id, response_id, reused) VALUES ($1, $2, false)', [
        batchId,
        rows[0]?.response_id,
      ]);
    }
    return batchId;
  }
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.pool.query<{ n: string }>(sql, params)).rows[0]?.n);

  it('breaches a season load that asked for the minors when the source sent no pitching splits at all, naming the empty cells', async () => {
    const batchId = await landBatch([
      { path: statsPath('hitting', '1,11,12'), body: get(statsPath('hitting', '1,11,12')) },
      { path: statsPath('pitching', '1,11,12'), body: noSplits('pitching') },
    ]);
    const failure = await loadBatch(db.pool, { batchId, season: SEASON }, 'test').then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    const breach = failure as ApplicationFailure;
    expect(breach.type).toBe('DataQualityBreach');
    expect(breach.message).toMatch(
      /^season 2016, batch \d+: data-quality breach: 2016 MLB pitching: no lines at all; 2016 AAA pitching: no lines at all; 2016 AA pitching: no lines at all; batch: /,
    );
    expect(await count('SELECT count(*) AS n FROM player_season_stats')).toBe(0);
    const { rows } = await db.pool.query<{ status: string; empty: number }>(
      "SELECT status, jsonb_array_length(quality->'emptyCells') AS empty FROM ingest_batches WHERE batch_id = $1",
      [batchId],
    );
    expect(rows).toEqual([{ status: 'breached', empty: 3 }]);
  });

  it('does not expect minor-league or pitching lines of an MLB-only season load', async () => {
    const batchId = await landBatch([
      { path: statsPath('hitting', '1'), body: get(statsPath('hitting', '1')) },
      { path: statsPath('pitching', '1'), body: noSplits('pitching') },
    ]);
    const loaded = await loadBatch(db.pool, { batchId, season: SEASON }, 'test');
    expect(loaded.rowsLoaded).toBeGreaterThan(0);
    expect(
      await count("SELECT count(*) AS n FROM ingest_batches WHERE batch_id = $1 AND status = 'loaded'", [batchId]),
    ).toBe(1);
  });

  it('loads a full season (both groups of every level asked for) without tripping', async () => {
    const batchId = await landBatch(
      ['hitting', 'pitching'].map((g) => ({ path: statsPath(g, '1,11,12'), body: get(statsPath(g, '1,11,12')) })),
    );
    const loaded = await loadBatch(db.pool, { batchId, season: SEASON }, 'test');
    expect(loaded.rowsLoaded).toBeGreaterThan(0);
    const { rows } = await db.pool.query<{ cell: string }>(
      "SELECT DISTINCT sport_id || ' ' || stat_group AS cell FROM player_season_stats WHERE season = $1 ORDER BY 1",
      [SEASON],
    );
    expect(rows.map((r) => r.cell)).toEqual([
      '1 hitting',
      '1 pitching',
      '11 hitting',
      '11 pitching',
      '12 hitting',
      '12 pitching',
    ]);
  });

  it('a bio refresh (bios, no lines) cannot write back a birth date impossible for the seasons already stored; a plausible correction is written', async () => {
    const { rows } = await db.pool.query<{ player_id: number }>(
      "SELECT player_id FROM player_season_stats WHERE season = $1 AND stat_group = 'hitting' ORDER BY player_id LIMIT 2",
      [SEASON],
    );
    const [bad, good] = rows.map((r) => r.player_id);
    if (bad === undefined || good === undefined) throw new Error('the full season load left fewer than 2 hitters');
    const people = get(`/people?personIds=${bad},${good}`) as { people: { id: number; birthDate: string }[] };
    // A 2007 birth date on a 2016 professional (9 on July 1, 2016), as in the real feed; and a plausible correction.
    const refreshed = {
      ...people,
      people: people.people.map((p) => ({ ...p, birthDate: p.id === bad ? '2007-01-16' : '1994-04-04' })),
    };
    const batchId = await landBatch([{ path: `/people?personIds=${bad},${good}`, body: refreshed }]);
    const loaded = await loadBatch(db.pool, { batchId, season: SEASON }, 'test');
    expect(loaded).toMatchObject({ rowsFetched: 0, players: 2 });
    const { rows: stored } = await db.pool.query<{ player_id: number; birth_date: string | null }>(
      "SELECT player_id, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM players WHERE player_id = ANY($1) ORDER BY player_id",
      [[bad, good]],
    );
    expect(stored).toEqual(
      [
        { player_id: bad, birth_date: null },
        { player_id: good, birth_date: '1994-04-04' },
      ].sort((a, b) => a.player_id - b.player_id),
    );
    const { rows: flags } = await db.pool.query<{ entity_id: string; detail: string }>(
      "SELECT entity_id::text, detail FROM data_flags WHERE batch_id = $1 AND rule = 'implausible_birth_date'",
      [batchId],
    );
    expect(flags).toHaveLength(1);
    expect(flags[0]?.entity_id).toBe(String(bad));
    expect(flags[0]?.detail).toContain('birth date 2007-01-16 makes him 9 on July 1 of 2016');
  });
});
