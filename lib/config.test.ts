import { describe, expect, it } from 'vitest';
import { ConfigError, dataPaths, loadConfig } from './config.ts';

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
