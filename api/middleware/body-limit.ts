/**
 * Refuses request bodies over the limit with 413 before they are read into memory (a declared Content-Length over
 * the limit is refused at once; a chunked body is cut off as soon as it passes it).
 *
 * A request from the Node server that declares no body (neither Content-Length nor Transfer-Encoding: HTTP/1.1 then
 * has none, RFC 9112 section 6.3; the usual GET) passes without Hono's check, which asks for `c.req.raw.body` and so
 * makes @hono/node-server build a full Request with a body stream for every request (6% of a cached card's CPU).
 */
import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiEnv } from '../env.ts';
import { HttpProblem } from '../problem.ts';

export function bodySizeLimit(maxBytes: number): MiddlewareHandler<ApiEnv> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HttpProblem(413, `The request body is larger than the limit of ${maxBytes} bytes.`);
    },
  });
  return (c, next) => {
    // Set by @hono/node-server; absent when the app is called in-process (tests), which takes the full check.
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (
      incoming &&
      incoming.headers['content-length'] === undefined &&
      incoming.headers['transfer-encoding'] === undefined
    )
      return next();
    return limit(c, next);
  };
}
