/**
 * The monitoring gauges against a real database and a fresh prom-client Registry: absent before any monitoring,
 * the newest day's figures after, the PSI rise since the serving model's first measured day (0 on that day), live
 * calibration and AUC only when measured, the newest day's age, and a slow database read cut off on the server
 * (its connection back in the pool) and logged while the scrape still answers.
 */
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceMonitoringDay, type LiveCalibrationRecord, type MonitoringDayRecord } from '../db/monitoring.ts';
import { withTransaction } from '../lib/db.ts';
import { createScrapeReads } from '../infra/scrape-reads.ts';
import { createLogger } from '../lib/log.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { registerMonitoringGauges } from './metrics.ts';

type Sample = { labels: Record<string, string | number>; value: number };

async function scrape(registry: Registry): Promise<Map<string, Sample[]>> {
  const metrics = await registry.getMetricsAsJSON();
  return new Map(metrics.map((m) => [m.name, (m as unknown as { values: Sample[] }).values]));
}

const drift = (feature: string, psi: number) => ({
  feature,
  psi,
  binning: 'quantile' as const,
  trainingMissing: 0,
  scoringMissing: 0,
  bins: [],
});
const notYet: LiveCalibrationRecord = {
  modelVersion: 'm1',
  serving: true,
  status: 'not-enough-data',
  reason: '12 known outcomes; live calibration needs at least 50',
  outcomes: 12,
  positives: 1,
  asOfSeasons: [2016],
  ece: null,
  brier: null,
  auc: null,
  reliability: null,
};

function day(date: string, overrides: Partial<MonitoringDayRecord> = {}): MonitoringDayRecord {
  return {
    day: date,
    modelVersion: 'm1',
    predictionRunId: `pr-${date}`,
    featureSnapshotId: 'fs',
    trainingSnapshotId: 'fs',
    trainingRows: 900,
    scoringRows: 300,
    driftStatus: 'measured',
    driftReason: null,
    drift: [drift('age', 0.31), drift('draft_pick', 0.02)],
    calibration: [notYet],
    ...overrides,
  };
}

