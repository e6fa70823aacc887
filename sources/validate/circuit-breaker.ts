/**
 * The data-quality circuit breaker: judges one batch's quarantine before anything of it is loaded.
 *
 * Why: quarantining bad rows one by one is right for scattered faults and wrong for systematic ones. In a real run
 * one field was missing from every major-league pitching line; all 9,593 lines were quarantined one at a time, the
 * run "succeeded", and the model learned from a world without major-league pitchers. A systematic fault shows as a
 * quarantine RATE: most of a (season, level, group) cell, or much of the whole batch. Either trips the breaker, and
 * the caller then loads nothing of the batch.
 *
 * Pure: the caller tallies one outcome per season line (loaded, or quarantined with its cause) and asks for a verdict.
 */
import { levelOfSport, SPORT_IDS, type StatGroup } from '../../lib/domain.ts';
import { describeCause, type RejectCause } from './reject-cause.ts';

export interface BreakerThresholds {
  /**
   * A cell is judged only from this many lines: a couple of broken lines in a 10-line cell are noise. The sample
   * injects at most 4 broken lines per season and group, which can never exceed 20% of a 30-line cell.
   */
  cellMinRows: number;
  /** A cell with at least cellMinRows lines trips when MORE than this share (0-1) of them is quarantined. */
  cellMaxShare: number;
  /** The batch as a whole is judged only from this many lines. */
  batchMinRows: number;
  /** The batch trips when MORE than this share (0-1) of all its lines is quarantined. */
  batchMaxShare: number;
}

/**
 * Real 2000-2011 lines quarantine at most 1% of any cell (measured over ../shared/realdata); the sample injects a
 * fixed handful of broken lines per season, 0.1% of a full-scale season but up to 6% of one at the tests' scale 0.02.
 * A systematic fault quarantines most of a cell. The limits sit well clear of both.
 */
export const DEFAULT_BREAKER_THRESHOLDS: BreakerThresholds = {
  cellMinRows: 30,
  cellMaxShare: 0.2,
  batchMinRows: 100,
  batchMaxShare: 0.1,
};

export interface CellKey {
  season: number;
  /** Null when the line's level could not be read (a split without sport.id). */
  sportId: number | null;
  group: StatGroup;
}

/** One season line of the batch: loaded (cause null) or quarantined with its cause. */
export interface LineOutcome extends CellKey {
  cause: RejectCause | null;
}

export interface CauseCount extends RejectCause {
  count: number;
}

export interface CellTally extends CellKey {
  rows: number;
  quarantined: number;
  /** Causes of its quarantined lines, most frequent first. */
  causes: CauseCount[];
}

/** A stats response that stayed broken after retries: its lines are missing, in unknown number. */
export interface LostResponse {
  url: string;
  reason: string;
}

export interface CellVerdict extends CellTally {
  share: number;
  tripped: boolean;
}

export interface QualityVerdict {
  breached: boolean;
  rows: number;
  quarantined: number;
  share: number;
  batchTripped: boolean;
  /** Stats responses lost after retries; any one trips the breaker, since a lost page hides up to 2,000 lines. */
  lostResponses: LostResponse[];
  /**
   * Cells the batch should hold (expectedCells) that have no line at all, not even a quarantined one: data missing
   * altogether, which no quarantine share can show. Any one trips the breaker.
   */
  emptyCells: CellKey[];
  /** Every cell, tripped ones first, then by quarantined lines. */
  cells: CellVerdict[];
  thresholds: BreakerThresholds;
  /** Why the breaker tripped, naming cells, counts, field and reason; null when it did not. */
  message: string | null;
}

const cellKey = (c: CellKey) => `${c.season}:${c.sportId ?? '?'}:${c.group}`;
const causeKey = (c: RejectCause) => `${c.rule}\u0000${c.field ?? ''}`;

/** Lines and quarantined lines per (season, level, group), with their causes counted. */
export function tallyOutcomes(outcomes: Iterable<LineOutcome>): CellTally[] {
  const cells = new Map<string, CellTally & { byCause: Map<string, CauseCount> }>();
  for (const o of outcomes) {
    const key = cellKey(o);
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        season: o.season,
        sportId: o.sportId,
        group: o.group,
        rows: 0,
        quarantined: 0,
        causes: [],
        byCause: new Map(),
      };
      cells.set(key, cell);
    }
    cell.rows += 1;
    if (o.cause === null) continue;
    cell.quarantined += 1;
    const ck = causeKey(o.cause);
    const count = cell.byCause.get(ck);
    if (count) count.count += 1;
    else cell.byCause.set(ck, { field: o.cause.field, rule: o.cause.rule, count: 1 });
  }
  return [...cells.values()].map(({ byCause, ...cell }) => ({
    ...cell,
    causes: [...byCause.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule)),
  }));
}

/** Whether the thresholds are usable: shares in [0, 1], row minimums non-negative integers. Throws naming the bad one. */
export function assertThresholds(t: BreakerThresholds): void {
  for (const k of ['cellMaxShare', 'batchMaxShare'] as const) {
    if (!(t[k] >= 0 && t[k] <= 1))
      throw new RangeError(`breaker threshold ${k} must be a share from 0 to 1, got ${t[k]}`);
  }
  for (const k of ['cellMinRows', 'batchMinRows'] as const) {
    if (!Number.isInteger(t[k]) || t[k] < 0)
      throw new RangeError(`breaker threshold ${k} must be a non-negative integer, got ${t[k]}`);
  }
}

