import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../lib/db.ts';
import type { PlayerBio } from '../lib/domain.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { biosAsOf, indexBioVersions } from '../training/bios.ts';
import { recordBioVersions } from './bio-versions.ts';
import { loadHistory } from './history.ts';

describe('recordBioVersions', () => {
  let db: TestDatabase;
  const bio = (primaryPosition: string, batSide = 'R', birthDate = '2002-04-09'): PlayerBio => ({
    playerId: 900001,
    fullName: 'Ver Sions',
    birthDate,
    primaryPosition,
    batSide,
    pitchHand: 'R',
    mlbDebutDate: null,
  });

  /** A batch whose people response was fetched at `fetchedAt`, loaded with `bios`. */
  async function load(
    fetchedAt: string,
    bios: PlayerBio[],
    unknownBirthDates: number[] = [],
  ): Promise<{ batchId: number; written: number }> {
    const { rows } = await db.pool.query<{ batch_id: number }>(
      `INSERT INTO ingest_batches (source, season) VALUES ('test', 2024) RETURNING batch_id`,
    );
    const batchId = rows[0]!.batch_id;
    const { rows: responses } = await db.pool.query<{ response_id: number }>(
      `INSERT INTO raw_responses (batch_id, source, url, fetched_at, status, body_gzip, body_sha256)
       VALUES ($1, 'test', $2, $3, 200, '\\x00', 'x') RETURNING response_id`,
      [batchId, `http://127.0.0.1/api/v1/people?personIds=900001&b=${batchId}`, fetchedAt],
    );
    await db.pool.query('INSERT INTO ingest_batch_responses (batch_id, response_id, reused) VALUES ($1, $2, false)', [
      batchId,
      responses[0]!.response_id,
    ]);
    const written = await withTransaction(db.pool, async (client) => {
      await client.query(
        `INSERT INTO players (player_id, full_name, primary_position) VALUES ($1, $2, $3)
        ON CONFLICT (player_id) DO UPDATE SET primary_position = EXCLUDED.primary_position`,
        [900001, 'Ver Sions', bios[0]?.primaryPosition ?? null],
      );
      return recordBioVersions(client, batchId, bios, { unknownBirthDates });
    });
    return { batchId, written };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('adds a version only when the bio changed, dated by the fetch, and loadHistory returns them oldest first', async () => {
    expect((await load('2021-03-01T15:00:00Z', [bio('6', 'S')])).written).toBe(1);
    // The same bio seen again a year later, and in a duplicated row of one response: nothing new.
    expect((await load('2022-03-01T15:00:00Z', [bio('6', 'S'), bio('6', 'S')])).written).toBe(0);
    expect((await load('2022-05-01T15:00:00Z', [bio('6', 'L')])).written).toBe(1);
    // Converted to pitcher in the 2023-24 winter.
    expect((await load('2024-01-20T15:00:00Z', [bio('1', 'L')])).written).toBe(1);
    const { bioVersions, players } = await loadHistory(db.pool);
    expect(bioVersions.map((v) => [v.seenOn, v.primaryPosition, v.batSide])).toEqual([
      ['2021-03-01', '6', 'S'],
      ['2022-05-01', '6', 'L'],
      ['2024-01-20', '1', 'L'],
    ]);
    // The players row says pitcher today; the 2022 feature row still sees the shortstop.
    expect(players[0]?.primaryPosition).toBe('1');
    const index = indexBioVersions(bioVersions);
    expect(biosAsOf(players, index, 2022)[0]).toMatchObject({ primaryPosition: '6', batSide: 'L' });
    expect(biosAsOf(players, index, 2024)[0]).toMatchObject({ primaryPosition: '1' });
  });

  it('makes a placeholder birth date unknown in every version', async () => {
    await load('2024-06-01T15:00:00Z', [bio('1', 'L')], [900001]);
    const { rows } = await db.pool.query(
      'SELECT count(*)::int AS n FROM player_bio_versions WHERE player_id = 900001 AND birth_date IS NOT NULL',
    );
    expect(rows[0].n).toBe(0);
  });
});
