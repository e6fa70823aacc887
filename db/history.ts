/**
 * Reads of the loaded baseball history (players, bio versions, season lines, drafts, grades, leagues) into the domain
 * types `training/` works on: what the feature step, batch inference, the snapshot and the backtest read. The ingest
 * side's writes of the same tables live in db/season-lines.ts.
 */
import type { Queryable } from '../lib/db.ts';
import {
  SPORT_IDS,
  type DraftPick,
  type PlayerBio,
  type ScoutingGrade,
  type ScoutingToolGrade,
  type SeasonLine,
} from '../lib/domain.ts';
import type { BioVersion } from '../training/bios.ts';
import type { SeasonCoverage } from '../training/history-gaps.ts';
import type { TeamLeague } from '../training/league-norms.ts';

export interface History {
  /** Bios as last seen. */
  players: PlayerBio[];
  /** Every version of each bio with the date it was seen, oldest first: features use the one known at the as-of date. */
  bioVersions: BioVersion[];
  lines: SeasonLine[];
  drafts: DraftPick[];
  /** Scouting grades matched to a player (unmatched rows stay in `scouting_grades` only). */
  grades: ScoutingGrade[];
  /** League of each team and season where the teams data gave one; optional so caches written before it still read. */
  leagues?: TeamLeague[];
}

function isoDate(value: Date | string | null): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}

/** The whole history, or only that of `playerIds` (leagues are always whole: they belong to teams). */
export async function loadHistory(db: Queryable, options: { playerIds?: number[] } = {}): Promise<History> {
  const filter = options.playerIds ? 'WHERE player_id = ANY($1)' : '';
  const params = options.playerIds ? [options.playerIds] : [];
  const gradeFilter = options.playerIds ? 'AND player_id = ANY($1)' : '';
  const [players, versions, lines, drafts, grades, leagues] = await Promise.all([
    db.query(
      `SELECT player_id, full_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, primary_position,
                     bat_side, pitch_hand, to_char(mlb_debut_date, 'YYYY-MM-DD') AS mlb_debut_date
              FROM players ${filter}`,
      params,
    ),
    db.query(
      `SELECT player_id, to_char(seen_on, 'YYYY-MM-DD') AS seen_on, to_char(birth_date, 'YYYY-MM-DD') AS birth_date,
                     primary_position, bat_side, pitch_hand
              FROM player_bio_versions ${filter} ORDER BY player_id, seen_on`,
      params,
    ),
    db.query(`SELECT * FROM player_season_stats ${filter} ORDER BY player_id, season, sport_id`, params),
    db.query(`SELECT player_id, year, round, pick_number, org_id, school FROM draft_picks ${filter}`, params),
    db.query(
      `SELECT player_id, source, season, future_value, overall_rank, tools FROM scouting_grades
              WHERE player_id IS NOT NULL ${gradeFilter}`,
      params,
    ),
    db.query(`SELECT team_id, season, league FROM affiliates WHERE league IS NOT NULL`),
  ]);
  return {
    players: players.rows.map((r) => ({
      playerId: r.player_id,
      fullName: r.full_name,
      birthDate: isoDate(r.birth_date),
      primaryPosition: r.primary_position,
      batSide: r.bat_side,
      pitchHand: r.pitch_hand,
      mlbDebutDate: isoDate(r.mlb_debut_date),
    })),
    bioVersions: versions.rows.map((r) => ({
      playerId: r.player_id,
      seenOn: r.seen_on,
      birthDate: r.birth_date,
      primaryPosition: r.primary_position,
      batSide: r.bat_side,
      pitchHand: r.pitch_hand,
    })),
    lines: lines.rows.map(toSeasonLine),
    drafts: drafts.rows.map((r) => ({
      playerId: r.player_id,
      year: r.year,
      round: r.round,
      pickNumber: r.pick_number,
      orgId: r.org_id,
      school: r.school,
    })),
    grades: grades.rows.map((r) => ({
      playerId: r.player_id,
      source: r.source,
      season: r.season,
      futureValue: r.future_value,
      overallRank: r.overall_rank,
      tools: toolGrades(r.tools),
    })),
    leagues: leagues.rows.map((r) => ({ teamId: r.team_id, season: r.season, league: r.league })),
  };
}

function gradeOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The `tools` jsonb → tool grades; non-grade keys (the FV "+" flag) are dropped. */
export function toolGrades(json: unknown): Record<string, ScoutingToolGrade> {
  const tools: Record<string, ScoutingToolGrade> = {};
  if (typeof json !== 'object' || json === null) return tools;
  for (const [tool, grade] of Object.entries(json as Record<string, unknown>)) {
    if (typeof grade !== 'object' || grade === null) continue;
    const g = grade as Record<string, unknown>;
    tools[tool] = { present: gradeOf(g.present), future: gradeOf(g.future) };
  }
  return tools;
}

/** A `player_season_stats` row → a season line. */
export function toSeasonLine(r: Record<string, number | null | string>): SeasonLine {
  const n = (key: string) => Number(r[key] ?? 0);
  const key = {
    playerId: n('player_id'),
    season: n('season'),
    sportId: n('sport_id'),
    teamId: r.team_id === null ? null : n('team_id'),
  };
  if (r.stat_group === 'hitting') {
    return {
      ...key,
      group: 'hitting',
      stats: {
        games: n('games'),
        plateAppearances: n('plate_appearances'),
        atBats: n('at_bats'),
        hits: n('hits'),
        doubles: n('doubles'),
        triples: n('triples'),
        homeRuns: n('home_runs'),
        baseOnBalls: n('base_on_balls'),
        intentionalWalks: n('intentional_walks'),
        hitByPitch: n('hit_by_pitch'),
        strikeOuts: n('strike_outs'),
        stolenBases: n('stolen_bases'),
        caughtStealing: n('caught_stealing'),
        sacFlies: n('sac_flies'),
      },
    };
  }
  return {
    ...key,
    group: 'pitching',
    stats: {
      games: n('games'),
      gamesStarted: n('games_started'),
      outs: n('outs'),
      battersFaced: n('batters_faced'),
      hits: n('hits'),
      homeRuns: n('home_runs'),
      baseOnBalls: n('base_on_balls'),
      hitByPitch: n('hit_by_pitch'),
      strikeOuts: n('strike_outs'),
      earnedRuns: n('earned_runs'),
    },
  };
}

/**
 * Coverage of every season of [firstSeason, lastSeason]: which of MLB and minor-league hitting and pitching lines it
 * holds, and what the latest loads of `source` (the Stats API's batches) said. A load counts when it finished with
 * season lines; a bio refresh (no lines) neither hides nor clears a breach.
 */
export async function seasonCoverage(
  db: Queryable,
  range: { firstSeason: number; lastSeason: number; source: string },
): Promise<SeasonCoverage[]> {
  const { rows } = await db.query<{
    season: number;
    mlb_hitting: boolean;
    mlb_pitching: boolean;
    minor_hitting: boolean;
    minor_pitching: boolean;
    breached_batch: string | null;
    answered_empty: boolean;
  }>(
    `SELECT s AS season,
       EXISTS (SELECT 1 FROM player_season_stats p WHERE p.season = s AND p.sport_id = $3 AND p.stat_group = 'hitting') AS mlb_hitting,
       EXISTS (SELECT 1 FROM player_season_stats p WHERE p.season = s AND p.sport_id = $3 AND p.stat_group = 'pitching') AS mlb_pitching,
       EXISTS (SELECT 1 FROM player_season_stats p WHERE p.season = s AND p.sport_id <> $3 AND p.stat_group = 'hitting') AS minor_hitting,
       EXISTS (SELECT 1 FROM player_season_stats p WHERE p.season = s AND p.sport_id <> $3 AND p.stat_group = 'pitching') AS minor_pitching,
       (SELECT CASE WHEN b.status = 'breached' THEN b.batch_id END FROM ingest_batches b
        WHERE b.source = $4 AND b.season = s AND (b.status = 'breached' OR (b.finished_at IS NOT NULL AND b.rows_fetched > 0))
        ORDER BY b.batch_id DESC LIMIT 1) AS breached_batch,
       EXISTS (SELECT 1 FROM ingest_batches b WHERE b.source = $4 AND b.season = s AND b.status = 'loaded' AND b.finished_at IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM ingest_batches b WHERE b.source = $4 AND b.season = s AND b.status = 'loaded'
                         AND b.finished_at IS NOT NULL AND b.rows_fetched > 0) AS answered_empty
     FROM generate_series($1::int, $2::int) AS s
     ORDER BY s`,
    [range.firstSeason, range.lastSeason, SPORT_IDS.MLB, range.source],
  );
  return rows.map((r) => ({
    season: r.season,
    mlbHitting: r.mlb_hitting,
    mlbPitching: r.mlb_pitching,
    minorHitting: r.minor_hitting,
    minorPitching: r.minor_pitching,
    breachedBatch: r.breached_batch === null ? null : Number(r.breached_batch),
    answeredEmpty: r.answered_empty,
  }));
}

