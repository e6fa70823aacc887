/**
 * Turns every failure into one `application/problem+json` answer: `HttpProblem`s as they are, Hono's own
 * HTTPExceptions (malformed JSON, a body over the limit) as 4xx, an overloaded database (no pool connection in time,
 * a statement timeout: api/db-overload.ts) as 503 with Retry-After, anything else as a 500 that names the request id
 * and nothing internal (the stack goes to the log).
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DATABASE_OVERLOAD_RETRY_AFTER_SECONDS, databaseOverload } from '../db-overload.ts';
import type { ApiEnv } from '../env.ts';
import type { ApiMetrics } from '../metrics.ts';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemBody } from '../problem.ts';

export function problemResponse(
  c: Context<ApiEnv>,
  status: number,
  detail: string,
  extra: { type?: string; errors?: { path: string; message: string }[]; headers?: Record<string, string> } = {},
): Response {
  const body = problemBody(status, detail, {
    type: extra.type,
    errors: extra.errors,
    instance: c.get('requestId') ? `urn:request:${c.get('requestId')}` : undefined,
  });
  const headers = new Headers({ 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...extra.headers });
  const requestId = c.get('requestId');
  if (requestId) headers.set('x-request-id', requestId);
  // Headers set by earlier middleware (security, CORS, rate limit) stay on the error answer.
  c.res.headers.forEach((value, name) => {
    if (!headers.has(name) && name !== 'content-type' && name !== 'content-length') headers.set(name, value);
  });
  return new Response(JSON.stringify(body), { status, headers });
}

export function onError(metrics?: ApiMetrics): ErrorHandler<ApiEnv> {
  return (error, c) => {
    if (error instanceof HttpProblem) {
      return problemResponse(c, error.status, error.message, {
        type: error.type,
        errors: error.errors,
        headers: error.headers,
      });
    }
    if (error instanceof HTTPException && error.status < 500) {
      // Hono's validators word malformed JSON as "Malformed JSON in request body".
      return problemResponse(c, error.status, error.message || 'The request could not be read.');
    }
    const overload = databaseOverload(error);
    if (overload) {
      // Load, not a bug: a warning with the reason (no stack), and a 503 the client may retry.
      metrics?.databaseOverload(overload);
      c.get('log')?.warn(
        { overload, error: error instanceof Error ? error.message : String(error) },
        'database overloaded',
      );
      return problemResponse(
        c,
        503,
        `The database is overloaded (${overload}); retry in ${DATABASE_OVERLOAD_RETRY_AFTER_SECONDS} s.`,
        {
          headers: { 'retry-after': String(DATABASE_OVERLOAD_RETRY_AFTER_SECONDS) },
        },
      );
    }
    c.get('log')?.error({ err: error }, 'unhandled error');
    return problemResponse(
      c,
      500,
      'The server failed to answer this request; it has been logged under the request id.',
    );
  };
}

export function onNotFound(): NotFoundHandler<ApiEnv> {
  return (c) => problemResponse(c, 404, `No route matches ${c.req.method} ${c.req.path}.`);
}
