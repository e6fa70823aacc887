/**
 * Password reset under /api/v1/auth: a request e-mails a one-time link (always the same 202, throttled per IP, so it
 * tells nobody whether an address has an account) and the confirmation trades the link's token for a new password,
 * logging out every session of the account.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { userByEmail } from '../../db/users.ts';
import { startOutboxDrain } from '../../infra/outbox-drain.ts';
import { afterResponse } from '../after-response.ts';
import { EmailSchema } from '../auth/email.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PasswordSchema } from '../auth/passwords.ts';
import { confirmPasswordReset, PASSWORD_RESET_TTL_SECONDS, requestPasswordReset } from '../auth/password-reset.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { createRouter } from '../router.ts';
import { ipBucket, refused } from './auth.ts';

/** Reset requests per client IP per hour (each may send an e-mail). */
export const PASSWORD_RESET_IP_LIMIT = { limit: 10, windowSeconds: 3600 } as const;

const RESET_ACCEPTED =
  'If the address has an account, a link to choose a new password is on its way; it works once, within an hour.';
const RESET_FAILED = 'The reset link is invalid, expired or already used: ask for a new one.';

const ResetRequestSchema = z.strictObject({ email: EmailSchema }).openapi('PasswordResetRequest');

const ResetConfirmSchema = z
  .strictObject({
    token: z.string().min(1).max(128).openapi({ description: 'The `token` query parameter of the e-mailed link.' }),
    password: PasswordSchema.openapi({
      description: `The new password, ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`,
    }),
  })
  .openapi('PasswordResetConfirmation');

const AcceptedSchema = z.object({ status: z.literal('accepted'), detail: z.string() }).openapi('PasswordResetAccepted');

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const requestReset = createRoute({
  method: 'post',
  path: '/api/v1/auth/password-reset',
  tags: ['auth'],
  summary: 'E-mail a link to choose a new password.',
  description:
    `Always answers 202 with the same body, whether or not the address has an account. The link points at the site's ` +
    `/account/reset/?token=... page and works once, within ${PASSWORD_RESET_TTL_SECONDS / 60} minutes. Throttled: ` +
    `${PASSWORD_RESET_IP_LIMIT.limit} requests per hour per client IP (429; 503 while the throttle cannot be checked).`,
  request: { body: { required: true, ...json(ResetRequestSchema) } },
  responses: {
    202: { description: 'Request accepted', ...json(AcceptedSchema) },
    ...problemResponses(400, 413, 415, 429, 503),
  },
});

const confirmReset = createRoute({
  method: 'post',
  path: '/api/v1/auth/password-reset/confirm',
  tags: ['auth'],
  summary: 'Set a new password with the e-mailed token; every session of the account is logged out.',
  request: { body: { required: true, ...json(ResetConfirmSchema) } },
  responses: { 204: { description: 'Password changed: log in with it' }, ...problemResponses(400, 413, 415, 429) },
});

export function passwordResetRoutes(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = createRouter();

  app.openapi(requestReset, async (c) => {
    const { email } = c.req.valid('json');
    const bucket = ipBucket(deps, c, 'password-reset');
    if (bucket) {
      const hit = await deps.limiter.hit(bucket, PASSWORD_RESET_IP_LIMIT.limit, PASSWORD_RESET_IP_LIMIT.windowSeconds, {
        failClosed: true,
      });
      if (!hit.allowed) throw refused(hit, 'Too many password-reset requests from this address; try again later.');
    }
    const user = await userByEmail(deps.pool, email);
    const now = deps.now();
    const log = c.var.log;
    // The link is made after the answer (its transaction runs only for an account, so awaiting it would let the
    // answer's timing tell whether the address has one). Then the e-mail is sent now rather than at the next
    // scheduled drain: asked for every request alike, never waited for (the scheduled drain is the fallback).
    afterResponse(log, 'the password-reset request', async () => {
      if (user) await requestPasswordReset(deps.pool, { userId: user.userId, siteUrl: deps.config.siteUrl, now });
      if (deps.temporal) {
        const { client, taskQueue } = deps.temporal;
        await startOutboxDrain(client, taskQueue).catch((error: unknown) =>
          log.warn({ err: error }, 'could not start the outbox drain; the scheduled one will send the e-mail'),
        );
      }
    });
    return c.json({ status: 'accepted' as const, detail: RESET_ACCEPTED }, 202);
  });

  app.openapi(confirmReset, async (c) => {
    const { token, password } = c.req.valid('json');
    const outcome = await confirmPasswordReset(deps.pool, { token, password, now: deps.now() });
    if (!outcome.ok) throw new HttpProblem(400, RESET_FAILED);
    c.var.log.info({ userId: outcome.userId }, 'password reset');
    return c.body(null, 204);
  });

  return app;
}
