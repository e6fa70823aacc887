/**
 * Point-in-time bios (`player_bio_versions`): each load adds a version of a player's bio (birth date, position, bats, throws)
 * only when it differs from the version known on that date, dated by when the people response was fetched, so a
 * re-load of an old batch from the landing zone dates its bios by their fetch, not by the re-load.
 */
import type { PoolClient } from '../lib/db.ts';
import type { PlayerBio } from '../lib/domain.ts';

/**
 * Records the bios a batch carried as versions seen on the fetch date of the batch's people responses (today when
 * it has none). Birth dates found to be placeholders (`unknownBirthDates`) become unknown in every version.
 * @returns versions added or changed.
 */
export async function recordBioVersions(
  client: PoolClient,
  batchId: number,
  bios: readonly PlayerBio[],
  options: { unknownBirthDates?: readonly number[] } = {},
): Promise<number> {
  const unique = [...new Map(bios.map((b) => [b.playerId, b])).values()];
  let written = 0;
  if (unique.length > 0) {
    const { rowCount } = await client.query(
      `WITH seen AS (
         SELECT coalesce((SELECT max(r.fetched_at) FROM ingest_batch_responses b JOIN raw_responses r USING (response_id)
                          WHERE b.batch_id = $1 AND r.url LIKE '%/people?%'), now())::date AS seen_on
       ), incoming AS (
         SELECT * FROM unnest($2::int[], $3::date[], $4::text[], $5::text[], $6::text[])
           AS t(player_id, birth_date, primary_position, bat_side, pitch_hand)
       )
       INSERT INTO player_bio_versions (player_id, seen_on, birth_date, primary_position, bat_side, pitch_hand)
       SELECT i.player_id, seen.seen_on, i.birth_date, i.primary_position, i.bat_side, i.pitch_hand
       FROM incoming i CROSS JOIN seen
       LEFT JOIN LATERAL (
         SELECT true AS found, v.birth_date, v.primary_position, v.bat_side, v.pitch_hand FROM player_bio_versions v
         WHERE v.player_id = i.player_id AND v.seen_on <= seen.seen_on ORDER BY v.seen_on DESC LIMIT 1
       ) prev ON true
       WHERE prev.found IS NULL
          OR (prev.birth_date, prev.primary_position, prev.bat_side, prev.pitch_hand)
             IS DISTINCT FROM (i.birth_date, i.primary_position, i.bat_side, i.pitch_hand)
       ON CONFLICT (player_id, seen_on) DO UPDATE SET birth_date = EXCLUDED.birth_date,
         primary_position = EXCLUDED.primary_position, bat_side = EXCLUDED.bat_side, pitch_hand = EXCLUDED.pitch_hand`,
      [
        batchId,
        unique.map((b) => b.playerId),
        unique.map((b) => b.birthDate),
        unique.map((b) => b.primaryPosition),
        unique.map((b) => b.batSide),
        unique.map((b) => b.pitchHand),
      ],
    );
    written += rowCount ?? 0;
  }
  if (options.unknownBirthDates?.length) {
    await client.query(
      'UPDATE player_bio_versions SET birth_date = NULL WHERE player_id = ANY($1) AND birth_date IS NOT NULL',
      [options.unknownBirthDates],
    );
  }
  return written;
}
