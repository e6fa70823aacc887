/**
 * Reads the loaded history out of PostgreSQL into the domain types `training/` works on.
 */
import type { DraftPick, PlayerBio, ScoutingGrade, ScoutingToolGrade, SeasonLine } from '../lib/domain.ts';
import type { Pool } from '../lib/db.ts';
import type { BioVersion } from '../training/bios.ts';
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

export async function loadHistory(pool: Pool, options: { playerIds?: number[] } = {}): Promise<History> {
  const filter = options.playerIds ? 'WHERE player_id = ANY($1)' : '';
  const params = options.playerIds ? [options.playerIds] : [];
  const gradeFilter = options.playerIds ? 'AND player_id = ANY($1)' : '';
  const [players, versions, lines, drafts, grades, leagues] = await Promise.all([
    pool.query(`SELECT player_id, full_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, primary_position,
                       bat_side, pitch_hand, to_char(mlb_debut_date, 'YYYY-MM-DD') AS mlb_debut_date
                FROM players ${filter}`, params),
    pool.query(`SELECT player_id, to_char(seen_on, 'YYYY-MM-DD') AS seen_on, to_char(birth_date, 'YYYY-MM-DD') AS birth_date,
                       primary_position, bat_side, pitch_hand
                FROM player_bio_versions ${filter} ORDER BY player_id, seen_on`, params),
    pool.query(`SELECT * FROM player_season_stats ${filter} ORDER BY player_id, season, sport_id`, params),
    pool.query(`SELECT player_id, year, round, pick_number, org_id, school FROM draft_picks ${filter}`, params),
    pool.query(`SELECT player_id, source, season, future_value, overall_rank, tools FROM scouting_grades
                WHERE player_id IS NOT NULL ${gradeFilter}`, params),
    pool.query(`SELECT team_id, season, league FROM affiliates WHERE league IS NOT NULL`),
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

export function toSeasonLine(r: Record<string, number | null | string>): SeasonLine {
  const n = (key: string) => Number(r[key] ?? 0);
  const key = { playerId: n('player_id'), season: n('season'), sportId: n('sport_id'), teamId: r.team_id === null ? null : n('team_id') };
  if (r.stat_group === 'hitting') {
    return {
      ...key,
      group: 'hitting',
      stats: {
        games: n('games'), plateAppearances: n('plate_appearances'), atBats: n('at_bats'), hits: n('hits'),
        doubles: n('doubles'), triples: n('triples'), homeRuns: n('home_runs'), baseOnBalls: n('base_on_balls'),
        intentionalWalks: n('intentional_walks'), hitByPitch: n('hit_by_pitch'), strikeOuts: n('strike_outs'),
        stolenBases: n('stolen_bases'), caughtStealing: n('caught_stealing'), sacFlies: n('sac_flies'),
      },
    };
  }
  return {
    ...key,
    group: 'pitching',
    stats: {
      games: n('games'), gamesStarted: n('games_started'), outs: n('outs'), battersFaced: n('batters_faced'),
      hits: n('hits'), homeRuns: n('home_runs'), baseOnBalls: n('base_on_balls'), hitByPitch: n('hit_by_pitch'),
      strikeOuts: n('strike_outs'), earnedRuns: n('earned_runs'),
    },
  };
}