describe('registerMonitoringGauges', () => {
  let db: TestDatabase;
  const warnings: { msg: string; metric?: string }[] = [];
  const log = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          const entry = JSON.parse(line) as { level: number; msg: string; metric?: string };
          if (entry.level === 40) warnings.push(entry);
        }
        done();
      },
    }),
  });
  const write = (record: MonitoringDayRecord) =>
    withTransaction(db.pool, (client) => replaceMonitoringDay(client, record));
  const gauges = () => {
    const registry = new Registry();
    registerMonitoringGauges(createScrapeReads({ registry, pool: db.pool, log, timeoutMs: 300 }));
    return registry;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(
      `INSERT INTO feature_snapshots (snapshot_id, as_of_seasons, feature_names, row_count, arrow_path) VALUES ('fs', '{2020}', '{age}', 0, '/fs.arrow')`,
    );
    await db.pool
      .query(`INSERT INTO models (model_version, algorithm, params, feature_names, snapshot_id, artifact_path)
                         VALUES ('m1', 'xgboost', '{}', '{age}', 'fs', '/m1'), ('m0', 'xgboost', '{}', '{age}', 'fs', '/m0')`);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('exports no figure before any day was monitored', async () => {
    const samples = await scrape(gauges());
    for (const name of [
      'afwd_feature_psi',
      'afwd_feature_psi_max',
      'afwd_feature_psi_rise',
      'afwd_feature_psi_rise_max',
      'afwd_live_calibration_error',
      'afwd_live_calibration_outcomes',
      'afwd_live_auc',
      'afwd_monitoring_age_seconds',
    ]) {
      expect(samples.get(name), name).toEqual([]);
    }
    const text = await gauges().metrics();
    expect(text).toContain('# TYPE afwd_feature_psi_max gauge');
    expect(text).not.toMatch(/^afwd_feature_psi_max /m);
  });

  it("exports the newest day's PSI per feature and the outcome count, without a calibration error until it is measured", async () => {
    await write(day('2026-07-14', { drift: [drift('age', 0.5)] }));
    await write(day('2026-07-15'));
    const samples = await scrape(gauges());
    expect(samples.get('afwd_feature_psi')).toEqual(
      expect.arrayContaining([
        { labels: { feature: 'age' }, value: 0.31 },
        { labels: { feature: 'draft_pick' }, value: 0.02 },
      ]),
    );
    expect(samples.get('afwd_feature_psi')).toHaveLength(2);
    expect(samples.get('afwd_feature_psi_max')).toEqual([{ labels: {}, value: 0.31 }]);
    // m1's baseline is 07-14, which measured age only: age fell by 0.19, draft_pick rose by its whole PSI.
    const rise = new Map(samples.get('afwd_feature_psi_rise')!.map((s) => [s.labels.feature, s.value]));
    expect([...rise.keys()].sort()).toEqual(['age', 'draft_pick']);
    expect(rise.get('age')).toBeCloseTo(-0.19, 12);
    expect(rise.get('draft_pick')).toBe(0.02);
    expect(samples.get('afwd_feature_psi_rise_max')).toEqual([{ labels: {}, value: 0.02 }]);
    expect(samples.get('afwd_live_calibration_outcomes')).toEqual([{ labels: {}, value: 12 }]);
    expect(samples.get('afwd_live_calibration_error')).toEqual([]);
    expect(samples.get('afwd_live_auc')).toEqual([]);
  });

  it("exports the serving model's live calibration, and the AUC only with both outcomes present", async () => {
    const measured = (auc: number | null): LiveCalibrationRecord => ({
      ...notYet,
      status: 'measured',
      reason: null,
      outcomes: 250,
      positives: auc === null ? 0 : 20,
      ece: 0.09,
      brier: 0.05,
      auc,
      reliability: [{ from: 0, to: 1, predicted: 0.1, observed: 0.08, count: 250 }],
    });
    const earlier: LiveCalibrationRecord = {
      ...measured(0.7),
      modelVersion: 'm0',
      serving: false,
      ece: 0.2,
      outcomes: 900,
    };
    await write(day('2026-07-16', { calibration: [measured(0.84), earlier] }));
    const registry = gauges();
    let samples = await scrape(registry);
    expect(samples.get('afwd_live_calibration_error')).toEqual([{ labels: {}, value: 0.09 }]);
    expect(samples.get('afwd_live_calibration_outcomes')).toEqual([{ labels: {}, value: 250 }]);
    expect(samples.get('afwd_live_auc')).toEqual([{ labels: {}, value: 0.84 }]);

    // A day whose drift could not be measured and whose outcomes are all failures: no PSI, no AUC. The next scrape of
    // the same registry reads anew.
    await write(
      day('2026-07-17', {
        driftStatus: 'not-enough-data',
        driftReason: 'no training rows',
        drift: [],
        calibration: [measured(null)],
      }),
    );
    samples = await scrape(registry);
    expect(samples.get('afwd_feature_psi')).toEqual([]);
    expect(samples.get('afwd_feature_psi_max')).toEqual([]);
    expect(samples.get('afwd_feature_psi_rise')).toEqual([]);
    expect(samples.get('afwd_feature_psi_rise_max')).toEqual([]);
    expect(samples.get('afwd_live_calibration_error')).toEqual([{ labels: {}, value: 0.09 }]);
    expect(samples.get('afwd_live_auc')).toEqual([]);
  });

  it("exports a rise of 0 on a model's first measured day however large its PSI, and the rise against that day after", async () => {
    await write(day('2026-07-18', { modelVersion: 'm0', drift: [drift('age', 5), drift('draft_pick', 0.02)] }));
    let samples = await scrape(gauges());
    expect(samples.get('afwd_feature_psi_max')).toEqual([{ labels: {}, value: 5 }]);
    expect(samples.get('afwd_feature_psi_rise_max')).toEqual([{ labels: {}, value: 0 }]);
    expect(samples.get('afwd_feature_psi_rise')).toEqual(
      expect.arrayContaining([
        { labels: { feature: 'age' }, value: 0 },
        { labels: { feature: 'draft_pick' }, value: 0 },
      ]),
    );

    await write(day('2026-07-19', { modelVersion: 'm0', drift: [drift('age', 5.1), drift('draft_pick', 0.32)] }));
    samples = await scrape(gauges());
    expect(samples.get('afwd_feature_psi_max')).toEqual([{ labels: {}, value: 5.1 }]);
    const [riseMax] = samples.get('afwd_feature_psi_rise_max')!;
    expect(riseMax!.value).toBeCloseTo(0.3, 12);
    const rise = new Map(samples.get('afwd_feature_psi_rise')!.map((s) => [s.labels.feature, s.value]));
    expect(rise.get('age')).toBeCloseTo(0.1, 12);
    expect(rise.get('draft_pick')).toBeCloseTo(0.3, 12);
  });

  it('exports the age of the newest monitored day from when it was computed', async () => {
    await db.pool.query(
      `UPDATE monitoring_days SET computed_at = now() - interval '40 hours' WHERE day = (SELECT max(day) FROM monitoring_days)`,
    );
    const [age] = (await scrape(gauges())).get('afwd_monitoring_age_seconds')!;
    expect(age!.value).toBeGreaterThanOrEqual(40 * 3600);
    expect(age!.value).toBeLessThan(40 * 3600 + 60);
  });

  it('answers the scrape without figures when the database is too slow, cancels the query on the server and logs why', async () => {
    const client = await db.pool.connect();
    try {
      // Another session holds the table: the gauges' read blocks until PostgreSQL's statement timeout cancels it.
      await client.query('BEGIN');
      await client.query('LOCK TABLE monitoring_days IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const samples = await scrape(gauges());
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(samples.get('afwd_feature_psi_max')).toEqual([]);
      expect(samples.get('afwd_live_calibration_outcomes')).toEqual([]);
      expect(samples.get('afwd_monitoring_age_seconds')).toEqual([]);
      expect(warnings.filter((w) => w.msg === 'metric read failed at scrape: left unset').map((w) => w.metric)).toEqual(
        expect.arrayContaining(['afwd_feature_psi_max', 'afwd_live_auc', 'afwd_monitoring_age_seconds']),
      );
      // The blocked query was cancelled by the server, not left waiting on a pooled connection.
      await expect
        .poll(
          async () => {
            const { rows } = await client.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
            );
            return rows[0]!.n;
          },
          { timeout: 2_000 },
        )
        .toBe(0);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('refuses a scrape read timeout that is not a positive whole number of ms', () => {
    for (const timeoutMs of [0, -5, 1.5]) {
      expect(() => createScrapeReads({ registry: new Registry(), pool: db.pool, log, timeoutMs })).toThrow(
        /positive integer/,
      );
    }
  });
});
