/**
 * How long each source may go without a successful ingest before it counts as stale (sources/validate/freshness.ts
 * judges against these). Pure: the clock is an argument.
 */
import type { Config } from '../../lib/config.ts';

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
