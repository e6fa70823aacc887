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
    expect(() => loadConfig({ SITE_PORT: '0', SAMPLE_SCALE: '2' })).toThrow(
      /SITE_PORT.*SAMPLE_SCALE|SAMPLE_SCALE.*SITE_PORT/,
    );
  });

  it('rejects a season range that runs backwards', () => {
    expect(() => loadConfig({ SAMPLE_FROM_SEASON: '2020', SAMPLE_TO_SEASON: '2012' })).toThrow(
      /SAMPLE_FROM_SEASON \(2020\) is after/,
    );
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

describe('OpenTelemetry settings', () => {
  it('exports nowhere by default, to ENDPOINT/v1/traces, or to the traces endpoint as given', () => {
    expect(loadConfig({}).tracing).toEqual({ otlpTracesUrl: undefined, otlpHeaders: {}, serviceName: undefined });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing.otlpTracesUrl).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example.com/api/traces',
      }).tracing.otlpTracesUrl,
    ).toBe('https://otlp.example.com/api/traces');
  });

  it('reads the export headers, percent-decoded, and the service name', () => {
    const { tracing } = loadConfig({
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D%3D, x-team=ops',
      OTEL_SERVICE_NAME: 'afwd-api-eu',
    });
    expect(tracing.otlpHeaders).toEqual({ 'x-api-key': 'abc==', 'x-team': 'ops' });
    expect(tracing.serviceName).toBe('afwd-api-eu');
  });

  it('rejects an endpoint that is not http(s) and malformed headers, by name', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318": must be an http\(s\) URL/,
    );
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' })).toThrow(
      /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/,
    );
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'just-a-key' })).toThrow(
      /OTEL_EXPORTER_OTLP_HEADERS="just-a-key": must look like key=value/,
    );
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'k=%zz' })).toThrow(
      /OTEL_EXPORTER_OTLP_HEADERS: the value of k is not valid percent-encoding/,
    );
  });
});
