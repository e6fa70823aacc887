import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openLoop } from './api-open-loop.ts';

let server: http.Server | undefined;

/** A loopback server: `/slow` never answers, `/close` drops the connection, anything else answers 200 (or `?status=`). */
async function serve(seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[]): Promise<string> {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    if (req.url === '/slow') return;
    if (req.url === '/close') return void req.socket.destroy();
    const status = Number(new URL(req.url!, 'http://x').searchParams.get('status') ?? 200);
    res.writeHead(status, { 'content-type': 'text/plain', 'content-length': '2' }).end('ok');
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('openLoop', () => {
  it('sends each request with its own headers at the rate, over the connections it holds', async () => {
    const seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = [];
    const url = await serve(seen);
    const result = await openLoop({
      url,
      connections: 4,
      rate: 40,
      seconds: 1,
      requests: [
        { method: 'GET', path: '/a', headers: { 'x-forwarded-for': '10.0.0.1' } },
        { method: 'POST', path: '/b?status=404', headers: { authorization: 'Bearer t' } },
      ],
      headers: { 'x-common': 'yes' },
    });
    expect(result.answered).toBe(40);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.connectionsLost).toBe(0);
    expect(result.backlog).toBe(0);
    expect(result.non2xx).toBe(20);
    expect(Object.fromEntries(result.statusCodes)).toEqual({ 200: 20, 404: 20 });
    expect(seen).toHaveLength(40);
    expect(seen.every((r) => r.headers['x-common'] === 'yes')).toBe(true);
    const a = seen.filter((r) => r.url === '/a');
    const b = seen.filter((r) => r.url === '/b?status=404');
    expect(a.every((r) => r.method === 'GET' && r.headers['x-forwarded-for'] === '10.0.0.1')).toBe(true);
    expect(b.every((r) => r.method === 'POST' && r.headers.authorization === 'Bearer t')).toBe(true);
    expect(a.some((r) => r.headers.authorization)).toBe(false);
    expect(result.samples.latencyMs).toHaveLength(40);
    // Evenly spaced: the last request was due about 975 ms in.
    expect(Math.max(...result.samples.dueMs)).toBeGreaterThan(900);
  });

  it('counts requests left unanswered as timeouts, and requests never sent as backlog', async () => {
    const url = await serve([]);
    const result = await openLoop({
      url,
      connections: 2,
      rate: 4,
      seconds: 1,
      requests: [
        { method: 'GET', path: '/slow' },
        { method: 'GET', path: '/ok' },
      ],
      headers: {},
      timeoutMs: 1200,
    });
    // Due at 0, 250, 500 and 750 ms: /slow holds one connection, /ok is answered on the other, the second /slow then
    // holds that one, and the last /ok finds no free connection.
    expect(result.answered).toBe(1);
    expect(result.timeouts).toBe(2);
    expect(result.errors).toBe(2);
    expect(result.backlog).toBe(1);
  });

  it('counts a connection the server closes under a request as an error and a lost connection', async () => {
    const url = await serve([]);
    const result = await openLoop({
      url,
      connections: 3,
      rate: 3,
      seconds: 1,
      requests: [
        { method: 'GET', path: '/close' },
        { method: 'GET', path: '/ok' },
        { method: 'GET', path: '/ok' },
      ],
      headers: {},
      timeoutMs: 2000,
    });
    expect(result.errors).toBe(1);
    expect(result.timeouts).toBe(0);
    expect(result.connectionsLost).toBe(1);
    expect(result.answered).toBe(2);
  });
});
