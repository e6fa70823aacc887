/**
 * Data rights of the signed-in user: download everything held about the account (GET /users/{userId}/export) and
 * erase the account (DELETE /users/{userId}, re-authenticated by the password). Like the profile routes, paths take
 * the caller's own id or `me`; any other id is a 404.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { writeAudit } from '../../db/audit-log.ts';
import { credentialsById } from '../../db/users.ts';
import { createStripeClient } from '../../billing/stripe-client.ts';
import { eraseAccount } from '../account/erasure.ts';
import { EXPORT_FORMAT, exportAccount } from '../account/export.ts';
import { pseudonymFor, pseudonymPepper } from '../account/pseudonym.ts';
import { PASSWORD_MAX_LENGTH, verifyPassword } from '../auth/passwords.ts';
import { ROLES, type ApiDeps, type ApiEnv } from '../env.ts';
import { requireRole } from '../middleware/auth.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { createRouter } from '../router.ts';
import { self, UserIdParam } from './users.ts';

/** Erasure attempts per account per 15 minutes: the password check must not become a guessing oracle. */
export const DELETE_ACCOUNT_LIMIT = { limit: 5, windowSeconds: 15 * 60 } as const;

const Rows = z.array(z.record(z.string(), z.unknown()));

const AccountExportSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    exportedAt: z.iso.datetime(),
    userId: z.uuid(),
    profile: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'The account: email, role, preferences, Stripe customer id, dates.' }),
    sessions: Rows.openapi({
      description: 'Logins (refresh-token families): created, expires, used, revoked. Never a token.',
    }),
    emails: Rows.openapi({ description: 'E-mails queued for you: kind, status, attempts, dates.' }),
    passwordResets: Rows.openapi({ description: 'Password-reset requests: created, expires, used.' }),
    fantraxLink: Rows.openapi({ description: 'The Fantrax link (state, last sync, dates); never the Secret ID.' }),
    fantraxRosters: Rows.openapi({ description: 'The rosters your Fantrax syncs stored, by sync, league and team.' }),
    auditLog: Rows.openapi({
      description: 'Audit entries by or about you; another person as actor shows as "another user".',
    }),
    tables: z.record(z.string(), Rows).openapi({
      description:
        'Every other table holding rows of yours, by table name: watchlists, subscriptions, notification_settings, email_unsubscribes, fantrax_leagues, fantrax_syncs, fantrax_matches, fantrax_recommendations...',
    }),
  })
  .openapi('AccountExport');

const DeleteAccountSchema = z
  .strictObject({
    password: z
      .string()
      .min(1)
      .max(PASSWORD_MAX_LENGTH)
      .openapi({ description: 'Your current password (re-authentication).' }),
  })
  .openapi('DeleteAccountRequest');

const signedIn = requireRole(...ROLES);
const security = [{ bearer: [] }];

const exportData = createRoute({
  method: 'get',
  path: '/users/{userId}/export',
  tags: ['users'],
  security,
  middleware: [signedIn] as const,
  summary: 'Download everything held about your account, as one JSON file.',
  description:
    'Profile, preferences, sessions, watchlist, subscriptions, notification settings and e-mail history, the Fantrax link ' +
    'and data, and the audit entries about you. Answered as an attachment (Content-Disposition). Secrets (password, tokens, ' +
    'the Fantrax Secret ID) are never included.',
  request: { params: z.object({ userId: UserIdParam }) },
  responses: {
    200: { description: 'The export', content: { 'application/json': { schema: AccountExportSchema } } },
    ...problemResponses(400, 401, 404, 429),
  },
});

const deleteAccount = createRoute({
  method: 'delete',
  path: '/users/{userId}',
  tags: ['users'],
  security,
  middleware: [signedIn] as const,
  summary: 'Erase your account and everything about you (needs your password).',
  description:
    'In one transaction: the account and all its data are deleted, pending e-mails cancelled, and audit entries kept ' +
    'under a pseudonym. The Stripe customer is then deleted (which cancels any subscription); should Stripe fail, the erasure ' +
    `still completes and the Stripe deletion is retried. Wrong password: 401 (${DELETE_ACCOUNT_LIMIT.limit} attempts per 15 minutes, then 429).`,
  request: {
    params: z.object({ userId: UserIdParam }),
    body: { required: true, content: { 'application/json': { schema: DeleteAccountSchema } } },
  },
  responses: {
    204: { description: 'Erased: the access token stops working when it expires, and every refresh token is gone.' },
    ...problemResponses(400, 401, 404, 413, 415, 429),
  },
});

export function accountRoutes(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = createRouter();

  app.openapi(exportData, async (c) => {
    const userId = self(c, c.req.valid('param').userId);
    const now = deps.now();
    const data = await exportAccount(deps.pool, userId, now);
    if (!data) throw new HttpProblem(404, 'No such user.');
    await writeAudit(deps.pool, { actor: userId, action: 'data_exported', subject: userId });
    c.header('content-disposition', `attachment; filename="afwd-account-${now.toISOString().slice(0, 10)}.json"`);
    c.header('cache-control', 'no-store');
    return c.json(data, 200);
  });

  app.openapi(deleteAccount, async (c) => {
    const userId = self(c, c.req.valid('param').userId);
    const hit = await deps.limiter.hit(
      `delete-account:user:${userId}`,
      DELETE_ACCOUNT_LIMIT.limit,
      DELETE_ACCOUNT_LIMIT.windowSeconds,
    );
    if (!hit.allowed)
      throw new HttpProblem(429, 'Too many attempts to erase this account; try again later.', {
        headers: { 'retry-after': String(hit.resetSeconds) },
      });
    const credentials = await credentialsById(deps.pool, userId);
    if (!credentials) throw new HttpProblem(404, 'No such user.');
    if (!(await verifyPassword(credentials.passwordHash, c.req.valid('json').password))) {
      throw new HttpProblem(401, 'The password is wrong: the account was not erased.');
    }
    const pseudonym = pseudonymFor(userId, await pseudonymPepper(deps.config));
    const erased = await eraseAccount(deps.pool, () => createStripeClient(deps.config), {
      userId,
      pseudonym,
      now: deps.now(),
    });
    if (!erased) throw new HttpProblem(404, 'No such user.');
    if (erased.stripePending > 0)
      c.var.log.warn(
        { pseudonym, stripePending: erased.stripePending },
        'account erased; Stripe customer deletion queued for retry',
      );
    else c.var.log.info({ pseudonym }, 'account erased');
    return c.body(null, 204);
  });

  return app;
}
