/**
 * Freshness monitoring: how old each source's last successful ingest is. A stale source raises an alert in the
 * logs (level warn, `alert: 'stale-data'`) and in the metrics (gauges `afwd_source_age_hours` and
 * `afwd_source_stale`, exported by the worker's Prometheus endpoint when METRICS_ADDRESS is set).
 */
import { Context } from '@temporalio/activity';
import type { Config } from '../lib/config.ts';
import { lastSuccessBySource } from '../db/ingest-batches.ts';
import type { Queryable } from '../lib/db.ts';
import { freshnessLimits } from '../sources/validate/freshness-limits.ts';
import { assessFreshness, type SourceFreshness } from '../sources/validate/freshness.ts';
import { activityLog, type ActivityDeps } from './context.ts';

/** Each source's age and staleness now, judged against `freshnessLimits`. */
export async function sourceFreshness(pool: Queryable, config: Config, now = new Date()): Promise<SourceFreshness[]> {
  return assessFreshness({
    now,
    lastSuccess: await lastSuccessBySource(pool),
    maxAgeHours: freshnessLimits(config, now),
  });
}

export function createFreshnessActivities({ pool, config, log }: ActivityDeps) {
  return {
    async checkFreshness(): Promise<{ source: string; ageHours: number | null; stale: boolean }[]> {
      const alog = activityLog(log);
      const report = await sourceFreshness(pool, config);
      const meter = Context.current().metricMeter;
      const age = meter.createGauge(
        'afwd_source_age_hours',
        'float',
        'h',
        'Hours since the last successful ingest of a source',
      );
      const stale = meter.createGauge('afwd_source_stale', 'int', '', '1 when a source is older than it may be');
      for (const r of report) {
        if (r.ageHours !== null) age.set(r.ageHours, { source: r.source });
        stale.set(r.stale ? 1 : 0, { source: r.source });
        if (r.stale)
          alog.warn(
            { alert: 'stale-data', source: r.source, ageHours: r.ageHours, maxAgeHours: r.maxAgeHours },
            `stale data: ${r.source}`,
          );
      }
      return report.map((r) => ({ source: r.source, ageHours: r.ageHours, stale: r.stale }));
    },
  };
}
