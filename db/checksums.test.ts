import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { checksumDifferences, tableChecksums, type TableChecksum } from './checksums.ts';

describe('checksumDifferences', () => {
  const sum = (table: string, rows: number, checksum: string): TableChecksum => ({ table, rows, checksum });

  it('is empty when every table has the same count and checksum', () => {
    const a = [sum('players', 10, 'aaaaaaaa11'), sum('player_season_stats', 40, 'bbbbbbbb22')];
    expect(
      checksumDifferences(
        a,
        a.map((x) => ({ ...x })),
      ),
    ).toEqual([]);
  });

  it('names tables that differ in rows or checksum, or that one set lacks', () => {
    const a = [sum('a', 1, 'x'), sum('b', 40, 'bbbbbbbb22'), sum('c', 1, 'z')];
    const b = [sum('a', 1, 'x'), sum('b', 39, 'cccccccc33'), sum('d', 0, 'q')];
    expect(checksumDifferences(a, b)).toEqual([
      'b: 40 rows bbbbbbbb vs 39 rows cccccccc',
      'c: missing from the second set',
      'd: missing from the first set',
    ]);
  });
});

describe('tableChecksums', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    await db.pool.query('CREATE TABLE t (id serial PRIMARY KEY, v text, noted_at timestamptz DEFAULT now())');
    await db.pool.query("INSERT INTO t (v) VALUES ('a'), ('b')");
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('changes with any value unless its column is excluded, and not with row order', async () => {
    const whole = await tableChecksums(db.pool);
    const lean = await tableChecksums(db.pool, { tables: ['t'], exclude: ['id', 'noted_at'] });
    expect(whole.map((s) => [s.table, s.rows])).toEqual([['t', 2]]);

    await db.pool.query("UPDATE t SET noted_at = noted_at - interval '1 day'");
    expect(checksumDifferences(await tableChecksums(db.pool), whole)).toEqual([expect.stringMatching(/^t: 2 rows/)]);
    expect(await tableChecksums(db.pool, { tables: ['t'], exclude: ['id', 'noted_at'] })).toEqual(lean);

    // The same values under other ids, inserted in the other order: equal once the ids are left out.
    await db.pool.query('DELETE FROM t');
    await db.pool.query("INSERT INTO t (v) VALUES ('b'), ('a')");
    expect(await tableChecksums(db.pool, { tables: ['t'], exclude: ['id', 'noted_at'] })).toEqual(lean);

    await db.pool.query("UPDATE t SET v = 'c' WHERE v = 'a'");
    expect(
      checksumDifferences(await tableChecksums(db.pool, { tables: ['t'], exclude: ['id', 'noted_at'] }), lean),
    ).toHaveLength(1);
  });

  it('refuses a table that does not exist', async () => {
    await expect(tableChecksums(db.pool, { tables: ['nope'], exclude: ['id'] })).rejects.toThrow(/no table "nope"/);
  });
});
