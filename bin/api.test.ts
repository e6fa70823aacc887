import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { deliverWebhook, stripeEvent } from '../billing/simulated-events.ts';
import { REPO_ROOT } from '../lib/config.ts';
import { createTestDatabase } from '../test/database.ts';
import { freePort } from '../test/ports.ts';

const run = promisify(execFile);
const API = path.join(REPO_ROOT, 'bin', 'api.ts');

describe('npm run api', () => {
  it.each([
    ['API_RATE_LIMIT_FREE', 'lots'],
    ['API_TRUST_PROXY', 'yes'],
    ['REDIS_KEY_PREFIX', 'has spaces'],
    ['API_PORT', '70000'],
  ])('stops with one sentence naming %s=%s, not a stack trace', async (name, value) => {
    const error = await run(process.execPath, [API], { env: { ...process.env, [name]: value } }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(1);
    expect(error?.stderr).toContain(`Invalid configuration: ${name}=${JSON.stringify(value)}`);
    expect(error?.stderr).not.toMatch(/\n\s+at /);
  });

  it('migrates its database, prints its URLs, serves, and exits cleanly on SIGTERM', async () => {
    const db = await createTestDatabase({ migrate: false });
    const port = await freePort();
    const api = spawn(process.execPath, [API], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        REDIS_URL: inject('redisUrl'),
        REDIS_KEY_PREFIX: `afwd-test:bin-${process.pid}:`,
        API_HOST: '127.0.0.1',
        API_PORT: String(port),
        LOG_LEVEL: 'warn',
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: `bin-api-${process.pid}-${Date.now()}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    api.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    api.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => api.once('exit', (code) => resolve(code)));
    try {
      for (
        const deadline = Date.now() + 30_000;
        !stdout.includes('API docs:');
        await new Promise((r) => setTimeout(r, 100))
      ) {
        if (Date.now() > deadline || api.exitCode !== null)
          throw new Error(`bin/api.ts did not start: ${stdout}${stderr}`);
      }
      expect(stdout).toContain(`API:       http://127.0.0.1:${port}/api/v1`);
      expect(stdout).toContain(`API docs:  http://127.0.0.1:${port}/api/docs`);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      // Migrated: the readiness check reads the models table and finds no champion, rather than failing to read it.
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { detail: string }).detail).toBe(
        'Not ready: no model is serving (none has been promoted yet).',
      );
      // Stripe's events reach the subscription saga through TEMPORAL_ADDRESS (queued: no worker needs to run yet).
      const event = stripeEvent('invoice.paid', {
        userId: null,
        customerId: `cus_bin_${process.pid}`,
        subscriptionId: `sub_bin_${process.pid}`,
      });
      const webhook = await deliverWebhook(`http://127.0.0.1:${port}`, event);
      expect(await webhook.json()).toEqual({ received: true, outcome: 'queued' });
    } finally {
      api.kill('SIGTERM');
      expect(await exited).toBe(0);
      await db.drop();
    }
  }, 60_000);
});
