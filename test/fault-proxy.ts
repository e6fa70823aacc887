/**
 * An HTTP proxy in front of a source that misbehaves on purpose: it answers chosen requests with 500s, stalls
 * past the client's timeout, answers late, or sends truncated JSON, a given number of times per URL (or forever).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fault {
  /** Which requests: a test on the path and query. */
  match: (pathAndQuery: string) => boolean;
  /**
   * 'timeout' hangs up after the stall; 'late' sends the real answer after the stall (if the client still waits);
   * 'busy' answers 429 with a Retry-After of `retryAfterSeconds`.
   */
  kind: '500' | 'timeout' | 'malformed' | 'late' | 'busy';
  /** For 'busy'. @default 1 */
  retryAfterSeconds?: number;
  /** How many times per URL; Infinity for every time. */
  times: number;
}

export interface InjectedFault {
  url: string;
  kind: Fault['kind'];
  /** For 'late': whether the answer reached the client, or the client gave up (aborted) first; pending until then. */
  outcome?: 'pending' | 'answered' | 'client-closed';
}

export async function startFaultProxy(upstream: string, faults: Fault[], stallMs = 5_000) {
  const seen = new Map<string, number>();
  const injected: InjectedFault[] = [];
  /** Every request, faulty or not, in order of arrival. */
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    const fault = faults.find((f) => f.match(url));
    const count = seen.get(url) ?? 0;
    if (fault && count < fault.times) {
      seen.set(url, count + 1);
      const entry: InjectedFault = { url, kind: fault.kind };
      injected.push(entry);
      if (fault.kind === 'late') {
        entry.outcome = 'pending';
        res.on('close', () => {
          if (entry.outcome === 'pending') entry.outcome = res.writableFinished ? 'answered' : 'client-closed';
        });
        const timer = setTimeout(() => {
          if (res.destroyed) return;
          fetch(`${upstream}${url}`).then(
            async (answer) => {
              res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
            },
            () => res.writeHead(502).end(),
          );
        }, stallMs);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      if (fault.kind === 'busy') {
        res
          .writeHead(429, { 'content-type': 'application/json', 'retry-after': String(fault.retryAfterSeconds ?? 1) })
          .end('{"message":"slow down"}');
        return;
      }
      if (fault.kind === '500') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"upstream exploded"}');
        return;
      }
      if (fault.kind === 'timeout') {
        const timer = setTimeout(() => res.destroy(), stallMs);
        res.on('close', () => clearTimeout(timer));
        return;
      }
    }
    fetch(`${upstream}${url}`).then(
      async (answer) => {
        const body = await answer.text();
        const truncated = fault?.kind === 'malformed' && count < fault.times;
        res
          .writeHead(answer.status, { 'content-type': 'application/json' })
          .end(truncated ? body.slice(0, Math.floor(body.length / 2)) : body);
      },
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    injected,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
