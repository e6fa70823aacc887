/**
 * Freshness monitoring: how old each source's last successful ingest is. A stale source raises an alert in the
 * logs (level warn, `alert: 'stale-data'`) and in the metrics (gauges `afwd_source_age_hours` and
 * `afwd_source_stale`, exported by the worker's Prometheus endpoint when METRICS_ADDRESS is set).
 */
import { Context } from '@temporalio/activity';
import type { Config } from '../lib/config.ts';
import type { Pool } from '../lib/db.ts';
import { assessFreshness, type SourceFreshness } from '../sources/validate/freshness.ts';
import { activityLog, type ActivityDeps } from './context.ts';

/** Longest a source may go without a successful ingest before it counts as stale, in hours. */
export function freshnessLimits(config: Config, now: Date): Record<string, number> {
  const month = now.getUTCMonth() + 1;
  const inSeason = month >= config.schedules.seasonMonths.first && month <= config.schedules.seasonMonths.last;
  return {
    // Daily in season; out of season nothing changes, so a monthly check-in is enough.
    'mlb-stats-api': inSeason ? 36 : 24 * 45,
    // Scouting boards are republished a few times a year.
    'fangraphs-csv': 24 * 200,
    'baseball-america-csv': 24 * 400,
  };
}

export async function sourceFreshness(pool: Pool, config: Config, now = new Date()): Promise<SourceFreshness[]> {
  const { rows } = await pool.query<{ source: string; last: Date }>(
    'SELECT source, max(finished_at) AS last FROM ingest_batches WHERE finished_at IS NOT NULL GROUP BY source',
  );
  return assessFreshness({ now, lastSuccess: new Map(rows.map((r) => [r.source, r.last])), maxAgeHours: freshnessLimits(config, now) });
}

export function createFreshnessActivities({ pool, config, log }: ActivityDeps) {
  return {
    async checkFreshness(): Promise<{ source: string; ageHours: number | null; stale: boolean }[]> {
      const alog = activityLog(log);
      const report = await sourceFreshness(pool, config);
      const meter = Context.current().metricMeter;
      const age = meter.createGauge('afwd_source_age_hours', 'float', 'h', 'Hours since the last successful ingest of a source');
      const stale = meter.createGauge('afwd_source_stale', 'int', '', '1 when a source is older than it may be');
      for (const r of report) {
        if (r.ageHours !== null) age.set(r.ageHours, { source: r.source });
        stale.set(r.stale ? 1 : 0, { source: r.source });
        if (r.stale) alog.warn({ alert: 'stale-data', source: r.source, ageHours: r.ageHours, maxAgeHours: r.maxAgeHours }, `stale data: ${r.source}`);
      }
      return report.map((r) => ({ source: r.source, ageHours: r.ageHours, stale: r.stale }));
    },
  };
}
