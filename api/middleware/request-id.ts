/**
 * Gives every request an id: the caller's `x-request-id` when it is a sane token, otherwise a new UUID. The id is
 * echoed in the response header, carried by the request's logger and named in every problem body.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../lib/log.ts';
import type { ApiEnv } from '../env.ts';

const SANE_ID = /^[\w.:-]{8,128}$/;

export function requestId(log: Logger): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const given = c.req.header('x-request-id');
    const id = given && SANE_ID.test(given) ? given : randomUUID();
    c.set('requestId', id);
    c.set('log', log.child({ requestId: id }));
    c.set('auth', null);
    c.header('x-request-id', id);
    await next();
  };
}
