/**
 * What a load does with the circuit breaker's verdict (sources/validate/circuit-breaker.ts): the per-cell quarantine
 * shares go to the worker's Prometheus registry on every load; a breach raises an alert (log line
 * `alert: "quarantine-spike"`, gauge `afwd_quarantine_spike` = 1) and becomes a non-retryable `DataQualityBreach`
 * failure, since retrying cannot fix data: an operator must (`npm run quarantine`, README "Data-quality circuit breaker").
 */
import { ApplicationFailure, type MetricMeter } from '@temporalio/common';
import type { Config } from '../lib/config.ts';
import type { Logger } from '../lib/log.ts';
import { breachDetails, DATA_QUALITY_BREACH, type BatchRef } from '../sources/validate/breach-details.ts';
import type { QualityVerdict } from '../sources/validate/circuit-breaker.ts';
import { levelName } from '../sources/validate/rules.ts';

export {
  breachDetails,
  DATA_QUALITY_BREACH,
  type BatchRef,
  type BreachDetails,
} from '../sources/validate/breach-details.ts';

/** Metrics of every load, and the alert of a breach. `meter` is the activity's (Context.current().metricMeter). */
export function reportQuality(log: Logger, meter: MetricMeter | undefined, batch: BatchRef, v: QualityVerdict): void {
  if (meter) {
    const share = meter.createGauge(
      'afwd_quarantine_share',
      'float',
      '',
      "Share of a (season, level, group) cell's lines quarantined by its last load",
    );
    const spike = meter.createGauge(
      'afwd_quarantine_spike',
      'int',
      '',
      '1 when the last load of a season tripped the data-quality circuit breaker',
    );
    for (const c of v.cells) {
      share.set(c.rows === 0 ? 0 : c.quarantined / c.rows, {
        season: String(c.season),
        level: c.sportId === null ? 'unknown' : levelName(c.sportId),
        group: c.group,
      });
    }
    spike.set(v.breached ? 1 : 0, { season: String(batch.season) });
  }
  if (v.breached)
    log.warn({ alert: 'quarantine-spike', ...breachDetails(batch, v) }, v.message ?? 'data-quality breach');
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

export function qualityGate(
  thresholds: Config['dataQuality'],
  log: Logger,
  meter: () => MetricMeter | undefined,
): QualityGate {
  return { thresholds, report: (batch, v) => reportQuality(log, meter(), batch, v) };
}
