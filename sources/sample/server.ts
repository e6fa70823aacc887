/**
 * Serves a sample universe over HTTP (node:http, no framework) at the Stats API's paths, from memory.
 * Use the returned url as the MLB Stats API client's baseUrl.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSampleApi } from './api.ts';
import type { SampleUniverse } from './universe.ts';

export interface SampleServerOptions {
  universe: SampleUniverse;
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
}

export interface SampleServer {
  /** Origin to use as baseUrl, e.g. http://127.0.0.1:8787 (paths start with /api/v1). */
  url: string;
  close(): Promise<void>;
  /** Requests answered so far, any path or status. */
  requestCount(): number;
}

export async function startSampleServer(options: SampleServerOptions): Promise<SampleServer> {
  const port = options.port ?? 0;
  const host = options.host ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`startSampleServer: port must be an integer from 0 to 65535, got ${port}`);
  const api = createSampleApi(options.universe);
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    let status = 500;
    let payload: string;
    try {
      const answer = api(req.method ?? 'GET', new URL(req.url ?? '/', 'http://sample.invalid'));
      status = answer.status;
      payload = JSON.stringify(answer.body);
    } catch (err) {
      payload = JSON.stringify({ messageNumber: 500, message: `sample server error: ${(err as Error).message}` });
    }
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(payload) });
    res.end(req.method === 'HEAD' ? undefined : payload);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}`,
    requestCount: () => count,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
