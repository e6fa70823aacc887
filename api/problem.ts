/**
 * The API's one error shape, RFC 9457 `application/problem+json`: every 4xx and 5xx goes out through `problemBody`.
 * Routes throw `HttpProblem`; the error middleware (api/middleware/errors.ts) turns anything else into a 500 that
 * names the request id and nothing internal.
 */
import { z } from '@hono/zod-openapi';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const ProblemSchema = z
  .object({
    /** A URI naming the kind of problem; `about:blank` when the status says it all. */
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    /** What went wrong with this request, in one sentence a client developer can act on. */
    detail: z.string(),
    /** The request id (also in the `x-request-id` response header), for support and the logs. */
    instance: z.string().optional(),
    /** Field-level problems of a request that failed validation. */
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');
export type Problem = z.infer<typeof ProblemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Thrown by routes and middleware for any answer that is not a success. */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  readonly status: number;
  readonly type: string;
  readonly errors: Problem['errors'];
  /** Extra response headers (WWW-Authenticate, Retry-After). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    detail: string,
    options: { type?: string; errors?: Problem['errors']; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.status = status;
    this.type = options.type ?? 'about:blank';
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

export function problemBody(
  status: number,
  detail: string,
  extra: { type?: string; instance?: string; errors?: Problem['errors'] } = {},
): Problem {
  return {
    type: extra.type ?? 'about:blank',
    title: TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error'),
    status,
    detail,
    ...(extra.instance ? { instance: extra.instance } : {}),
    ...(extra.errors?.length ? { errors: extra.errors } : {}),
  };
}

/** OpenAPI response entries for the problems a route can answer, e.g. `...problemResponses(400, 401, 404)`. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: TITLES[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
      },
    ]),
  ) as Record<
    number,
    { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }
  >;
}
