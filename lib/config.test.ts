import { describe, expect, it } from 'vitest';
import { ConfigError, dataPaths, loadConfig } from './config.ts';
import { regularSeasonEnd } from './season-calendar.ts';

describe('loadConfig', () => {
  it('fills every setting with its documented default', () => {
    const config = loadConfig({});
    expect(config.temporal.address).toBe('127.0.0.1:7233');
    expect(config.temporal.uiPort).toBe(8233);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.mlb.baseUrl).toBeUndefined();
    expect(config.sample).toMatchObject({ fromSeason: 2010, toSeason: 2026 });
    expect(dataPaths(config).postgres.endsWith('.data/postgres')).toBe(true);
  });

  it('rejects a malformed setting with its name and value', () => {
    expect(() => loadConfig({ EMBEDDED_PG_PORT: 'fifty' })).toThrow(ConfigError);
    expect(() => loadConfig({ EMBEDDED_PG_PORT: 'fifty' })).toThrow(/EMBEDDED_PG_PORT="fifty"/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'localhost' })).toThrow(/TEMPORAL_ADDRESS.*host:port/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('names every bad setting at once', () => {
    expect(() => loadConfig({ SITE_PORT: '0', SAMPLE_SCALE: '2' })).toThrow(/SITE_PORT.*SAMPLE_SCALE|SAMPLE_SCALE.*SITE_PORT/);
  });

  it('rejects a season range that runs backwards', () => {
    expect(() => loadConfig({ SAMPLE_FROM_SEASON: '2020', SAMPLE_TO_SEASON: '2012' })).toThrow(/SAMPLE_FROM_SEASON \(2020\) is after/);
  });

  it('treats an empty optional setting as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', MLB_STATS_API_URL: ' ' }).databaseUrl).toBeUndefined();
  });
});

describe('season calendar settings', () => {
  it('defaults to a regular season ending a week into October, and reads per-season end dates', () => {
    expect(regularSeasonEnd(2031, loadConfig({}).seasonCalendar)).toBe('2031-10-07');
    const config = loadConfig({ REGULAR_SEASON_END: '09-30', REGULAR_SEASON_END_DATES: '2022-10-05' });
    expect(regularSeasonEnd(2022, config.seasonCalendar)).toBe('2022-10-05');
    expect(regularSeasonEnd(2023, config.seasonCalendar)).toBe('2023-09-30');
  });

  it('names a malformed end date', () => {
    expect(() => loadConfig({ REGULAR_SEASON_END: '10/01' })).toThrow(/REGULAR_SEASON_END="10\/01".*not a month-day/);
    expect(() => loadConfig({ REGULAR_SEASON_END_DATES: '2022-02-30' })).toThrow(/"2022-02-30" is not a date/);
  });
});