const GROUPS: readonly StatGroup[] = ['hitting', 'pitching'];

/**
 * The cells a season load that is not MLB-only must hold: MLB hitting and MLB pitching (the outcomes every label is
 * built from), and for every minor level with lines in one group, the other group too (a level's batters and its
 * pitchers come together). A level absent from both groups is not expected: it may not have been asked for or may
 * not have played (2020).
 */
export function expectedCells(season: number, cells: readonly CellKey[]): CellKey[] {
  const out: CellKey[] = GROUPS.map((group) => ({ season, sportId: SPORT_IDS.MLB, group }));
  const minors = new Set<number>();
  for (const c of cells)
    if (c.season === season && c.sportId !== null && c.sportId !== SPORT_IDS.MLB) minors.add(c.sportId);
  for (const sportId of [...minors].sort((a, b) => a - b))
    for (const group of GROUPS) out.push({ season, sportId, group });
  return out;
}

export function judgeQuality(
  cells: readonly CellTally[],
  thresholds: BreakerThresholds = DEFAULT_BREAKER_THRESHOLDS,
  lostResponses: readonly LostResponse[] = [],
  /** Cells that must hold lines (expectedCells); one without any line trips the breaker. */
  expected: readonly CellKey[] = [],
): QualityVerdict {
  assertThresholds(thresholds);
  const present = new Set(cells.filter((c) => c.rows > 0).map(cellKey));
  const emptyCells = [
    ...new Map(
      expected
        .filter((c) => !present.has(cellKey(c)))
        .map((c) => [cellKey(c), { season: c.season, sportId: c.sportId, group: c.group }]),
    ).values(),
  ];
  let rows = 0;
  let quarantined = 0;
  const judged: CellVerdict[] = cells.map((c) => {
    rows += c.rows;
    quarantined += c.quarantined;
    const share = c.rows === 0 ? 0 : c.quarantined / c.rows;
    return { ...c, share, tripped: c.rows >= thresholds.cellMinRows && share > thresholds.cellMaxShare };
  });
  judged.sort(
    (a, b) =>
      Number(b.tripped) - Number(a.tripped) || b.quarantined - a.quarantined || cellKey(a).localeCompare(cellKey(b)),
  );
  const share = rows === 0 ? 0 : quarantined / rows;
  const batchTripped = rows >= thresholds.batchMinRows && share > thresholds.batchMaxShare;
  const breached = batchTripped || judged.some((c) => c.tripped) || lostResponses.length > 0 || emptyCells.length > 0;
  const verdict: QualityVerdict = {
    breached,
    rows,
    quarantined,
    share,
    batchTripped,
    lostResponses: [...lostResponses],
    emptyCells,
    cells: judged,
    thresholds,
    message: null,
  };
  return breached ? { ...verdict, message: breachMessage(verdict) } : verdict;
}

const count = (n: number) => n.toLocaleString('en-US');
const percent = (share: number) => `${(100 * share).toFixed(share >= 0.1 || share === 0 ? 0 : 1)}%`;

/** "2006 MLB pitching" */
export function describeCell(c: CellKey): string {
  const level = c.sportId === null ? 'unknown level' : (levelOfSport(c.sportId) ?? `sport ${c.sportId}`);
  return `${c.season} ${level} ${c.group}`;
}

/** "2006 MLB pitching: 9,593 of 9,593 rows quarantined (100%), dominant reason: missing field stat.battersFaced" */
export function describeCellVerdict(c: CellTally): string {
  const share = c.rows === 0 ? 0 : c.quarantined / c.rows;
  const top = c.causes[0];
  const dominant = top
    ? `, dominant reason: ${describeCause(top)}${top.count < c.quarantined ? ` (${count(top.count)} rows)` : ''}`
    : '';
  return `${describeCell(c)}: ${count(c.quarantined)} of ${count(c.rows)} rows quarantined (${percent(share)})${dominant}`;
}

/** How many cells a message lists before it says how many more tripped. */
export const MAX_CELLS_IN_MESSAGE = 5;

function breachMessage(v: QualityVerdict): string {
  const t = v.thresholds;
  const tripped = v.cells.filter((c) => c.tripped);
  // When only the batch tripped, its worst cells show where the quarantine came from.
  const shown = (tripped.length > 0 ? tripped : v.cells.filter((c) => c.quarantined > 0)).slice(
    0,
    MAX_CELLS_IN_MESSAGE,
  );
  const rest = (tripped.length > 0 ? tripped.length : 0) - shown.length;
  const parts = shown.map(describeCellVerdict);
  if (rest > 0) parts.push(`and ${rest} more cells`);
  // Data missing altogether comes first: "2016 MLB pitching: no lines at all".
  parts.unshift(...v.emptyCells.map((c) => `${describeCell(c)}: no lines at all`));
  if (v.lostResponses.length > 0) {
    const [first] = v.lostResponses;
    parts.unshift(
      `${count(v.lostResponses.length)} stats response${v.lostResponses.length === 1 ? '' : 's'} lost after retries, so their lines are missing` +
        (first ? ` (${first.url}: ${first.reason})` : ''),
    );
  }
  const batch = `batch: ${count(v.quarantined)} of ${count(v.rows)} rows quarantined (${percent(v.share)})`;
  const limits = `limits: a cell of >= ${count(t.cellMinRows)} rows over ${percent(t.cellMaxShare)}, the batch over ${percent(t.batchMaxShare)}`;
  return `data-quality breach: ${parts.join('; ')}; ${batch}; ${limits}`;
}
