/**
 * An HTTP proxy in front of a source that misbehaves on purpose: it answers chosen requests with 500s, stalls
 * past the client's timeout, or sends truncated JSON, a given number of times per URL (or forever).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fault {
  /** Which requests: a test on the path and query. */
  match: (pathAndQuery: string) => boolean;
  kind: '500' | 'timeout' | 'malformed';
  /** How many times per URL; Infinity for every time. */
  times: number;
}

export async function startFaultProxy(upstream: string, faults: Fault[], stallMs = 5_000) {
  const seen = new Map<string, number>();
  const injected: { url: string; kind: Fault['kind'] }[] = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const fault = faults.find((f) => f.match(url));
    const count = seen.get(url) ?? 0;
    if (fault && count < fault.times) {
      seen.set(url, count + 1);
      injected.push({ url, kind: fault.kind });
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
    fetch(`${upstream}${url}`).then(async (answer) => {
      const body = await answer.text();
      const truncated = fault?.kind === 'malformed' && count < fault.times;
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(truncated ? body.slice(0, Math.floor(body.length / 2)) : body);
    }, () => res.writeHead(502).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    injected,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
