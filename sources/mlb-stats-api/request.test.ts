import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { pause } from './backoff.ts';
import { createTokenBucket } from './rate-limit.ts';
import { createRequester, type RequesterOptions, type RequestWait } from './request.ts';

async function tinyServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const requester = (over: Partial<RequesterOptions>) =>
  createRequester({
    bucket: createTokenBucket({ ratePerSecond: 0 }),
    timeoutMs: 10_000,
    maxRetries: 3,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 5_000,
    userAgent: 'test',
    fetch: globalThis.fetch,
    random: () => 0.5,
    onResponse: undefined,
    ...over,
  });

class Cancelled extends Error {}

describe('pause', () => {
  it('reports the time still to wait about every tick and ends on time', async () => {
    const ticks: number[] = [];
    const started = performance.now();
    await pause(250, { tickMs: 100, onTick: (ms) => ticks.push(ms) });
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
    expect(ticks).toHaveLength(3);
    expect(ticks[0]).toBe(250);
    expect(ticks[2]).toBeLessThanOrEqual(60);
  });

  it('stops at once when the signal aborts, with the signal reason', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Cancelled('activity cancelled')), 50);
    const started = performance.now();
    await expect(pause(10_000, { signal: controller.signal })).rejects.toBeInstanceOf(Cancelled);
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(pause(10, { signal: controller.signal })).rejects.toBeInstanceOf(Cancelled);
  });
});

describe('token bucket waits', () => {
  it('heartbeats through a wait for a token and gives it up on abort', async () => {
    const bucket = createTokenBucket({ ratePerSecond: 0.5 });
    await bucket.take();
    const ticks: number[] = [];
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Cancelled('stop')), 1_300);
    await expect(bucket.take({ signal: controller.signal, onTick: (ms) => ticks.push(ms) })).rejects.toBeInstanceOf(
      Cancelled,
    );
    // A wait of about 2 s, told at its start and after one second.
    expect(ticks).toHaveLength(2);
    expect(ticks[0]).toBeGreaterThan(1_500);
  });
});

describe('createRequester and cancellation', () => {
  it('aborts a stalled request when the signal fires, without retrying it', async () => {
    const controller = new AbortController();
    // The request stalls at the server, which never answers; the cancel comes once it got there (not after a fixed
    // delay, which a loaded machine can outrun before the request is even sent).
    const server = await tinyServer(() => {
      setTimeout(() => controller.abort(new Cancelled('heartbeat timeout')), 50);
    });
    try {
      const http = requester({ signal: controller.signal });
      const started = performance.now();
      await expect(http.getJson(`${server.url}/stall`)).rejects.toBeInstanceOf(Cancelled);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(server.hits()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('heartbeats through a Retry-After backoff, and a cancel during it stops the retries', async () => {
    const server = await tinyServer((_req, res) => res.writeHead(429, { 'retry-after': '2' }).end('{}'));
    try {
      const controller = new AbortController();
      const waits: RequestWait[] = [];
      const http = requester({ signal: controller.signal, onWait: (w) => waits.push(w) });
      setTimeout(() => controller.abort(new Cancelled('cancelled')), 1_500);
      await expect(http.getJson(`${server.url}/busy`)).rejects.toBeInstanceOf(Cancelled);
      expect(server.hits()).toBe(1);
      expect(waits.map((w) => [w.reason, w.attempt])).toEqual([
        ['backoff', 2],
        ['backoff', 2],
      ]);
      expect(waits[0]!.remainingMs).toBe(2_000);
      expect(waits[0]!.url).toBe(`${server.url}/busy`);
    } finally {
      await server.close();
    }
  });

  it('still retries its own per-request timeouts when no one cancelled', async () => {
    let calls = 0;
    const server = await tinyServer((_req, res) => {
      calls += 1;
      if (calls === 1) return; // the first attempt stalls past the timeout
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    try {
      const http = requester({ timeoutMs: 150, signal: new AbortController().signal });
      expect(await http.getJson(`${server.url}/slow-once`)).toEqual({ ok: true });
      expect(http.count()).toBe(2);
    } finally {
      await server.close();
    }
  });
});
