// Tests for the site server's API proxy: what reaches the API, what comes back (cookies, status, streaming), and a
// 502 problem when the API is down. The upstream is a real HTTP server that records what it was sent.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../test/ports.ts';
import { createApiProxy, isApiPath } from './api-proxy.ts';
import { serveSite, type SiteServer } from './serve.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** One request over node:http (fetch hides Set-Cookie lists and normalises paths). */
function send(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const { hostname, port } = new URL(base);
  return new Promise<{
    status: number;
    headers: IncomingMessage['headers'];
    body: string;
    firstChunkAt: number;
    endAt: number;
  }>((resolve, reject) => {
    const req = request(
      { hostname, port, path, method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        let body = '';
        let firstChunkAt = 0;
        res.on('data', (chunk: Buffer) => {
          firstChunkAt ||= Date.now();
          body += chunk.toString();
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, firstChunkAt, endAt: Date.now() }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the site server forwards the API paths', () => {
  let dir: string;
  let api: Server;
  let site: SiteServer;
  const seen: Seen[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'afwd-proxy-test-'));
    await mkdir(join(dir, 'site'));
    await writeFile(join(dir, 'site', 'index.html'), '<!doctype html><title>home</title>');
    api = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        if (req.url === '/api/v1/slow') {
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.write('first ');
          setTimeout(() => res.end('last'), 400);
          return;
        }
        res.writeHead(req.url?.startsWith('/api/v1/auth/') ? 401 : 200, {
          'Content-Type': 'application/problem+json',
          'Set-Cookie': ['afwd_refresh=abc; Path=/api/v1/auth; HttpOnly; SameSite=Strict', 'other=1; Path=/'],
          'Cache-Control': 'no-store',
        });
        res.end(JSON.stringify({ status: 401, echo: body }));
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    site = await serveSite({
      root: join(dir, 'site'),
      apiUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
    });
  });
  afterAll(async () => {
    await site?.close();
    await new Promise((resolve) => api?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it("knows which paths are the API's", () => {
    expect(['/api', '/api/', '/api/v1/users/me', '/.well-known/jwks.json'].every(isApiPath)).toBe(true);
    expect(['/', '/apiary/', '/prospects/api/', '/well-known/'].some(isApiPath)).toBe(false);
  });

  it('keeps method, path, query, body and cookies on the way in; status and every Set-Cookie on the way out', async () => {
    const res = await send(site.url, '/api/v1/auth/refresh?x=1', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Cookie: 'afwd_refresh=old',
        'X-Requested-With': 'afwd-web',
        Authorization: 'Bearer t',
        Connection: 'keep-alive, x-secret-hop',
        'X-Secret-Hop': 'no',
      },
      body: '{"a":1}',
    });
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toEqual([
      'afwd_refresh=abc; Path=/api/v1/auth; HttpOnly; SameSite=Strict',
      'other=1; Path=/',
    ]);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(res.body)).toEqual({ status: 401, echo: '{"a":1}' });
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', url: '/api/v1/auth/refresh?x=1', body: '{"a":1}' });
    expect(last.headers).toMatchObject({
      cookie: 'afwd_refresh=old',
      'x-requested-with': 'afwd-web',
      authorization: 'Bearer t',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': new URL(site.url).host,
    });
    // A header the client's Connection names belongs to that hop only.
    expect(last.headers['x-secret-hop']).toBeUndefined();

    for (const method of ['PUT', 'DELETE']) {
      expect((await send(site.url, '/api/v1/users/me/watchlist/5', { method })).status).toBe(200);
      expect(seen.at(-1)).toMatchObject({ method, url: '/api/v1/users/me/watchlist/5' });
    }
    expect((await send(site.url, '/.well-known/jwks.json')).status).toBe(200);
    expect(seen.at(-1)?.url).toBe('/.well-known/jwks.json');
  });

  it('sets X-Forwarded-Proto and -Host to what it saw, whatever the client sent in them', async () => {
    await send(site.url, '/api/v1/ping', {
      headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example' },
    });
    expect(seen.at(-1)?.headers).toMatchObject({
      'x-forwarded-proto': 'http',
      'x-forwarded-host': new URL(site.url).host,
    });
  });

  it('decides on the normalised path and still serves the site', async () => {
    const before = seen.length;
    expect((await send(site.url, '/')).body).toContain('home');
    expect((await send(site.url, '/api/../')).body).toContain('home');
    expect(seen.length).toBe(before);
    await send(site.url, '/x/%2e%2e/api/v1/ping');
    expect(seen.at(-1)?.url).toBe('/api/v1/ping');
  });

  it('streams the answer as it comes', async () => {
    const res = await send(site.url, '/api/v1/slow');
    expect(res.body).toBe('first last');
    expect(res.endAt - res.firstChunkAt).toBeGreaterThanOrEqual(300);
  });

  it('answers a 502 problem (a page for a browser) when the API cannot be reached', async () => {
    const down = await serveSite({ root: join(dir, 'site'), apiUrl: `http://127.0.0.1:${await freePort()}` });
    try {
      const res = await send(down.url, '/api/v1/auth/login', { method: 'POST', body: '{}' });
      expect(res.status).toBe(502);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(res.body)).toMatchObject({
        status: 502,
        title: 'Bad Gateway',
        detail: expect.stringContaining('cannot be reached'),
      });
      const page = await send(down.url, '/api/docs', { headers: { Accept: 'text/html,application/xhtml+xml' } });
      expect([page.status, page.headers['content-type']]).toEqual([502, 'text/html; charset=utf-8']);
      expect(page.body).toContain('API unavailable');
      expect((await send(down.url, '/')).status).toBe(200);
    } finally {
      await down.close();
    }
  });

  it('frames a chunked body as chunked whatever the method, so it cannot pass for a request of its own', async () => {
    const inner = 'GET /api/v1/smuggled HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n';
    const { hostname, port } = new URL(site.url);
    for (const method of ['GET', 'DELETE', 'POST']) {
      const raw =
        `${method} /api/v1/chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
        `${inner.length.toString(16)}\r\n${inner}\r\n0\r\n\r\n`;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => socket.write(raw));
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer, method).toMatch(/^HTTP\/1\.1 200 /);
      expect(seen.at(-1), method).toMatchObject({ method, url: '/api/v1/chunked', body: inner });
    }
    expect(seen.some((s) => s.url === '/api/v1/smuggled')).toBe(false);
  });

  it('answers a 504 problem when the API stays silent', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const proxy = createApiProxy(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, { timeoutMs: 200 });
    const front = createServer((req, res) => void proxy.forward(req, res, req.url ?? '/'));
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const res = await send(`http://127.0.0.1:${(front.address() as AddressInfo).port}`, '/api/v1/users/me');
      expect(res.status).toBe(504);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(res.body)).toMatchObject({
        status: 504,
        title: 'Gateway Timeout',
        detail: expect.stringContaining('did not answer in time'),
      });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      proxy.close();
      front.closeAllConnections();
      silent.closeAllConnections();
      await new Promise((resolve) => front.close(resolve));
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 10_000);

  it('leaves the API paths to the 404 page without apiUrl', async () => {
    const plain = await serveSite({ root: join(dir, 'site') });
    try {
      expect((await send(plain.url, '/api/v1/users/me')).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
