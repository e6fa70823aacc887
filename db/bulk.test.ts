import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../lib/db.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { insertRows, upsertClause } from './bulk.ts';

describe('insertRows', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    await db.pool.query(
      'CREATE TABLE t (id int PRIMARY KEY, name text, score real, doc jsonb, raw bytea, at timestamptz)',
    );
  });
  afterAll(() => db.drop());

  const tricky = ['tab\there', 'line\nbreak', 'back\\slash', 'ñandú "quoted"', '', '\\N'];
  const rowsOf = (n: number, bump = 0) =>
    Array.from({ length: n }, (_, i) => [
      i,
      tricky[i % tricky.length]!,
      i % 7 === 0 ? null : i / 2 + bump,
      { i, s: tricky[i % tricky.length] },
      Buffer.from([i % 256, 0, 255]),
      new Date(Date.UTC(2024, 0, 1 + (i % 28))),
    ]);
  const columns = ['id', 'name', 'score', 'doc', 'raw', 'at'];
  const clause = upsertClause('t', ['id'], columns);

  for (const [path, n] of [
    ['unnest', 50],
    ['COPY', 5_000],
  ] as const) {
    it(`round-trips awkward values exactly through the ${path} path, and a reload writes nothing`, async () => {
      await db.pool.query('TRUNCATE t');
      const client = await db.pool.connect();
      try {
        expect(await insertRows(client, 't', columns, rowsOf(n), clause)).toBe(n);
        expect(await insertRows(client, 't', columns, rowsOf(n), clause)).toBe(0);
        expect(await insertRows(client, 't', columns, rowsOf(n, 1), clause)).toBe(n - Math.ceil(n / 7));
      } finally {
        client.release();
      }
      const { rows } = await db.pool.query('SELECT id, name, doc, raw, at FROM t WHERE id < 12 ORDER BY id');
      rows.forEach((r, i) => {
        expect(r.name).toBe(tricky[i % tricky.length]);
        expect(r.doc).toEqual({ i, s: tricky[i % tricky.length] });
        expect([...r.raw]).toEqual([i % 256, 0, 255]);
        expect(r.at.toISOString()).toBe(new Date(Date.UTC(2024, 0, 1 + i)).toISOString());
      });
    });
  }

  it('stops a COPY in flight when the transaction is aborted, and nothing of it is written', async () => {
    await db.pool.query('TRUNCATE t');
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    // Enough rows that the COPY is still streaming 50 ms in, when the abort lands.
    const many = rowsOf(300_000);
    let copying = false;
    const load = withTransaction(
      db.pool,
      async (client) => {
        await insertRows(client, 't', columns, rowsOf(500), clause);
        copying = true;
        await insertRows(client, 't', columns, many, clause);
      },
      { signal: controller.signal },
    );
    for (; !copying;) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    const aborted = performance.now();
    controller.abort(reason);
    await expect(load).rejects.toBe(reason);
    expect(performance.now() - aborted).toBeLessThan(1_000);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM t');
    expect(rows[0].n).toBe(0);
    // The pool dropped the cut connection and still works.
    expect((await db.pool.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
  });
});
