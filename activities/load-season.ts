/**
 * Loading one batch from the landing zone: shape checks and parsing (sources/validate/batch-responses.ts),
 * validation, the circuit breaker, then bulk upserts keyed by natural keys (db/) in one transaction. Rejected rows go to quarantine with their reason; nothing is dropped without a count:
 * rows fetched = loaded + quarantined + duplicates merged.
 */
import { recordBioVersions } from '../db/bio-versions.ts';
import { recordBreached, recordLoaded, type BatchAccounting } from '../db/ingest-batches.ts';
import { batchResponses } from '../db/landing-zone.ts';
import { organizationIds, upsertAffiliates, upsertOrganizations } from '../db/organizations.ts';
import { forgetBirthDates, storedBios, upsertDraftPicks, upsertPlayers } from '../db/players.ts';
import { lostResponses, recordPlayerFlags, replaceBatchQuarantine, type QuarantineRow } from '../db/quarantine.ts';
import { seasonSpans, upsertSeasonLines } from '../db/season-lines.ts';
import type { PlayerBio } from '../lib/domain.ts';
import { type Pool, type PoolClient, withTransaction } from '../lib/db.ts';
import {
  asksForMinors,
  isStatsUrl,
  parseBatchResponses,
  type BatchReject,
} from '../sources/validate/batch-responses.ts';
import { screenBirthDates } from '../sources/validate/birth-dates.ts';
import {
  DEFAULT_BREAKER_THRESHOLDS,
  expectedCells,
  judgeQuality,
  tallyOutcomes,
  type LineOutcome,
  type QualityVerdict,
} from '../sources/validate/circuit-breaker.ts';
import { causeOfRule } from '../sources/validate/reject-cause.ts';
import { validateSeasonLines } from '../sources/validate/season-lines.ts';
import { dataQualityBreach, type QualityGate } from './data-quality.ts';

/** Where the batch's lines went (rowsNew is 0 when the same data is loaded again), and what it cost. */
export interface LoadResult extends BatchAccounting {
  batchId: number;
  season: number;
  players: number;
  /** Time spent writing the batch (one transaction), for the load-throughput figure. */
  writeMs: number;
}

const NO_GATE: QualityGate = { thresholds: DEFAULT_BREAKER_THRESHOLDS, report: () => {} };

