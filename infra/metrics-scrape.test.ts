import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deliverWebhook, stripeEvent } from '../billing/simulated-events.ts';
import { REPO_ROOT, loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { createTestApi } from '../test/api.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { freePort } from '../test/ports.ts';
import type { backfillHistory } from '../workflows/backfill-history.ts';
import { startSampleSource, type SampleSource } from './sample-source.ts';

/** The value of one series (`name{labels}` exactly as exposed) in a Prometheus text exposition; undefined when absent. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

// The worker runs as operators run it (bin/worker.ts with METRICS_ADDRESS), so what is scraped is the real endpoint:
// Temporal core's exporter merged with the application's registry.
describe("the worker's metrics endpoint, after a real backfill", () => {
  let db: TestDatabase;
  let source: SampleSource;
  let connection: Connection;
  let worker: ChildProcess | undefined;
  let metricsUrl = '';
  const taskQueue = `metrics-scrape-${Date.now()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({
      SAMPLE_PORT: '0',
      SAMPLE_SCALE: '0.02',
      SAMPLE_FROM_SEASON: '2019',
      SAMPLE_TO_SEASON: '2019',
    });
    source = await startSampleSource(config.sample, createLogger({ level: 'silent' }));
    connection = await Connection.connect({ address: inject('temporalAddress') });
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}`;
    worker = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'worker.ts')], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: taskQueue,
        MLB_STATS_API_URL: source.url,
        METRICS_ADDRESS: `127.0.0.1:${port}`,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker!.once('exit', r));
    }
    await connection?.close();
    await source?.close();
    await db?.drop();
  });

  it("exports rows, activity latency, freshness, backlog, workflow failures and Temporal's own metrics", async () => {
    expect(
      await until("the worker's /healthz", 60_000, async () => {
        const res = await fetch(`${metricsUrl}/healthz`);
        return res.status === 200 ? res.text() : undefined;
      }),
    ).toBe('ok\n');

    const client = new Client({ connection });
    const result = await client.workflow.execute<typeof backfillHistory>('backfillHistory', {
      taskQueue,
      workflowId: `${taskQueue}-backfill`,
      args: [{ fromSeason: 2019, toSeason: 2019, mlbLeadSeasons: 0 }],
    });
    expect(result.seasonsDone).toBe(1);
    // A workflow that fails (an invalid range is a non-retryable failure), for the failure counter.
    await expect(
      client.workflow.execute<typeof backfillHistory>('backfillHistory', {
        taskQueue,
        workflowId: `${taskQueue}-invalid`,
        args: [{ fromSeason: 2019, toSeason: 2018 }],
      }),
    ).rejects.toBeInstanceOf(WorkflowFailedError);

    const res = await fetch(`${metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    const body = await res.text();
    const {
      rows: [held],
    } = await db.pool.query<{ loaded: number; quarantined: number }>(
      `SELECT sum(rows_loaded)::int AS loaded, sum(rows_quarantined)::int AS quarantined FROM ingest_batches WHERE finished_at IS NOT NULL`,
    );
    const {
      rows: [lines],
    } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM player_season_stats');

    const loaded = sample(body, 'afwd_rows_loaded_total');
    expect(loaded).toBeGreaterThan(0);
    expect(loaded).toBe(held!.loaded);
    expect(loaded).toBe(lines!.n);
    expect(loaded).toBe(result.rowsLoaded);
    expect(sample(body, 'afwd_rows_quarantined_total')).toBe(held!.quarantined);
    expect(
      sample(body, 'afwd_activity_duration_seconds_count{activity_type="loadSeason",outcome="completed"}'),
    ).toBeGreaterThan(0);
    expect(
      sample(body, 'afwd_activity_duration_seconds_count{activity_type="fetchSeason",outcome="completed"}'),
    ).toBeGreaterThan(0);
    const freshness = sample(body, 'afwd_data_freshness_seconds');
    expect(freshness).toBeGreaterThanOrEqual(0);
    expect(freshness).toBeLessThan(120);
    expect(sample(body, 'afwd_quarantine_rate')).toBeGreaterThanOrEqual(0);
    expect(sample(body, 'afwd_task_queue_backlog{task_queue="' + taskQueue + '"}')).toBeGreaterThanOrEqual(0);
    expect([0, 1]).toContain(sample(body, 'afwd_in_season'));
    expect(sample(body, 'afwd_workflow_failures_total{workflow_type="backfillHistory"}')).toBe(1);
    // Temporal core's own metrics, merged in under their usual names.
    expect(body).toMatch(/^temporal_worker_start(\{[^}]*\})? \d+/m);
    expect(body).toMatch(/^temporal_workflow_failed(_total)?\{[^}]*workflow_type="backfillHistory"[^}]*\} 1$/m);
    expect(body).toMatch(/^temporal_activity_execution_latency_(bucket|count)\{[^}]*activity_type="loadSeason"/m);

    expect(await (await fetch(`${metricsUrl}/healthz`)).text()).toBe('ok\n');
  }, 240_000);
});

describe("the API's metrics endpoint", () => {
  it('exports request latency, cache results, rate-limit refusals and Stripe webhook outcomes', async () => {
    // Two anonymous requests a minute: the third is refused.
    const api = await createTestApi({ env: { API_RATE_LIMIT_ANONYMOUS: '2' } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await api.request('GET', '/api/v1/prospects/filters')).status);
      expect(statuses[2]).toBe(429);
      const event = stripeEvent('customer.created', {
        userId: null,
        customerId: 'cus_scrape',
        subscriptionId: 'sub_scrape',
      });
      expect((await deliverWebhook(api, event, { secret: 'whsec_not_ours' })).status).toBe(400);

      const res = await api.request('GET', '/metrics');
      expect(res.status).toBe(200);
      const body = await res.text();
      // By route pattern (the router's, whichever it matched), method and status.
      const answered = [
        ...body.matchAll(
          /^http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/prospects[^"]*",status="(\d+)"\} (\d+)$/gm,
        ),
      ].map((m) => [Number(m[1]), Number(m[2])] as const);
      expect(answered.reduce((n, [, count]) => n + count, 0)).toBe(3);
      expect(answered.find(([status]) => status === 429)?.[1]).toBe(1);
      expect(body).toMatch(
        /^http_request_duration_seconds_bucket\{le="0.25",method="POST",route="\/api\/v1\/billing\/webhook",status="400"\} 1$/m,
      );
      const cache = [...body.matchAll(/^cache_requests_total\{kind="rankings",result="(hit|miss)"\} (\d+)$/gm)].reduce(
        (n, m) => n + Number(m[2]),
        0,
      );
      expect(cache).toBe(2);
      expect(body).toMatch(/^rate_limited_total\{bucket="general:anonymous"\} 1$/m);
      expect(sample(body, 'afwd_stripe_webhooks_total{outcome="rejected"}')).toBe(1);
    } finally {
      await api.close();
    }
  }, 60_000);
});
