/**
 * importGrades: a FanGraphs or Baseball America CSV export → `scouting_grades` rows matched to MLBAM ids (with their
 * confidence), and everything that cannot be read or matched → `quarantine` with its reason. Idempotent per file.
 *
 * Cross-source checks: a matched row whose organization, age or position disagrees with the MLB data is still loaded
 * (a winter trade or a position change can make both sources right) and also noted in quarantine as
 * 'grade_inconsistency' for review; those notes are not counted as quarantined rows.
 *
 * Re-imports: each import opens its own ingest batch, but a quarantine entry is not written again when an unresolved
 * entry with the same source, entity, reason, season and raw row is already open (from any batch): the review queue
 * lists each problem once. The new batch still counts the row as quarantined, so its accounting stays complete.
 */
import { readFile } from 'node:fs/promises';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { type Pool, withTransaction } from '../lib/db.ts';
import type { Logger } from '../lib/log.ts';
import { parseGradesCsv, type GradeRecord } from '../sources/csv/grades.ts';
import { MappingError, readMappingFile, resolveMapping, type GradeSource, type MappingOverride } from '../sources/csv/mapping.ts';
import { ORGANIZATION_LOOKBACK, indexCandidates, matchPlayer, normalizeName, surnameOf, type Candidate, type Checks } from '../sources/csv/match.ts';
import { CsvParseError } from '../sources/csv/parse-csv.ts';
import { activityLog, type ActivityDeps } from './context.ts';
import { insertRows } from '../db/bulk.ts';

export const GRADE_BATCH_SOURCE: Record<GradeSource, string> = { fangraphs: 'fangraphs-csv', baseball_america: 'baseball-america-csv' };

export interface GradeImportInput {
  source: GradeSource;
  season: number;
  csvPath: string;
  /** A column-mapping override, or the path of a JSON file holding one. */
  mapping?: MappingOverride | string;
}

export interface GradeCsvInput extends Omit<GradeImportInput, 'csvPath'> {
  csv: string;
  /** Where the text came from (path or URL), for logs. */
  origin: string;
  /** Identifies one activity (workflow/run/activity id): its retries continue the same ingest batch. */
  runKey?: string;
}

export interface GradeImportResult {
  batchId: number;
  /** Data rows in the file; always loaded + quarantined. */
  rows: number;
  loaded: number;
  quarantined: number;
  /** Loaded rows that disagree with the MLB data on organization, age or position. */
  inconsistent: number;
}

interface QuarantineEntry {
  entity: 'grade' | 'grade_inconsistency';
  reason: string;
  payload: { season: number; line: number; row: Record<string, string>; [k: string]: unknown };
}

// Candidate prefilter: the surname tokens of players' names, normalized in SQL like normalizeName does in TypeScript
// (NFD accents stripped, apostrophes and periods dropped, other punctuation a space); needs a UTF8 database. The exact
// normalized-name comparison happens afterwards in TypeScript, so the prefilter only has to keep every true candidate.
const NAME_TOKENS = "regexp_split_to_array(trim(regexp_replace(regexp_replace(regexp_replace(lower(normalize(full_name, NFD)), "
  + "'[\\u0300-\\u036f]', '', 'g'), '[''’.]', '', 'g'), '[^[:alnum:]]+', ' ', 'g')), ' ')";

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

/** Every player who could match any row of the file, with his organizations near the season: one query per import. */
export async function loadCandidates(pool: Pool, surnames: readonly string[], season: number): Promise<Candidate[]> {
  const { rows } = await pool.query<{ player_id: number; full_name: string; birth_date: string | null; primary_position: string | null; orgs: Candidate['orgs'] }>(
    CANDIDATES_SQL, [[...new Set(surnames)], season - ORGANIZATION_LOOKBACK, season]);
  return rows.map((r) => ({ playerId: r.player_id, fullName: r.full_name, birthDate: r.birth_date, primaryPosition: r.primary_position, orgs: r.orgs }));
}