/** Major-league plate appearances and outs of each player's whole career (what became of past prospects). */
export async function mlbCareerTotals(db: Queryable): Promise<Map<number, { plateAppearances: number; outs: number }>> {
  const { rows } = await db.query<{ player_id: number; pa: number; outs: number }>(
    `SELECT player_id, coalesce(sum(plate_appearances), 0)::int AS pa, coalesce(sum(outs), 0)::int AS outs
     FROM player_season_stats WHERE sport_id = $1 GROUP BY player_id`,
    [SPORT_IDS.MLB],
  );
  return new Map(rows.map((r) => [r.player_id, { plateAppearances: r.pa, outs: r.outs }]));
}

export interface ProspectPerson {
  playerId: number;
  fullName: string;
  primaryPosition: string | null;
  /** Organization of his first minor-league line of `season` (lowest sport id: the highest level), null when none. */
  orgId: number | null;
}

/** Name, position and the organization he played for in `season` (minor leagues) of each of `playerIds`. */
export async function prospectPeople(
  db: Queryable,
  playerIds: readonly number[],
  season: number,
): Promise<Map<number, ProspectPerson>> {
  const { rows } = await db.query<{
    player_id: number;
    full_name: string;
    primary_position: string | null;
    org_id: number | null;
  }>(
    `SELECT p.player_id, p.full_name, p.primary_position,
            (SELECT a.org_id FROM player_season_stats s JOIN affiliates a ON a.team_id = s.team_id AND a.season = s.season
             WHERE s.player_id = p.player_id AND s.season = $2 AND s.sport_id <> $3 ORDER BY s.sport_id LIMIT 1) AS org_id
     FROM players p WHERE p.player_id = ANY($1)`,
    [playerIds, season, SPORT_IDS.MLB],
  );
  return new Map(
    rows.map((r) => [
      r.player_id,
      { playerId: r.player_id, fullName: r.full_name, primaryPosition: r.primary_position, orgId: r.org_id },
    ]),
  );
}

/** Distinct minor-league levels each of `playerIds` played at through `season` (his whole career's evidence). */
export async function careerMinorLevels(
  db: Queryable,
  playerIds: readonly number[],
  season: number,
): Promise<Map<number, number>> {
  const { rows } = await db.query<{ player_id: number; levels: number }>(
    `SELECT player_id, count(DISTINCT sport_id)::int AS levels FROM player_season_stats
     WHERE player_id = ANY($1) AND season <= $2 AND sport_id <> $3 GROUP BY player_id`,
    [playerIds, season, SPORT_IDS.MLB],
  );
  return new Map(rows.map((r) => [r.player_id, r.levels]));
}

/** A season line with the organization its team was affiliated with that season. */
export interface OrganizedLine {
  line: SeasonLine;
  organization: { id: number; name: string; abbreviation: string } | null;
}

/** Every season line of `playerIds` through `season`, oldest first (by season, then sport id), grouped by player. */
export async function linesWithOrganization(
  db: Queryable,
  playerIds: readonly number[],
  season: number,
): Promise<Map<number, OrganizedLine[]>> {
  const { rows } = await db.query(
    `SELECT s.*, a.org_id, o.name AS org_name, o.abbreviation AS org_abbreviation
     FROM player_season_stats s
     LEFT JOIN affiliates a ON a.team_id = s.team_id AND a.season = s.season
     LEFT JOIN organizations o ON o.org_id = a.org_id
     WHERE s.player_id = ANY($1) AND s.season <= $2 ORDER BY s.season, s.sport_id`,
    [playerIds, season],
  );
  const byPlayer = new Map<number, OrganizedLine[]>();
  for (const r of rows) {
    const line = toSeasonLine(r);
    const organization = r.org_id
      ? { id: r.org_id as number, name: r.org_name as string, abbreviation: r.org_abbreviation as string }
      : null;
    const list = byPlayer.get(line.playerId) ?? [];
    list.push({ line, organization });
    byPlayer.set(line.playerId, list);
  }
  return byPlayer;
}
