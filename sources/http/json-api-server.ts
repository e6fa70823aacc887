/**
 * What the sample and archive sources share to look like the Stats API over HTTP: a router prologue that turns
 * `(path, query) => response` into a `(method, url) => response` handler (405 for anything but GET and HEAD, trailing
 * slashes dropped, a BadRequest answered as 400), and a node:http server that serves such a handler as JSON under an
 * optional path prefix, counting requests.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BadRequest } from '../sample/query.ts';

export interface ApiResponse {
  status: number;
  body: unknown;
}

export type JsonApiHandler = (method: string, url: URL) => ApiResponse | Promise<ApiResponse>;

/**
 * A handler answering GET and HEAD through `route`, with the path's trailing slashes removed; any other method is a
 * 405, a BadRequest thrown by `route` a 400 with its message.
 */
export function jsonApiRouter(
  route: (path: string, query: URLSearchParams) => ApiResponse,
): (method: string, url: URL) => ApiResponse {
  return (method, url) => {
    if (method !== 'GET' && method !== 'HEAD')
      return { status: 405, body: { messageNumber: 405, message: `Method ${method} not allowed` } };
    try {
      return route(url.pathname.replace(/\/+$/, ''), url.searchParams);
    } catch (err) {
      if (err instanceof BadRequest) return { status: 400, body: { messageNumber: 400, message: err.message } };
      throw err;
    }
  };
}

export interface JsonApiServerOptions {
  handler: JsonApiHandler;
  /** Names the server in errors: `<name> server error: ...` (a 500) and the URLs' placeholder origin. */
  name: string;
  /** The public function starting it, named in argument errors, e.g. `startSampleServer`. */
  caller: string;
  /** Path prefix of every served URL, removed before `handler` sees it; '' serves at the root. @default '' */
  basePath?: string;
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** The error to start with when listening fails (e.g. a clearer one for EADDRINUSE); the error itself by default. */
  listenError?: (err: NodeJS.ErrnoException) => Error;
}

export interface JsonApiServer {
  /** Origin plus basePath. */
  url: string;
  /** Idempotent: a shutdown stack and a test may both close it. */
  close(): Promise<void>;
  /** Requests answered so far, any path or status. */
  requestCount(): number;
}

export async function startJsonApiServer(options: JsonApiServerOptions): Promise<JsonApiServer> {
  const { handler, name, caller } = options;
  const port = options.port ?? 0;
  const host = options.host ?? '127.0.0.1';
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${caller}: port must be an integer from 0 to 65535, got ${port}`);
  if (basePath !== '' && !/^(\/[\w.-]+)+$/.test(basePath))
    throw new Error(`${caller}: basePath must look like /archive/abc123, got "${basePath}"`);
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    const send = (status: number, payload: string) => {
      res.writeHead(status, {
        'content-type': 'application/json;charset=UTF-8',
        'content-length': Buffer.byteLength(payload),
      });
      res.end(req.method === 'HEAD' ? undefined : payload);
    };
    const url = new URL(req.url ?? '/', `http://${name}.invalid`);
    if (basePath !== '' && !(url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))) {
      send(
        404,
        JSON.stringify({
          messageNumber: 10,
          message: `Object not found: ${url.pathname} (this server answers under ${basePath})`,
        }),
      );
      return;
    }
    url.pathname = url.pathname.slice(basePath.length) || '/';
    void Promise.resolve()
      .then(() => handler(req.method ?? 'GET', url))
      .then((answer) => ({ status: answer.status, payload: JSON.stringify(answer.body) }))
      .catch((err: unknown) => ({
        status: 500,
        payload: JSON.stringify({ messageNumber: 500, message: `${name} server error: ${(err as Error).message}` }),
      }))
      .then(({ status, payload }) => send(status, payload));
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(options.listenError ? options.listenError(err) : err);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}${basePath}`,
    requestCount: () => count,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      })),
  };
}
