import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.ts';
import { freshnessLimits } from './freshness-limits.ts';

describe('freshnessLimits', () => {
  it('allows the stats source a day and a half in season and weeks out of season', () => {
    const config = loadConfig({ SEASON_MONTHS: '3-10' });
    expect(freshnessLimits(config, new Date('2026-06-01T12:00:00Z'))['mlb-stats-api']).toBe(36);
    expect(freshnessLimits(config, new Date('2026-12-01T12:00:00Z'))['mlb-stats-api']).toBe(24 * 45);
  });

  it('gives every source it knows a limit, the scouting boards months', () => {
    const limits = freshnessLimits(loadConfig({}), new Date('2026-06-01T12:00:00Z'));
    expect(Object.keys(limits).sort()).toEqual(['baseball-america-csv', 'fangraphs-csv', 'mlb-stats-api']);
    expect(limits['fangraphs-csv']).toBeGreaterThan(24 * 30);
  });
});
