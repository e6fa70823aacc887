/**
 * A FanGraphs or Baseball America CSV export → `scouting_grades` rows matched to MLBAM ids (with their confidence),
 * and everything that cannot be read or matched → `quarantine` with its reason. Idempotent per file. Needs no
 * Temporal: the importGrades activity and `bin/import-grades.ts` both call it.
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
import { gradeCandidates, upsertGrades } from '../../db/grades.ts';
import { openBatch, recordFinished } from '../../db/ingest-batches.ts';
import { replaceGradeQuarantine } from '../../db/quarantine.ts';
import { type Pool, withTransaction } from '../../lib/db.ts';
import type { Logger } from '../../lib/log.ts';
import { planGradeImport } from './grade-plan.ts';
import { parseGradesCsv, type GradeRecord } from './grades.ts';
import { readMappingFile, resolveMapping, type GradeSource, type MappingOverride } from './mapping.ts';
import { ORGANIZATION_LOOKBACK, indexCandidates, normalizeName, surnameOf } from './match.ts';

/** The ingest_batches.source of each board (what freshness monitoring watches). */
export const GRADE_BATCH_SOURCE: Record<GradeSource, string> = {
  fangraphs: 'fangraphs-csv',
  baseball_america: 'baseball-america-csv',
};

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
  runKey?: string | undefined;
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

function toolsJson(r: GradeRecord): string {
  // future_value is a 20-80 integer column, so FanGraphs' "45+" keeps its plus here.
  return JSON.stringify(r.futureValuePlus ? { ...r.tools, fvPlus: true } : r.tools);
}

/**
 * The import on CSV text. File-level problems (bad mapping, missing columns, broken quoting) throw MappingError or
 * CsvParseError before a batch is opened.
 */
export async function importGradesCsv(
  deps: { pool: Pool },
  input: GradeCsvInput,
  log: Logger,
): Promise<GradeImportResult> {
  const { pool } = deps;
  const { source, season } = input;
  const override = typeof input.mapping === 'string' ? await readMappingFile(input.mapping) : input.mapping;
  const parsed = parseGradesCsv(input.csv, resolveMapping(source, override), season);
  const batchSource = GRADE_BATCH_SOURCE[source];
  const batchId = await openBatch(pool, { source: batchSource, season, runKey: input.runKey ?? null });

  const surnames = parsed.records.map((r) => surnameOf(normalizeName(r.name)));
  const index = indexCandidates(await gradeCandidates(pool, surnames, season - ORGANIZATION_LOOKBACK, season));
  const { loaded, entries, quarantined, inconsistent } = planGradeImport(parsed, index, season);

  const { changed, written } = await withTransaction(pool, async (client) => {
    const changed = await upsertGrades(
      client,
      loaded.map(({ rec, playerId, confidence }) => ({
        source,
        season,
        playerId,
        matchConfidence: confidence,
        name: rec.name,
        organization: rec.organization,
        position: rec.position,
        futureValue: rec.futureValue,
        overallRank: rec.rank,
        eta: rec.eta,
        tools: toolsJson(rec),
      })),
    );
    // A retried activity reuses its batch: its earlier entries are replaced, not repeated.
    const written = await replaceGradeQuarantine(client, batchId, batchSource, entries);
    // Repeated rows are quarantined (they may disagree), never merged: duplicates_merged stays 0.
    await recordFinished(client, batchId, {
      rowsFetched: parsed.rows,
      rowsLoaded: loaded.length,
      rowsQuarantined: quarantined,
      duplicatesMerged: 0,
      rowsNew: changed,
      rowsFlagged: inconsistent,
    });
    return { changed, written };
  });
  const result: GradeImportResult = { batchId, rows: parsed.rows, loaded: loaded.length, quarantined, inconsistent };
  log.info(
    {
      ...result,
      source,
      season,
      origin: input.origin,
      rowsNew: changed,
      quarantineEntriesWritten: written,
      missingOptionalColumns: parsed.missingOptional,
    },
    'scouting grades imported',
  );
  return result;
}

/** importGradesCsv on a file. */
export async function importGradesFile(
  deps: { pool: Pool },
  input: GradeImportInput,
  log: Logger,
  runKey?: string,
): Promise<GradeImportResult> {
  const csv = await readFile(input.csvPath, 'utf8');
  return importGradesCsv(
    deps,
    { source: input.source, season: input.season, mapping: input.mapping, csv, origin: input.csvPath, runKey },
    log,
  );
}