const GRADE_COLUMNS = ['source', 'season', 'player_id', 'match_confidence', 'name', 'organization', 'position', 'future_value', 'overall_rank', 'eta', 'tools'];
const UPDATED = GRADE_COLUMNS.slice(2);
// Only rows whose content changed are rewritten, so an identical re-import leaves imported_at alone too.
const GRADE_UPSERT = `ON CONFLICT (source, season, name, organization) DO UPDATE SET ${UPDATED.map((c) => `${c} = EXCLUDED.${c}`).join(', ')},
  imported_at = now() WHERE (${UPDATED.map((c) => `scouting_grades.${c}`).join(', ')}) IS DISTINCT FROM (${UPDATED.map((c) => `EXCLUDED.${c}`).join(', ')})`;

// Skips an entry already open (unresolved) with the same content; see the module comment.
const QUARANTINE_SQL = `
  INSERT INTO quarantine (batch_id, source, entity, reason, payload)
  SELECT $1, $2, v.entity, v.reason, v.payload::jsonb FROM unnest($3::text[], $4::text[], $5::text[]) AS v(entity, reason, payload)
  WHERE NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.source = $2 AND q.entity = v.entity AND q.resolved_at IS NULL
    AND q.reason = v.reason AND q.payload->'season' = v.payload::jsonb->'season' AND q.payload->'row' = v.payload::jsonb->'row')`;

function toolsJson(r: GradeRecord): string {
  // future_value is a 20-80 integer column, so FanGraphs' "45+" keeps its plus here.
  return JSON.stringify(r.futureValuePlus ? { ...r.tools, fvPlus: true } : r.tools);
}

function disagreements(checks: Checks): string[] {
  return Object.entries(checks).filter(([, c]) => c.result === 'disagree').map(([k, c]) => `${k} disagrees (${c.detail})`);
}

