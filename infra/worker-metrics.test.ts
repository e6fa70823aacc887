import { createServer } from 'node:http';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config.ts';
import { createPool } from '../lib/db.ts';
import { createLogger } from '../lib/log.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { freePort } from '../test/ports.ts';
import { createWorkerMetrics, type WorkerMetricsOptions } from './worker-metrics.ts';
import { parseAddress, startWorkerMetricsServer } from './worker-metrics-server.ts';

/** A logger whose lines are kept, to see what a failed read reported. */
function capturingLog() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    level: 'warn',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { log, lines };
}

/** The sample's value of `name{labels}` in an exposition, or undefined when the series is absent. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("the worker's metrics", () => {
  let db: TestDatabase;
  const config = loadConfig({ SEASON_MONTHS: '3-10' });
  const options = (overrides: Partial<WorkerMetricsOptions> = {}): WorkerMetricsOptions => ({
    pool: db.pool,
    config,
    log: createLogger({ level: 'silent' }),
    taskQueue: { name: 'q', backlog: async () => 7 },
    now: () => new Date('2026-07-01T00:00:00Z'),
    ...overrides,
  });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it('times each activity attempt by outcome and counts the attempts that threw', async () => {
    const metrics = createWorkerMetrics(options());
    const env = new MockActivityEnvironment(
      { activityType: 'loadSeason' },
      {
        interceptors: metrics.activityInterceptors,
        logger: new DefaultLogger('ERROR'), // the failures below are meant
      },
    );
    expect(await env.run(async () => 'done')).toBe('done');
    await expect(
      env.run(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(
      env.run(async () => {
        throw new Error('boom again');
      }),
    ).rejects.toThrow('boom again');
    const body = await metrics.registry.metrics();
    expect(sample(body, 'afwd_activity_duration_seconds_count{activity_type="loadSeason",outcome="completed"}')).toBe(
      1,
    );
    expect(sample(body, 'afwd_activity_duration_seconds_count{activity_type="loadSeason",outcome="failed"}')).toBe(2);
    expect(sample(body, 'afwd_activity_failures_total{activity_type="loadSeason"}')).toBe(2);
  });

  it('counts rows from season loads and workflow failures by type', async () => {
    const metrics = createWorkerMetrics(options());
    metrics.activities.seasonLoaded({ rowsLoaded: 120, rowsQuarantined: 3 });
    metrics.activities.seasonLoaded({ rowsLoaded: 80, rowsQuarantined: 0 });
    const failed = metrics.sinks.afwdMetrics.workflowFailed;
    expect(failed.callDuringReplay).toBe(false);
    void failed.fn({ workflowType: 'backfillHistory' } as Parameters<typeof failed.fn>[0]);
    const body = await metrics.registry.metrics();
    expect(sample(body, 'afwd_rows_loaded_total')).toBe(200);
    expect(sample(body, 'afwd_rows_quarantined_total')).toBe(3);
    expect(sample(body, 'afwd_workflow_failures_total{workflow_type="backfillHistory"}')).toBe(1);
    expect(metrics.workflowModules).toEqual([expect.stringMatching(/workflow-failure-interceptor\.ts$/)]);
  });

  it('reads the gauges at scrape time, leaving out what is not known yet rather than exporting 0', async () => {
    const metrics = createWorkerMetrics(options());
    let body = await metrics.registry.metrics();
    expect(sample(body, 'afwd_in_season')).toBe(1);
    expect(sample(body, 'afwd_task_queue_backlog{task_queue="q"}')).toBe(7);
    // An empty database: no load, no serving model.
    for (const name of [
      'afwd_data_freshness_seconds',
      'afwd_quarantine_rate',
      'afwd_serving_model_auc',
      'afwd_serving_model_age_seconds',
    ]) {
      expect(body).toContain(`# TYPE ${name} gauge`);
      expect(sample(body, name)).toBeUndefined();
    }
    await db.pool.query(
      `INSERT INTO ingest_batches (source, season, finished_at, rows_fetched, rows_loaded, rows_quarantined, status)
       VALUES ('mlb-stats-api', 2025, now() - interval '10 minutes', 100, 95, 5, 'loaded')`,
    );
    body = await metrics.registry.metrics();
    expect(sample(body, 'afwd_data_freshness_seconds')).toBeGreaterThanOrEqual(600);
    expect(sample(body, 'afwd_data_freshness_seconds')).toBeLessThan(660);
    expect(sample(body, 'afwd_quarantine_rate')).toBe(0.05);
    const winter = createWorkerMetrics(options({ now: () => new Date('2026-12-01T00:00:00Z') }));
    expect(sample(await winter.registry.metrics(), 'afwd_in_season')).toBe(0);
  });

  it('logs a read that fails or hangs and still answers the scrape with everything else', async () => {
    const { log, lines } = capturingLog();
    const unreachable = createPool(`postgres://postgres@127.0.0.1:${await freePort()}/nowhere`, {
      connectTimeoutMs: 500,
    });
    try {
      const metrics = createWorkerMetrics(
        options({
          pool: unreachable,
          log,
          readTimeoutMs: 300,
          taskQueue: { name: 'q', backlog: () => new Promise(() => {}) }, // never answers: cut off by the read timeout
        }),
      );
      metrics.activities.seasonLoaded({ rowsLoaded: 5, rowsQuarantined: 1 });
      const started = performance.now();
      const body = await metrics.registry.metrics();
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(sample(body, 'afwd_rows_loaded_total')).toBe(5);
      expect(sample(body, 'afwd_in_season')).toBe(1);
      expect(sample(body, 'afwd_data_freshness_seconds')).toBeUndefined();
      expect(sample(body, 'afwd_task_queue_backlog{task_queue="q"}')).toBeUndefined();
      const failedReads = lines
        .filter((l) => l.msg === 'metric read failed at scrape: left unset')
        .map((l) => l.metric);
      expect(failedReads).toEqual(
        expect.arrayContaining([
          'afwd_data_freshness_seconds',
          'afwd_quarantine_rate',
          'afwd_serving_model_auc',
          'afwd_task_queue_backlog',
        ]),
      );
    } finally {
      await unreachable.end();
    }
  });
});

describe("the worker's metrics endpoint", () => {
  it("serves core's metrics followed by the application's, and /healthz while the worker runs", async () => {
    // Stands in for Temporal core's exporter: the merge is what is under test here (the scrape test uses the real one).
    const core = createServer((_req, res) => res.end('# TYPE temporal_worker_start counter\ntemporal_worker_start 1'));
    await new Promise<void>((resolve) => core.listen(0, '127.0.0.1', resolve));
    const corePort = (core.address() as { port: number }).port;
    const db = await createTestDatabase({ migrate: false });
    let running = true;
    const metrics = createWorkerMetrics({
      pool: db.pool,
      config: loadConfig(),
      log: createLogger({ level: 'silent' }),
      taskQueue: { name: 'q', backlog: async () => 0 },
    });
    metrics.activities.seasonLoaded({ rowsLoaded: 3, rowsQuarantined: 0 });
    const server = await startWorkerMetricsServer({
      address: '127.0.0.1:0',
      registry: metrics.registry,
      coreMetricsUrl: `http://127.0.0.1:${corePort}/metrics`,
      healthy: () => running,
      log: createLogger({ level: 'silent' }),
    });
    try {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const body = await res.text();
      expect(sample(body, 'temporal_worker_start')).toBe(1);
      expect(sample(body, 'afwd_rows_loaded_total')).toBe(3);
      expect(body.indexOf('temporal_worker_start')).toBeLessThan(body.indexOf('afwd_rows_loaded_total'));
      expect(await (await fetch(`${server.url}/healthz`)).text()).toBe('ok\n');
      running = false;
      expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
      expect((await fetch(`${server.url}/nope`)).status).toBe(404);
      expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
      // Core's exporter gone: the application's metrics still go out.
      await new Promise<void>((resolve) => core.close(() => resolve()));
      const alone = await (await fetch(`${server.url}/metrics`)).text();
      expect(alone).not.toContain('temporal_worker_start');
      expect(sample(alone, 'afwd_rows_loaded_total')).toBe(3);
    } finally {
      await server.close();
      core.close();
      await db.drop();
    }
  });

  it('takes host:port and names a malformed address', () => {
    expect(parseAddress('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(() => parseAddress('9464')).toThrow(/METRICS_ADDRESS "9464" must look like host:port/);
    expect(() => parseAddress('127.0.0.1:70000')).toThrow(RangeError);
  });
});