export async function loadBatch(
  pool: Pool,
  input: { batchId: number; season: number },
  source: string,
  progress: (phase: string) => void = () => {},
  gate: QualityGate = NO_GATE,
  /** Aborts the write transaction, COPY streams included (the activity's cancellation signal). */
  signal?: AbortSignal,
): Promise<LoadResult> {
  const { batchId, season } = input;
  progress('reading');
  const {
    hitting,
    pitching,
    bios,
    teams: orgs,
    picks,
    rejects,
    shapeRejected,
    minorsAsked: statsAskedMinors,
  } = parseBatchResponses(await batchResponses(pool, batchId), season);
  // Minor levels the batch's stats requests asked for: none in an MLB-only season (or a bio refresh, which has none).
  let minorsAsked = statsAskedMinors;
  const parsed = [...hitting.lines, ...pitching.lines];

  progress('validating');
  // Ages are checked against every bio we know, not only those fetched in this batch.
  const bioMap = new Map<number, PlayerBio>();
  for (const b of await storedBios(pool, [...new Set(parsed.map((l) => l.playerId))])) bioMap.set(b.playerId, b);
  for (const b of bios) bioMap.set(b.playerId, b);
  // A fetched bio is judged against the seasons its player already has loaded too: a bio refresh brings no lines, and
  // must not write back a birth date an earlier load found impossible.
  const storedSeasons = await seasonSpans(pool, [...new Set(bios.map((b) => b.playerId))]);
  // A placeholder birth date becomes unknown before the age rules see it: the bio is wrong, not the season line.
  const screened = screenBirthDates(bioMap, parsed, storedSeasons);
  const validation = validateSeasonLines({ season, lines: parsed, bios: screened.bios });
  for (const r of validation.rejects) {
    rejects.push({
      entity: 'season_line',
      reason: r.reason,
      raw: r.raw,
      cell: { season: r.raw.season, sportId: r.raw.sportId, group: r.raw.group },
      cause: causeOfRule(r.rule),
    });
  }
  const lines = validation.accepted;

  const lineRejects = rejects.filter((r) => r.entity === 'season_line').length;
  const result: LoadResult = {
    batchId,
    season,
    rowsFetched: hitting.summary.splits + pitching.summary.splits + shapeRejected,
    rowsLoaded: lines.length,
    rowsQuarantined: lineRejects,
    duplicatesMerged:
      hitting.summary.duplicates +
      hitting.summary.superseded +
      pitching.summary.duplicates +
      pitching.summary.superseded,
    rowsNew: 0,
    rowsFlagged: validation.flags.length,
    players: bios.length,
    writeMs: 0,
  };

  // The circuit breaker judges the batch before anything of it is written.
  const outcomes: LineOutcome[] = lines.map((l) => ({
    season: l.season,
    sportId: l.sportId,
    group: l.group,
    cause: null,
  }));
  for (const r of rejects) if (r.cell && r.cause) outcomes.push({ ...r.cell, cause: r.cause });
  // A stats page that stayed broken after retries was quarantined by fetchSeason; its lines are simply absent here.
  const lost = await lostResponses(pool, batchId);
  const lostStats = lost.filter((r) => typeof r.url === 'string' && isStatsUrl(r.url));
  const cells = tallyOutcomes(outcomes);
  // A season load that asked for the minors must hold MLB hitting and pitching, and both groups of every minor level
  // it has lines of: a cell with no line at all (the source sent none) is data missing in unknown number.
  minorsAsked ||= lostStats.some((r) => asksForMinors(r.url));
  const expected = minorsAsked
    ? expectedCells(
        season,
        cells.filter((c) => c.rows > 0),
      )
    : [];
  const verdict = judgeQuality(cells, gate.thresholds, lostStats, expected);
  gate.report({ batchId, season }, verdict);
  if (verdict.breached) {
    progress('breached');
    await recordBreach(pool, result, source, rejects, verdict);
    throw dataQualityBreach({ batchId, season }, verdict);
  }

  progress('writing');
  const writeStarted = performance.now();
  await withTransaction(
    pool,
    async (client) => {
      await upsertOrganizations(
        client,
        orgs.flatMap((o) => o.organizations),
      );
      await upsertAffiliates(
        client,
        orgs.flatMap((o) => o.affiliates),
        await organizationIds(client),
      );
      await upsertPlayers(
        client,
        bios.map((b) => screened.bios.get(b.playerId) ?? b),
      );
      // A stored birth date that this season's lines show to be impossible (a later season loaded first) is unknown too.
      const fetched = new Set(bios.map((b) => b.playerId));
      const storedBad = screened.flags.filter((f) => !fetched.has(f.playerId)).map((f) => f.playerId);
      await forgetBirthDates(client, storedBad);
      await recordBioVersions(
        client,
        batchId,
        bios.map((b) => screened.bios.get(b.playerId) ?? b),
        { unknownBirthDates: storedBad },
      );
      await recordPlayerFlags(
        client,
        batchId,
        source,
        screened.flags.map((f) => ({
          playerId: f.playerId,
          rule: f.rule,
          detail: f.detail,
          value: { birthDate: f.birthDate },
        })),
      );
      result.rowsNew = await upsertSeasonLines(client, lines, source, batchId);
      await upsertDraftPicks(client, picks);
      await replaceQuarantine(client, batchId, source, rejects);
      // What this load returns is recorded with finished_at in the same transaction, so a retry after a crash past the
      // COMMIT finds it (activities/attempt-fence.ts, finishedLoad); its writeMs runs to here, before the COMMIT.
      result.writeMs = Math.round(performance.now() - writeStarted);
      await recordLoaded(client, batchId, result, storedVerdict(verdict), result);
    },
    { signal },
  );
  result.writeMs = Math.round(performance.now() - writeStarted);
  return result;
}

/** Re-loading a batch replaces its row-level quarantine entries instead of duplicating them. */
async function replaceQuarantine(
  client: PoolClient,
  batchId: number,
  source: string,
  rejects: readonly BatchReject[],
): Promise<void> {
  const rows: QuarantineRow[] = rejects.map((r) => ({
    entity: r.entity,
    reason: r.reason,
    raw: r.raw,
    season: r.cell?.season,
    sportId: r.cell?.sportId,
    group: r.cell?.group,
    field: r.cause?.field,
    rule: r.cause?.rule,
  }));
  await replaceBatchQuarantine(client, batchId, source, rows);
}

/** The verdict as stored on the batch: every cell with its counts and its three main causes. */
function storedVerdict(v: QualityVerdict): QualityVerdict {
  return { ...v, cells: v.cells.map((c) => ({ ...c, causes: c.causes.slice(0, 3) })) };
}

/**
 * A breached batch loads nothing (no lines, bios, teams or picks), keeps its quarantine for the operator, and is
 * marked 'breached' with the verdict; finished_at stays NULL, so it counts as no successful ingest.
 */
async function recordBreach(
  pool: Pool,
  result: LoadResult,
  source: string,
  rejects: readonly BatchReject[],
  verdict: QualityVerdict,
): Promise<void> {
  await withTransaction(pool, async (client) => {
    await replaceQuarantine(client, result.batchId, source, rejects);
    // rows_loaded stays 0: the lines that passed were not written either.
    await recordBreached(client, result.batchId, result, storedVerdict(verdict));
  });
}
