import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { checksumDifferences } from '../../db/checksums.ts';
import { contentChecksums, contentQuery, TABLE_RULES, type ContentChecksum } from './pipeline-checksums.ts';
import { STAT_COLUMNS } from '../../db/season-lines.ts';

describe('contentQuery', () => {
  const columns = [
    { name: 'id', generated: true },
    { name: 'season', generated: false },
    { name: 'value', generated: false },
    { name: 'noted_at', generated: true },
  ];

  it("leaves out generated columns and the rule's, each with why, and keys on what is left", () => {
    const { sql, excluded, keyColumns } = contentQuery('t1', columns, ['id'], { exclude: { value: 'because' } });
    expect(excluded).toEqual([
      { column: 'id', why: expect.stringContaining('generated at insert') },
      { column: 'value', why: 'because' },
      { column: 'noted_at', why: expect.stringContaining('generated at insert') },
    ]);
    // The primary key is excluded, so the duplicate check keys on every compared column.
    expect(keyColumns).toEqual(['season']);
    expect(sql).toContain('t."season" AS "season"');
    expect(sql).not.toContain('"value"');
  });

  it('compares a normalized column through its expression and filters rows by the rule', () => {
    const { sql, excluded } = contentQuery('t1', columns, [], {
      normalize: { value: { sql: 'lower(t.value)', why: 'case' } },
      where: { sql: 't.season > 0', why: 'x' },
    });
    expect(sql).toContain('lower(t.value) AS "value"');
    expect(sql).toContain('WHERE t.season > 0');
    expect(excluded).toContainEqual({ column: 'value', why: 'normalized: case' });
  });

  it('refuses a rule naming a column the table does not have', () => {
    expect(() => contentQuery('t1', columns, [], { exclude: { gone: 'renamed' } })).toThrow(
      /t1\.gone is named in TABLE_RULES/,
    );
  });
});

describe('contentChecksums on a migrated database', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  /** The counting columns of a season line (every column but its key, team and provenance). */
  const KEY_AND_PROVENANCE = new Set([
    'season',
    'player_id',
    'sport_id',
    'stat_group',
    'team_id',
    'source',
    'batch_id',
  ]);
  const STATS = STAT_COLUMNS.filter((c) => !KEY_AND_PROVENANCE.has(c));

  /** One season loaded by batch `batchId` (after `superseded` attempts that a retry replaced), at a given time. */
  async function load(batchOffset: number, superseded: number, loadedAt: string) {
    await db.pool.query('TRUNCATE ingest_batches, player_season_stats, raw_responses, ingest_batch_responses CASCADE');
    await db.pool.query(`SELECT setval('ingest_batches_batch_id_seq', $1)`, [batchOffset + 1]);
    for (let i = 0; i < superseded; i++) {
      await db.pool.query(
        `INSERT INTO ingest_batches (source, season, run_key, activity_key, attempt, superseded_at) VALUES ('mlb', 2015, $1, 'a', $2, now())`,
        [`a#${i + 1}`, i + 1],
      );
    }
    const { rows } = await db.pool.query<{ batch_id: string }>(
      `INSERT INTO ingest_batches (source, season, run_key, activity_key, attempt, finished_at, rows_fetched, rows_loaded) VALUES ('mlb', 2015, $1, 'a', $2, $3, 1, 1) RETURNING batch_id`,
      [`a#${superseded + 1}`, superseded + 1, loadedAt],
    );
    const batchId = Number(rows[0]!.batch_id);
    await db.pool.query(
      `INSERT INTO player_season_stats (season, player_id, sport_id, stat_group, team_id, ${STATS.join(', ')}, source, batch_id, loaded_at)
       VALUES (2015, 7, 11, 'hitting', 3, ${STATS.map((_, i) => i + 1).join(', ')}, 'mlb', $1, $2)`,
      [batchId, loadedAt],
    );
    await db.pool.query(
      `INSERT INTO raw_responses (batch_id, source, url, fetched_at, status, body_gzip, body_sha256) VALUES ($1, 'mlb', $2, $3, 200, '\\x00', 'h')`,
      [batchId, `http://127.0.0.1:${40000 + batchOffset}/api/v1/stats?season=2015`, loadedAt],
    );
    return batchId;
  }

  const byTable = (sums: ContentChecksum[]) => new Map(sums.map((s) => [s.table, s]));

  it('is equal for the same data loaded with other ids, times, attempts and source port', async () => {
    await load(0, 0, '2026-01-01T00:00:00Z');
    const first = await contentChecksums(db.pool);
    await load(500, 3, '2026-02-02T12:00:00Z');
    const second = await contentChecksums(db.pool);
    expect(checksumDifferences(second, first)).toEqual([]);
    expect(byTable(first).get('player_season_stats')).toMatchObject({ rows: 1, duplicateKeys: 0 });
    // Only the live batch is compared; the superseded attempts are the retry's bookkeeping.
    expect(byTable(second).get('ingest_batches')?.rows).toBe(1);
    expect(
      byTable(second)
        .get('ingest_batches')
        ?.excluded.map((e) => e.column),
    ).toEqual(expect.arrayContaining(['batch_id', 'started_at', 'attempt']));
  });

  it('changes with one stored value, in that table only', async () => {
    await load(0, 0, '2026-01-01T00:00:00Z');
    const before = await contentChecksums(db.pool);
    await db.pool.query('UPDATE player_season_stats SET hits = hits + 1');
    expect(checksumDifferences(await contentChecksums(db.pool), before)).toEqual([
      expect.stringMatching(/^player_season_stats: 1 rows/),
    ]);
  });

  it('counts a duplicated key among the compared rows', async () => {
    const batchId = await load(0, 0, '2026-01-01T00:00:00Z');
    // The same URL stored twice (two fetch times): the landing zone should have reused the first.
    await db.pool.query(
      `INSERT INTO raw_responses (batch_id, source, url, fetched_at, status, body_gzip, body_sha256) VALUES ($1, 'mlb', 'http://127.0.0.1:1/api/v1/stats?season=2015', now(), 200, '\\x00', 'h')`,
      [batchId],
    );
    expect(byTable(await contentChecksums(db.pool)).get('raw_responses')).toMatchObject({
      rows: 2,
      duplicateKeys: 1,
      keyColumns: ['url'],
    });
  });

  it('names only columns that exist in the schema', async () => {
    // contentChecksums throws on a rule naming a missing column; every ruled table must also still exist.
    const tables = new Set((await contentChecksums(db.pool)).map((c) => c.table));
    for (const table of Object.keys(TABLE_RULES)) expect(tables.has(table), table).toBe(true);
  });
});
