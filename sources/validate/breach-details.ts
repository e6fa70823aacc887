/**
 * The circuit breaker's breach as operators and workflows see it: the failure type they match on, and the summary
 * a breach carries in its failure details (which cells, how many rows, the dominant cause). Pure.
 */
import { describeCell, type QualityVerdict } from './circuit-breaker.ts';
import { describeCause } from './reject-cause.ts';

/** The failure type workflows and operators match on. */
export const DATA_QUALITY_BREACH = 'DataQualityBreach';

export interface BatchRef {
  batchId: number;
  season: number;
}

/** What a breach carries in its failure details: enough to find the quarantine without parsing the message. */
export interface BreachDetails extends BatchRef {
  rows: number;
  quarantined: number;
  /** URLs of stats responses lost after retries. */
  lostResponses: string[];
  /** Expected cells with no line at all ("2016 MLB pitching"). */
  emptyCells: string[];
  cells: { cell: string; rows: number; quarantined: number; dominant: string | null; tripped: boolean }[];
}

/** The summary of a verdict: cells with quarantined lines only, each with its dominant cause. */
export function breachDetails(batch: BatchRef, v: QualityVerdict): BreachDetails {
  return {
    ...batch,
    rows: v.rows,
    quarantined: v.quarantined,
    lostResponses: v.lostResponses.map((r) => r.url),
    emptyCells: v.emptyCells.map(describeCell),
    cells: v.cells
      .filter((c) => c.quarantined > 0)
      .map((c) => ({
        cell: describeCell(c),
        rows: c.rows,
        quarantined: c.quarantined,
        dominant: c.causes[0] ? describeCause(c.causes[0]) : null,
        tripped: c.tripped,
      })),
  };
}
