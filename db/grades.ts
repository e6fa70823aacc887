/**
 * Scouting grades (`scouting_grades`): the candidates a grade import matches its rows against, and the upsert of
 * the matched rows.
 */
import type { PoolClient, Queryable } from '../lib/db.ts';
import type { Candidate } from '../sources/csv/match.ts';
import { insertRows } from './bulk.ts';

// Candidate prefilter: the surname tokens of players' names, normalized in SQL like normalizeName does in TypeScript
// (NFD accents stripped, apostrophes and periods dropped, other punctuation a space); needs a UTF8 database. The exact
// normalized-name comparison happens afterwards in TypeScript, so the prefilter only has to keep every true candidate.
const NAME_TOKENS =
  'regexp_split_to_array(trim(regexp_replace(regexp_replace(regexp_replace(lower(normalize(full_name, NFD)), ' +
  "'[\\u0300-\\u036f]', '', 'g'), '[''’.]', '', 'g'), '[^[:alnum:]]+', ' ', 'g')), ' ')";

const CANDIDATES_SQL = `
  WITH cand AS (
    SELECT player_id, full_name, birth_date::text AS birth_date, primary_position FROM players WHERE ${NAME_TOKENS} && $1::text[]
  ), seen AS (
    SELECT s.player_id, s.season, a.org_id FROM player_season_stats s JOIN affiliates a ON a.team_id = s.team_id AND a.season = s.season
    WHERE s.player_id IN (SELECT player_id FROM cand) AND s.season BETWEEN $2 AND $3
    UNION
    SELECT d.player_id, d.year, d.org_id FROM draft_picks d
    WHERE d.player_id IN (SELECT player_id FROM cand) AND d.year BETWEEN $2 AND $3 AND d.org_id IS NOT NULL
  )
  SELECT c.player_id, c.full_name, c.birth_date, c.primary_position,
    coalesce(jsonb_agg(DISTINCT jsonb_build_object('season', seen.season, 'orgId', o.org_id, 'abbreviation', o.abbreviation, 'name', o.name))
      FILTER (WHERE o.org_id IS NOT NULL), '[]') AS orgs
  FROM cand c LEFT JOIN seen ON seen.player_id = c.player_id LEFT JOIN organizations o ON o.org_id = seen.org_id
  GROUP BY c.player_id, c.full_name, c.birth_date, c.primary_position`;

/**
 * Every player whose name holds one of `surnames` (normalized), with the organizations he was seen in (a season
 * line with an affiliate, or a draft pick) from `fromSeason` to `toSeason`: one query per import.
 */
export async function gradeCandidates(
  db: Queryable,
  surnames: readonly string[],
  fromSeason: number,
  toSeason: number,
): Promise<Candidate[]> {
  const { rows } = await db.query<{
    player_id: number;
    full_name: string;
    birth_date: string | null;
    primary_position: string | null;
    orgs: Candidate['orgs'];
  }>(CANDIDATES_SQL, [[...new Set(surnames)], fromSeason, toSeason]);
  return rows.map((r) => ({
    playerId: r.player_id,
    fullName: r.full_name,
    birthDate: r.birth_date,
    primaryPosition: r.primary_position,
    orgs: r.orgs,
  }));
}

/** One matched row of a board, as stored. */
export interface GradeRow {
  source: string;
  season: number;
  playerId: number;
  matchConfidence: number;
  name: string;
  organization: string;
  position: string | null;
  futureValue: number | null;
  overallRank: number | null;
  eta: number | null;
  /** The tool grades as JSON text. */
  tools: string;
}

const GRADE_COLUMNS = [
  'source',
  'season',
  'player_id',
  'match_confidence',
  'name',
  'organization',
  'position',
  'future_value',
  'overall_rank',
  'eta',
  'tools',
];
const UPDATED = GRADE_COLUMNS.slice(2);
// Only rows whose content changed are rewritten, so an identical re-import leaves imported_at alone too.
const GRADE_UPSERT = `ON CONFLICT (source, season, name, organization) DO UPDATE SET ${UPDATED.map((c) => `${c} = EXCLUDED.${c}`).join(', ')},
  imported_at = now() WHERE (${UPDATED.map((c) => `scouting_grades.${c}`).join(', ')}) IS DISTINCT FROM (${UPDATED.map((c) => `EXCLUDED.${c}`).join(', ')})`;

/**
 * Inserts or updates grades by (source, season, name, organization).
 * @returns rows inserted or changed: 0 when the same board is imported again.
 */
export async function upsertGrades(client: PoolClient, rows: readonly GradeRow[]): Promise<number> {
  return insertRows(
    client,
    'scouting_grades',
    GRADE_COLUMNS,
    rows.map((r) => [
      r.source,
      r.season,
      r.playerId,
      r.matchConfidence,
      r.name,
      r.organization,
      r.position,
      r.futureValue,
      r.overallRank,
      r.eta,
      r.tools,
    ]),
    GRADE_UPSERT,
  );
}
