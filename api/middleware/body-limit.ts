/**
 * Refuses request bodies over the limit with 413 before they are read into memory (a declared Content-Length over
 * the limit is refused at once; a chunked body is cut off as soon as it passes it).
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiEnv } from '../env.ts';
import { HttpProblem } from '../problem.ts';

export function bodySizeLimit(maxBytes: number): MiddlewareHandler<ApiEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HttpProblem(413, `The request body is larger than the limit of ${maxBytes} bytes.`);
    },
  });
}