/** The import itself, on CSV text; no Temporal context needed (the CLI calls it directly). */
export async function importGradesCsv(deps: { pool: Pool }, input: GradeCsvInput, log: Logger): Promise<GradeImportResult> {
  const { pool } = deps;
  const { source, season } = input;
  const override = typeof input.mapping === 'string' ? await readMappingFile(input.mapping) : input.mapping;
  // File-level problems (bad mapping, missing columns, broken quoting) throw here, before a batch is opened.
  const parsed = parseGradesCsv(input.csv, resolveMapping(source, override), season);
  const batchSource = GRADE_BATCH_SOURCE[source];
  const { rows: opened } = await pool.query<{ batch_id: number }>(
    `INSERT INTO ingest_batches (source, season, run_key) VALUES ($1, $2, $3)
     ON CONFLICT (run_key) DO UPDATE SET started_at = ingest_batches.started_at RETURNING batch_id`, [batchSource, season, input.runKey ?? null]);
  const batchId = opened[0]!.batch_id;

  const index = indexCandidates(await loadCandidates(pool, parsed.records.map((r) => surnameOf(normalizeName(r.name))), season));
  const entries: QuarantineEntry[] = parsed.rejects.map((r) => ({ entity: 'grade', reason: r.reason, payload: { season, line: r.line, row: r.raw, candidates: [] } }));
  const seen = new Map<string, number>();
  const matched: { rec: GradeRecord; playerId: number; confidence: number; method: string; checks: Checks }[] = [];
  for (const rec of parsed.records) {
    const key = `${normalizeName(rec.name)}|${rec.organization.toLowerCase()}`;
    const first = seen.get(key);
    const base = { season, line: rec.line, row: rec.raw };
    if (first !== undefined) {
      entries.push({ entity: 'grade', reason: `duplicate of the row on line ${first} (same name and organization)`, payload: { ...base, candidates: [] } });
      continue;
    }
    seen.set(key, rec.line);
    const m = matchPlayer(rec, index, season);
    if (m.status === 'matched') matched.push({ rec, playerId: m.playerId, confidence: m.confidence, method: m.method, checks: m.checks });
    else entries.push({ entity: 'grade', reason: `${m.status}: ${m.reason}`, payload: { ...base, candidates: m.considered } });
  }
  // One player cannot hold two places on one list: the weaker match of the two is the suspect one.
  const best = new Map<number, (typeof matched)[number]>();
  for (const m of [...matched].sort((a, b) => b.confidence - a.confidence || a.rec.line - b.rec.line)) {
    const holder = best.get(m.playerId);
    if (!holder) best.set(m.playerId, m);
    else {
      entries.push({ entity: 'grade', reason: `matched player ${m.playerId} (${m.confidence}), already matched by the row on line ${holder.rec.line} (${holder.confidence})`,
        payload: { season, line: m.rec.line, row: m.rec.raw, candidates: [{ playerId: m.playerId, confidence: m.confidence, checks: m.checks }] } });
    }
  }
  const loaded = [...best.values()].sort((a, b) => a.rec.line - b.rec.line);
  const quarantined = entries.length;
  let inconsistent = 0;
  for (const m of loaded) {
    const problems = disagreements(m.checks);
    if (problems.length === 0) continue;
    inconsistent++;
    entries.push({ entity: 'grade_inconsistency', reason: problems.join('; '),
      payload: { season, line: m.rec.line, row: m.rec.raw, playerId: m.playerId, confidence: m.confidence, method: m.method, checks: m.checks } });
  }
  if (parsed.rows !== loaded.length + quarantined) {
    throw new Error(`grade import accounting is off: ${parsed.rows} rows read but ${loaded.length} loaded + ${quarantined} quarantined`);
  }

  let changed = 0;
  let written = 0;
  await withTransaction(pool, async (client) => {
    changed = await insertRows(client, 'scouting_grades', GRADE_COLUMNS, loaded.map(({ rec, playerId, confidence }) => [
      source, season, playerId, confidence, rec.name, rec.organization, rec.position, rec.futureValue, rec.rank, rec.eta, toolsJson(rec),
    ]), GRADE_UPSERT);
    // A retried activity reuses its batch: its earlier entries are replaced, not repeated.
    await client.query('DELETE FROM quarantine WHERE batch_id = $1', [batchId]);
    const q = await client.query(QUARANTINE_SQL, [batchId, batchSource, entries.map((e) => e.entity), entries.map((e) => e.reason),
      entries.map((e) => JSON.stringify(e.payload))]);
    written = q.rowCount ?? 0;
    // Repeated rows are quarantined (they may disagree), never merged: duplicates_merged stays 0.
    await client.query(`UPDATE ingest_batches SET rows_fetched = $2, rows_loaded = $3, rows_quarantined = $4, duplicates_merged = 0,
      rows_new = $5, rows_flagged = $6, finished_at = now() WHERE batch_id = $1`, [batchId, parsed.rows, loaded.length, quarantined, changed, inconsistent]);
  });
  const result: GradeImportResult = { batchId, rows: parsed.rows, loaded: loaded.length, quarantined, inconsistent };
  log.info({ ...result, source, season, origin: input.origin, rowsNew: changed, quarantineEntriesWritten: written,
    missingOptionalColumns: parsed.missingOptional }, 'scouting grades imported');
  return result;
}

/** importGradesCsv on a file. */
export async function importGradesFile(deps: { pool: Pool }, input: GradeImportInput, log: Logger, runKey?: string): Promise<GradeImportResult> {
  const csv = await readFile(input.csvPath, 'utf8');
  return importGradesCsv(deps, { source: input.source, season: input.season, mapping: input.mapping, csv, origin: input.csvPath, runKey }, log);
}

export function createGradeImportActivities({ pool, log }: ActivityDeps) {
  return {
    async importGrades(input: GradeImportInput): Promise<GradeImportResult> {
      const info = Context.current().info;
      const runKey = `${info.workflowExecution?.workflowId}/${info.workflowExecution?.runId}/${info.activityId}`;
      try {
        return await importGradesFile({ pool }, input, activityLog(log), runKey);
      } catch (error) {
        // A wrong mapping or a broken file fails the same way on every retry.
        if (error instanceof MappingError || error instanceof CsvParseError) {
          throw ApplicationFailure.nonRetryable(error.message, error.name);
        }
        throw error;
      }
    },
  };
}
