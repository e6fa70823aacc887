/**
 * What a load does with the circuit breaker's verdict (sources/validate/circuit-breaker.ts): the per-cell quarantine
 * shares go to the worker's Prometheus registry on every load; a breach raises an alert (log line
 * `alert: "quarantine-spike"`, gauge `afwd_quarantine_spike` = 1) and becomes a non-retryable `DataQualityBreach`
 * failure, since retrying cannot fix data: an operator must (`npm run quarantine`, README "Data-quality circuit breaker").
 */
import { ApplicationFailure, type MetricMeter } from '@temporalio/common';
import type { Config } from '../lib/config.ts';
import type { Logger } from '../lib/log.ts';
import { describeCell, type QualityVerdict } from '../sources/validate/circuit-breaker.ts';
import { describeCause } from '../sources/validate/reject-cause.ts';
import { levelName } from '../sources/validate/rules.ts';

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

export function breachDetails(batch: BatchRef, v: QualityVerdict): BreachDetails {
  return {
    ...batch, rows: v.rows, quarantined: v.quarantined, lostResponses: v.lostResponses.map((r) => r.url),
    emptyCells: v.emptyCells.map(describeCell),
    cells: v.cells.filter((c) => c.quarantined > 0).map((c) => ({
      cell: describeCell(c), rows: c.rows, quarantined: c.quarantined, dominant: c.causes[0] ? describeCause(c.causes[0]) : null, tripped: c.tripped,
    })),
  };
}

/** Metrics of every load, and the alert of a breach. `meter` is the activity's (Context.current().metricMeter). */
export function reportQuality(log: Logger, meter: MetricMeter | undefined, batch: BatchRef, v: QualityVerdict): void {
  if (meter) {
    const share = meter.createGauge('afwd_quarantine_share', 'float', '', 'Share of a (season, level, group) cell\'s lines quarantined by its last load');
    const spike = meter.createGauge('afwd_quarantine_spike', 'int', '', '1 when the last load of a season tripped the data-quality circuit breaker');
    for (const c of v.cells) {
      share.set(c.rows === 0 ? 0 : c.quarantined / c.rows, { season: String(c.season), level: c.sportId === null ? 'unknown' : levelName(c.sportId), group: c.group });
    }
    spike.set(v.breached ? 1 : 0, { season: String(batch.season) });
  }
  if (v.breached) log.warn({ alert: 'quarantine-spike', ...breachDetails(batch, v) }, v.message ?? 'data-quality breach');
}

/** The non-retryable failure of a breached batch; its message says which cells, field and reason. */
export function dataQualityBreach(batch: BatchRef, v: QualityVerdict): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `season ${batch.season}, batch ${batch.batchId}: ${v.message ?? 'data-quality breach'}. Nothing of this batch was loaded; inspect with: npm run quarantine -- --batch ${batch.batchId}`,
    DATA_QUALITY_BREACH,
    breachDetails(batch, v),
  );
}

/** What loadBatch needs to judge a batch: the thresholds, and where its verdict is reported. */
export interface QualityGate {
  thresholds: Config['dataQuality'];
  report: (batch: BatchRef, v: QualityVerdict) => void;
}

export function qualityGate(thresholds: Config['dataQuality'], log: Logger, meter: () => MetricMeter | undefined): QualityGate {
  return { thresholds, report: (batch, v) => reportQuality(log, meter(), batch, v) };
}
