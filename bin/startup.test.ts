import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../test/database.ts';
import { freePort } from '../test/ports.ts';
import { REPO_ROOT } from '../lib/config.ts';

const run = promisify(execFile);

describe('start-up', () => {
  it('stops with one clear sentence naming a bad setting, not a stack trace', async () => {
    const error = await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'migrate.ts')], {
      env: { ...process.env, EMBEDDED_PG_PORT: 'fifty' },
    }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(1);
    expect(error?.stderr).toMatch(/Invalid configuration: EMBEDDED_PG_PORT="fifty"/);
    expect(error?.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the worker process', () => {
  it('serves Prometheus metrics when METRICS_ADDRESS is set', async () => {
    const db = await createTestDatabase({ migrate: false });
    const port = await freePort();
    const worker = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'worker.ts')], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: `metrics-${process.pid}`,
        MLB_STATS_API_URL: 'http://127.0.0.1:9',
        METRICS_ADDRESS: `127.0.0.1:${port}`,
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    try {
      let body = '';
      for (
        const deadline = Date.now() + 30_000;
        Date.now() < deadline && !body.includes('temporal');
        await new Promise((r) => setTimeout(r, 300))
      ) {
        body = await fetch(`http://127.0.0.1:${port}/metrics`).then(
          (r) => r.text(),
          () => '',
        );
      }
      // Temporal core's own metrics and the application's, on the one endpoint (infra/worker-metrics-server.ts).
      expect(body).toMatch(/^temporal_\w+/m);
      expect(body).toMatch(/^# TYPE afwd_activity_duration_seconds histogram$/m);
      // The endpoint is up before the worker polls (it is bound first); /healthz says ok once the worker runs.
      const health = async () =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          async (r) => `${r.status} ${await r.text()}`,
          () => 'unreachable',
        );
      let healthz = await health();
      for (const deadline = Date.now() + 30_000; Date.now() < deadline && healthz !== '200 ok\n';) {
        expect(healthz).toBe('503 worker not running\n');
        await new Promise((r) => setTimeout(r, 200));
        healthz = await health();
      }
      expect(healthz).toBe('200 ok\n');
    } finally {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
      await db.drop();
    }
  }, 60_000);
});
