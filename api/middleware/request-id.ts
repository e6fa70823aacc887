/**
 * Gives every request an id: the caller's `x-request-id` when it is a sane token, otherwise a new UUID. The id is
 * echoed in the response header, carried by the request's logger and named in every problem body.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../lib/log.ts';
import type { ApiEnv } from '../env.ts';
import { lazyRequestLogger } from './request-log.ts';

const SANE_ID = /^[\w.:-]{8,128}$/;

export function requestId(log: Logger): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const given = c.req.header('x-request-id');
    const id = given && SANE_ID.test(given) ? given : randomUUID();
    c.set('requestId', id);
    // Bound to the user id too once authenticate() has run (read when the logger is first used).
    c.set(
      'log',
      lazyRequestLogger(log, () => {
        const auth = c.get('auth');
        return auth ? { requestId: id, userId: auth.userId } : { requestId: id };
      }),
    );
    c.set('auth', null);
    c.header('x-request-id', id);
    await next();
  };
}
