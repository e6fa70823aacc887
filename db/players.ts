/**
 * Players and what the source says about them: bios (`players`) and draft picks (`draft_picks`). Versions of bios
 * over time are db/bio-versions.ts.
 */
import type { PoolClient, Queryable } from '../lib/db.ts';
import type { DraftPick, PlayerBio } from '../lib/domain.ts';
import { insertRows, upsertClause } from './bulk.ts';

/** Which of these players have a bio stored. */
export async function knownPlayerIds(db: Queryable, playerIds: readonly number[]): Promise<Set<number>> {
  const { rows } = await db.query<{ player_id: number }>('SELECT player_id FROM players WHERE player_id = ANY($1)', [
    playerIds,
  ]);
  return new Set(rows.map((r) => r.player_id));
}

/**
 * The stored bios of these players, as far as validation needs them: name, birth date (YYYY-MM-DD) and position;
 * bats, throws and debut are null.
 */
export async function storedBios(db: Queryable, playerIds: readonly number[]): Promise<PlayerBio[]> {
  const { rows } = await db.query<{
    player_id: number;
    full_name: string;
    birth_date: string | null;
    primary_position: string | null;
  }>(
    `SELECT player_id, full_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, primary_position
     FROM players WHERE player_id = ANY($1)`,
    [playerIds],
  );
  return rows.map((r) => ({
    playerId: r.player_id,
    fullName: r.full_name,
    birthDate: r.birth_date,
    primaryPosition: r.primary_position,
    batSide: null,
    pitchHand: null,
    mlbDebutDate: null,
  }));
}

const PLAYER_COLUMNS = [
  'player_id',
  'full_name',
  'birth_date',
  'primary_position',
  'bat_side',
  'pitch_hand',
  'mlb_debut_date',
];

/** Inserts or updates bios by player id; of several bios of one player the last wins. */
export async function upsertPlayers(client: PoolClient, bios: readonly PlayerBio[]): Promise<number> {
  const unique = [...new Map(bios.map((b) => [b.playerId, b])).values()];
  return insertRows(
    client,
    'players',
    PLAYER_COLUMNS,
    unique.map((p) => [p.playerId, p.fullName, p.birthDate, p.primaryPosition, p.batSide, p.pitchHand, p.mlbDebutDate]),
    upsertClause('players', ['player_id'], PLAYER_COLUMNS),
  );
}

/** Makes the stored birth dates of these players unknown (found to be placeholders). */
export async function forgetBirthDates(db: Queryable, playerIds: readonly number[]): Promise<void> {
  if (playerIds.length === 0) return;
  await db.query('UPDATE players SET birth_date = NULL WHERE player_id = ANY($1)', [playerIds]);
}

const PICK_COLUMNS = ['player_id', 'year', 'round', 'pick_number', 'org_id', 'school'];

/** Inserts or updates draft picks by (player, year); of several picks of one player in one year the last wins. */
export async function upsertDraftPicks(client: PoolClient, picks: readonly DraftPick[]): Promise<number> {
  const unique = [...new Map(picks.map((d) => [`${d.playerId}:${d.year}`, d])).values()];
  return insertRows(
    client,
    'draft_picks',
    PICK_COLUMNS,
    unique.map((d) => [d.playerId, d.year, d.round, d.pickNumber, d.orgId, d.school]),
    upsertClause('draft_picks', ['player_id', 'year'], PICK_COLUMNS),
  );
}
