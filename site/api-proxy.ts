/**
 * Forwards the premium API's paths (/api/*, /.well-known/*) from the site's server to the API, so pages and API share
 * one origin and the refresh cookie (HttpOnly, Path=/api/v1/auth) is first-party. Production nginx does the same
 * with `location /api/ { proxy_pass ... }` (docs/site-accounts.md). Streams both ways; keeps method, status and
 * every header (cookies, Set-Cookie) but the hop-by-hop ones; an API that cannot be reached is a 502 (a problem, or
 * a page for a browser navigating there), one that goes silent for `timeoutMs` a 504.
 */
import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';

/** Paths the site's server hands to the API. */
export function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/') || pathname.startsWith('/.well-known/');
}

// Per RFC 9110 7.6.1 these describe one connection, never the message: a proxy drops them.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Headers minus the hop-by-hop ones and any the Connection header names. */
function endToEnd(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const named = new Set(
    String(headers.connection ?? '')
      .toLowerCase()
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

export interface ApiProxy {
  /** Sends one request on to the API and its answer back; resolves when the answer is finished or abandoned. */
  forward(req: IncomingMessage, res: ServerResponse, pathAndQuery: string): Promise<void>;
  close(): void;
}

export interface ApiProxyOptions {
  /**
   * How long the API may stay silent (no byte sent or received) before the request is dropped: a 504 before the
   * answer started, a cut connection after. @default 60_000 (nginx's proxy_read_timeout)
   */
  timeoutMs?: number;
}

export function createApiProxy(apiUrl: string, { timeoutMs = 60_000 }: ApiProxyOptions = {}): ApiProxy {
  const target = new URL(apiUrl);
  if (target.protocol !== 'http:')
    throw new Error(`apiUrl must be an http:// URL (got ${apiUrl}); TLS ends at nginx in production.`);
  // A connection per request, as nginx does by default: a reused idle connection the API is closing at that moment
  // (its keep-alive timeout) fails the request with ECONNRESET, and a streamed body cannot be replayed.
  const agent = new Agent({ keepAlive: false });

  const badGateway = (req: IncomingMessage, res: ServerResponse, timedOut: boolean) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status = timedOut ? 504 : 502;
    const title = timedOut ? 'Gateway Timeout' : 'Bad Gateway';
    const detail = `The premium API ${timedOut ? 'did not answer in time' : 'cannot be reached right now'}; the rankings still work. Try again shortly.`;
    // A page for a browser that navigated here (the API docs, an unsubscribe link); a problem for scripts.
    const html = /\btext\/html\b/.test(String(req.headers.accept ?? ''));
    const body = html
      ? `<!doctype html><html lang="en"><meta charset="utf-8"><title>API unavailable</title><h1>API unavailable</h1><p>${detail}</p><p><a href="/">The rankings</a></p></html>`
      : JSON.stringify({ type: 'about:blank', title, status, detail });
    res
      .writeHead(status, {
        'Content-Type': html ? 'text/html; charset=utf-8' : 'application/problem+json',
        'Cache-Control': 'no-store',
        'Content-Length': Buffer.byteLength(body),
      })
      .end(body);
  };

  return {
    forward: (req, res, pathAndQuery) =>
      new Promise<void>((done) => {
        const headers = endToEnd(req.headers);
        const client = req.socket.remoteAddress ?? '';
        const forwardedFor = req.headers['x-forwarded-for'];
        headers['x-forwarded-for'] = forwardedFor ? `${String(forwardedFor)}, ${client}` : client;
        // What this proxy saw, never what the client claims: the API builds links and decides on https from them.
        headers['x-forwarded-proto'] = 'http';
        if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
        else delete headers['x-forwarded-host'];
        // A chunked body goes on chunked: Node frames a body without Content-Length that way only for POST, PUT and
        // PATCH, and writes a GET's or DELETE's raw, where the API would read it as the next request (smuggling).
        if (req.headers['transfer-encoding'] !== undefined) headers['transfer-encoding'] = 'chunked';
        const upstream = request(
          {
            agent,
            protocol: target.protocol,
            hostname: target.hostname,
            port: target.port,
            method: req.method,
            path: pathAndQuery,
            headers,
          },
          (answer: IncomingMessage) => {
            res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
            answer.pipe(res);
            answer.on('end', done);
            answer.on('error', () => {
              res.destroy();
              done();
            });
          },
        );
        let timedOut = false;
        upstream.setTimeout(timeoutMs, () => {
          timedOut = true;
          upstream.destroy();
        });
        upstream.on('error', () => {
          badGateway(req, res, timedOut);
          done();
        });
        // The reader went away: stop the API's work on his behalf too.
        res.on('close', () => {
          if (!res.writableFinished) upstream.destroy();
          done();
        });
        req.pipe(upstream);
      }),
    close: () => agent.destroy(),
  };
}
