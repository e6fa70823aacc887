/**
 * Serves a request → response function over HTTP (node:http) under a path prefix, e.g. the archive API under
 * `/archive/<id>`: the prefix makes the source's identity part of every URL, and URLs key the landing zone, so two
 * archives (or an archive and the sample, on another port) never share a stored response.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedResponse {
  status: number;
  body: unknown;
}

export interface ArchiveServerOptions {
  /** Answers a request whose path has had `basePath` removed (it starts with /api/v1). */
  handler: (method: string, url: URL) => ServedResponse | Promise<ServedResponse>;
  /** Path prefix of every served URL, e.g. `/archive/3f9c2a1b7d0e`; '' serves at the root. @default '' */
  basePath?: string;
  /** TCP port; 0 picks a free one. A fixed port keeps URLs (the landing zone's keys) the same from run to run. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
}

export interface ArchiveServer {
  /** Base URL for the Stats API client (origin plus basePath; the client appends /api/v1). */
  url: string;
  close(): Promise<void>;
  /** Requests answered so far, any path or status. */
  requestCount(): number;
}

export async function startArchiveServer(options: ArchiveServerOptions): Promise<ArchiveServer> {
  const port = options.port ?? 0;
  const host = options.host ?? '127.0.0.1';
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`startArchiveServer: port must be an integer from 0 to 65535, got ${port}`);
  if (basePath !== '' && !/^(\/[\w.-]+)+$/.test(basePath)) throw new Error(`startArchiveServer: basePath must look like /archive/abc123, got "${basePath}"`);
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    const send = (status: number, body: unknown) => {
      const payload = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(payload) });
      res.end(req.method === 'HEAD' ? undefined : payload);
    };
    const url = new URL(req.url ?? '/', 'http://archive.invalid');
    if (basePath !== '' && !(url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))) {
      send(404, { messageNumber: 10, message: `Object not found: ${url.pathname} (this server answers under ${basePath})` });
      return;
    }
    url.pathname = url.pathname.slice(basePath.length) || '/';
    Promise.resolve()
      .then(() => options.handler(req.method ?? 'GET', url))
      .then((answer) => send(answer.status, answer.body), (err: unknown) => send(500, { messageNumber: 500, message: `archive server error: ${(err as Error).message}` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`archive source: port ${port} on ${host} is already in use (another backfill with --source running?); set ARCHIVE_PORT`) : err);
    });
    server.listen(port, host, () => resolve());
  });
  let closing: Promise<void> | undefined;
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}${basePath}`,
    requestCount: () => count,
    // Idempotent: a shutdown stack and a test may both close it.
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      })),
  };
}
