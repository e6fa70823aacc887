import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { launchChromium } from '../test/browser.ts';
import { isDraining } from './lifecycle.ts';
import { startApiServer, type ApiServer } from './server.ts';

const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', name: 'test-api-server' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function configFor(db: TestDatabase, env: Record<string, string> = {}) {
  return loadConfig({
    ...process.env,
    LOG_LEVEL: 'silent',
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    REDIS_KEY_PREFIX: `afwd-test:server-${process.pid}-${Date.now()}:`,
    ...env,
    DATABASE_URL: db.url,
    REDIS_URL: inject('redisUrl'),
  });
}

/**
 * A server with a route that answers after `?ms=` milliseconds, standing in for a slow query; `onStart` runs when a
 * request reaches it, so a test knows the request is in flight without guessing a delay.
 */
function startWithSlowRoute(
  db: TestDatabase,
  env: Record<string, string> = {},
  onStart: () => void = () => {},
): Promise<ApiServer> {
  return startApiServer(configFor(db, env), log, {
    extend: (app) => {
      app.get('/test/slow', async (c) => {
        onStart();
        await sleep(Number(c.req.query('ms') ?? 500));
        return c.json({ done: true });
      });
    },
  });
}

describe('startApiServer', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('lets a slow in-flight request finish while closing, refuses new connections, then closes Redis and the pool', async () => {
    let began!: () => void;
    const inFlight = new Promise<void>((resolve) => (began = resolve));
    const server = await startWithSlowRoute(db, {}, () => began());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const slow = fetch(`${server.url}/test/slow?ms=800`);
    await inFlight;
    const started = Date.now();
    const closing = server.close();
    expect(isDraining(server.deps)).toBe(true);
    await expect(fetch(`${server.url}/healthz`, { headers: { connection: 'close' } })).rejects.toThrow();

    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closing;
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(server.deps.redis.ready()).toBe(false);
    expect(server.deps.pool.ended).toBe(true);
    // Closing twice is harmless.
    await server.close();
  });

  it('cuts requests still running when the grace period ends', async () => {
    let began!: () => void;
    const inFlight = new Promise<void>((resolve) => (began = resolve));
    const server = await startWithSlowRoute(db, { API_SHUTDOWN_GRACE_MS: '300' }, () => began());
    const slow = fetch(`${server.url}/test/slow?ms=5000`).then(
      (r) => r.status,
      (error: Error) => error,
    );
    await inFlight;
    const started = Date.now();
    await server.close();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3000);
    expect(await slow).toBeInstanceOf(Error);
  });

  it('names the setting when the port is taken', async () => {
    const first = await startWithSlowRoute(db);
    try {
      const port = new URL(first.url).port;
      await expect(startWithSlowRoute(db, { API_PORT: port })).rejects.toThrow(
        new RegExp(`API_PORT ${port} is already in use`),
      );
    } finally {
      await first.close();
    }
  });
});

describe('docs page', () => {
  let db: TestDatabase;
  let server: ApiServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startApiServer(configFor(db), log);
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('serves the page, its assets with their content types, and only the listed assets', async () => {
    const page = await fetch(server.docsUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/<script>(?!<)/);
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toEqual([
      '/api/docs/swagger-ui-bundle.js',
      '/api/docs/swagger-ui-standalone-preset.js',
      '/api/docs/init.js',
    ]);
    for (const src of scripts) {
      const res = await fetch(`${server.url}${src}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect((await res.text()).length).toBeGreaterThan(100);
    }
    const css = await fetch(`${server.url}/api/docs/swagger-ui.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${server.url}/api/docs/package.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/docs/..%2Fpackage.json`)).status).toBe(404);
    const spec = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/metrics', '/api/docs']));
  });

  it('renders in a browser under its CSP: the title and the health operations appear, no policy is violated', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(server.docsUrl);
      await page.waitForSelector('.swagger-ui .info .title', { timeout: 20_000 });
      expect(await page.textContent('.swagger-ui .info .title')).toContain('A Fine Wine Dynasty API');
      await page.waitForSelector('.opblock-summary-path[data-path="/readyz"]', { timeout: 20_000 });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('asynchronous access log (createLogger({ async: true }))', () => {
  it('writes every line before flushLogger resolves, even when the process is then killed outright', async () => {
    const { execFile } = await import('node:child_process');
    const logModule = new URL('../lib/log.ts', import.meta.url).href;
    // SIGKILL runs no exit handler: only flushLogger can have written the lines still buffered.
    const script = `
      const { createLogger, flushLogger } = await import(${JSON.stringify(logModule)});
      const log = createLogger({ level: 'info', name: 'flush-test', async: true });
      for (let i = 0; i < 20000; i++) log.info({ i }, 'request');
      await flushLogger(log);
      process.kill(process.pid, 'SIGKILL');`;
    const stdout = await new Promise<string>((resolve) => {
      execFile(
        process.execPath,
        ['--input-type=module', '-e', script],
        { maxBuffer: 64 * 1024 * 1024 },
        (_error, out) => resolve(out),
      );
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(20000);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ i: 19999, msg: 'request' });
  });
});
