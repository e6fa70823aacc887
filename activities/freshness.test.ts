import { Writable } from 'node:stream';
import { MockActivityEnvironment } from '@temporalio/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { createFreshnessActivities } from './freshness.ts';

describe('checkFreshness', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('alerts in the log when the last successful ingest of a source is too old', async () => {
    await db.pool.query(
      `INSERT INTO ingest_batches (source, season, started_at, finished_at) VALUES
       ('mlb-stats-api', 2026, now() - interval '90 days', now() - interval '90 days'),
       ('fangraphs-csv', 2026, now() - interval '2 days', now() - interval '2 days'),
       ('mlb-stats-api', 2026, now(), NULL)`,
    );
    const lines: Record<string, unknown>[] = [];
    const log = pino(
      { level: 'info' },
      new Writable({
        write: (chunk: Buffer, _e, done) => {
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          done();
        },
      }),
    );
    const config = loadConfig({});
    const activities = createFreshnessActivities({ pool: db.pool, config, log, mlbBaseUrl: 'http://127.0.0.1:1' });
    type Report = Awaited<ReturnType<typeof activities.checkFreshness>>;
    const report = await new MockActivityEnvironment().run<[], Report, () => Promise<Report>>(
      activities.checkFreshness.bind(activities),
    );
    const mlb = report.find((r) => r.source === 'mlb-stats-api');
    // An unfinished batch is not a success: the source is judged by the 90-day-old one.
    expect(mlb?.ageHours).toBeGreaterThan(24 * 89);
    expect(mlb?.stale).toBe(true);
    expect(report.find((r) => r.source === 'fangraphs-csv')?.stale).toBe(false);
    expect(report.find((r) => r.source === 'baseball-america-csv')).toMatchObject({ ageHours: null, stale: true });
    expect(
      lines
        .filter((l) => l.alert === 'stale-data')
        .map((l) => l.source)
        .sort(),
    ).toEqual(['baseball-america-csv', 'mlb-stats-api']);
  });
});
