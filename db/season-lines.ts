/**
 * Season lines (`player_season_stats`) on the ingest side: the loads' bulk upsert and the reads the loads, the bio
 * refresh and the companion models need. The history the features are built from is read in db/history.ts.
 */
import type { PoolClient, Queryable } from '../lib/db.ts';
import { ROOKIE_LIMITS, SPORT_IDS, type SeasonLine } from '../lib/domain.ts';
import { insertRows, upsertClause } from './bulk.ts';

export const STAT_COLUMNS = [
  'season',
  'player_id',
  'sport_id',
  'stat_group',
  'team_id',
  'games',
  'hits',
  'home_runs',
  'base_on_balls',
  'hit_by_pitch',
  'strike_outs',
  'plate_appearances',
  'at_bats',
  'doubles',
  'triples',
  'intentional_walks',
  'stolen_bases',
  'caught_stealing',
  'sac_flies',
  'games_started',
  'outs',
  'batters_faced',
  'earned_runs',
  'source',
  'batch_id',
] as const;
// Provenance columns change on every reload: comparing them would count an identical reload as new rows.
const STAT_DATA = STAT_COLUMNS.filter((c) => c !== 'source' && c !== 'batch_id');

/** A season line as a row of STAT_COLUMNS (hitting counts null for pitching lines and the reverse). */
export function statRow(line: SeasonLine, source: string, batchId: number): unknown[] {
  const common = [line.season, line.playerId, line.sportId, line.group, line.teamId];
  if (line.group === 'hitting') {
    const h = line.stats;
    return [
      ...common,
      h.games,
      h.hits,
      h.homeRuns,
      h.baseOnBalls,
      h.hitByPitch,
      h.strikeOuts,
      h.plateAppearances,
      h.atBats,
      h.doubles,
      h.triples,
      h.intentionalWalks,
      h.stolenBases,
      h.caughtStealing,
      h.sacFlies,
      null,
      null,
      null,
      null,
      source,
      batchId,
    ];
  }
  const p = line.stats;
  return [
    ...common,
    p.games,
    p.hits,
    p.homeRuns,
    p.baseOnBalls,
    p.hitByPitch,
    p.strikeOuts,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    p.gamesStarted,
    p.outs,
    p.battersFaced,
    p.earnedRuns,
    source,
    batchId,
  ];
}

/**
 * Inserts or updates lines by (season, player, level, group), recording the batch that brought them.
 * @returns lines inserted or changed: 0 when the same data is loaded again.
 */
export async function upsertSeasonLines(
  client: PoolClient,
  lines: readonly SeasonLine[],
  source: string,
  batchId: number,
): Promise<number> {
  return insertRows(
    client,
    'player_season_stats',
    STAT_COLUMNS,
    lines.map((l) => statRow(l, source, batchId)),
    upsertClause('player_season_stats', ['season', 'player_id', 'sport_id', 'stat_group'], STAT_COLUMNS, STAT_DATA),
  );
}

/** The first and last season with a stored line of each of these players (who have one). */
export async function seasonSpans(
  db: Queryable,
  playerIds: readonly number[],
): Promise<Map<number, { first: number; last: number }>> {
  const { rows } = await db.query<{ player_id: number; first: number; last: number }>(
    `SELECT player_id, min(season)::int AS first, max(season)::int AS last FROM player_season_stats
     WHERE player_id = ANY($1) GROUP BY player_id`,
    [playerIds],
  );
  return new Map(rows.map((r) => [r.player_id, { first: r.first, last: r.last }]));
}

/** First MLB season of every player who has one. */
export async function debutSeasons(db: Queryable): Promise<Map<number, number>> {
  const { rows } = await db.query<{ player_id: number; debut: number }>(
    'SELECT player_id, min(season)::int AS debut FROM player_season_stats WHERE sport_id = $1 GROUP BY player_id',
    [SPORT_IDS.MLB],
  );
  return new Map(rows.map((r) => [r.player_id, r.debut]));
}

/**
 * The current prospects: everyone with a minor-league line in the latest season that has minor-league lines, who is
 * still rookie-eligible (ROOKIE_LIMITS), ids ascending. `season` is null when no minor-league line is stored.
 */
export async function currentProspectIds(db: Queryable): Promise<{ season: number | null; playerIds: number[] }> {
  const { rows } = await db.query<{ season: number | null; ids: number[] | null }>(
    `WITH latest AS (SELECT max(season) AS season FROM player_season_stats WHERE sport_id <> $1)
     SELECT (SELECT season FROM latest)::int AS season,
            (SELECT array_agg(DISTINCT player_id ORDER BY player_id) FROM player_season_stats
             WHERE sport_id <> $1 AND season = (SELECT season FROM latest)
               AND player_id NOT IN (SELECT player_id FROM player_season_stats WHERE sport_id = $1
                                     GROUP BY player_id HAVING sum(coalesce(at_bats, 0)) > $2 OR sum(coalesce(outs, 0)) > $3)) AS ids`,
    [SPORT_IDS.MLB, ROOKIE_LIMITS.atBats, ROOKIE_LIMITS.outs],
  );
  return { season: rows[0]?.season ?? null, playerIds: rows[0]?.ids ?? [] };
}
