/**
 * E-mail notifications: the signed-in user's settings (rank-move and weekly-digest mail on or off, the rank-move
 * threshold), and the signed unsubscribe link every such e-mail carries, which needs no login: GET shows what it
 * will do (a link scanner fetching it changes nothing), POST does it (RFC 8058 one-click, and the page's button).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { writeAudit } from '../../db/audit-log.ts';
import { notificationSettings, saveNotificationSettings, unsubscribe } from '../../db/notification-settings.ts';
import { userById } from '../../db/users.ts';
import { linkSigningSecret } from '../../lib/local-secret.ts';
import { verifyUnsubscribeToken, type UnsubscribeClaim } from '../../notifications/links.ts';
import { escapeHtml } from '../../notifications/templates.ts';
import { ROLES, type ApiDeps, type ApiEnv } from '../env.ts';
import { requireRole } from '../middleware/auth.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { createRouter } from '../router.ts';

const SettingsSchema = z
  .strictObject({
    rankMove: z.boolean().openapi({ description: 'E-mail when watched prospects move in a new ranking.' }),
    weeklyDigest: z.boolean().openapi({ description: 'A Monday e-mail with where your watchlist stands.' }),
    rankMoveThreshold: z.number().int().min(1).max(1000).openapi({
      description:
        'Places a watched prospect must move for a rank-move e-mail (entering or leaving the rankings always counts).',
      example: 10,
    }),
  })
  .openapi('NotificationSettings');

const KIND_LABEL = { rank_move: 'rank-move alerts', weekly_digest: 'the weekly digest' } as const;

const UnsubscribeSchema = z
  .object({
    kind: z.enum(['rank_move', 'weekly_digest']).openapi({ description: 'The kind of e-mail the link stops.' }),
    unsubscribed: z.boolean().openapi({ description: 'True once that kind is off (GET: whether it already is).' }),
  })
  .openapi('Unsubscribe');

const UserIdParam = z
  .string()
  .max(36)
  .regex(
    /^(me|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/,
    'must be "me" or a user id',
  )
  .openapi({ param: { name: 'userId', in: 'path' }, description: 'Your user id, or `me`.', example: 'me' });
const TokenQuery = z.object({
  token: z.string().min(1).max(200).openapi({ description: 'The signed token of the link in the e-mail.' }),
});

const signedIn = requireRole(...ROLES);
const security = [{ bearer: [] }];
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const jsonOrHtml = {
  content: { 'application/json': { schema: UnsubscribeSchema }, 'text/html': { schema: z.string() } },
};

const getSettings = createRoute({
  method: 'get',
  path: '/users/{userId}/notifications',
  tags: ['notifications'],
  security,
  middleware: [signedIn] as const,
  summary: 'Your e-mail notification settings.',
  request: { params: z.object({ userId: UserIdParam }) },
  responses: {
    200: { description: 'Settings', ...json(SettingsSchema) },
    ...problemResponses(400, 401, 404, 413, 429),
  },
});

const putSettings = createRoute({
  method: 'put',
  path: '/users/{userId}/notifications',
  tags: ['notifications'],
  security,
  middleware: [signedIn] as const,
  summary: 'Replace your e-mail notification settings (turning a kind off cancels its queued e-mails).',
  request: { params: z.object({ userId: UserIdParam }), body: { required: true, ...json(SettingsSchema) } },
  responses: {
    200: { description: 'The saved settings', ...json(SettingsSchema) },
    ...problemResponses(400, 401, 404, 413, 415, 429),
  },
});

const getUnsubscribe = createRoute({
  method: 'get',
  path: '/notifications/unsubscribe',
  tags: ['notifications'],
  summary: 'What an unsubscribe link stops, with a button to confirm (HTML for browsers); changes nothing.',
  request: { query: TokenQuery },
  responses: {
    200: { description: "The link's kind and whether it is already off", ...jsonOrHtml },
    ...problemResponses(400, 401, 413, 429),
  },
});

const postUnsubscribe = createRoute({
  method: 'post',
  path: '/notifications/unsubscribe',
  tags: ['notifications'],
  summary: "One-click unsubscribe (RFC 8058): turns the link's kind of e-mail off and cancels what is queued of it.",
  request: { query: TokenQuery },
  responses: { 200: { description: 'Unsubscribed', ...jsonOrHtml }, ...problemResponses(400, 401, 413, 429) },
});

/** The caller's own id when the path names the caller; anyone else is a 404, whether or not that user exists. */
function self(c: Context<ApiEnv>, userId: string): string {
  const auth = c.var.auth;
  if (!auth)
    throw new HttpProblem(401, 'This endpoint needs an access token.', { headers: { 'www-authenticate': 'Bearer' } });
  if (userId === 'me' || userId.toLowerCase() === auth.userId.toLowerCase()) return auth.userId;
  throw new HttpProblem(404, 'No such user.');
}

function wantsHtml(c: Context<ApiEnv>): boolean {
  const accept = c.req.header('accept') ?? '';
  return /\btext\/html\b/.test(accept) && !/\bapplication\/json\b/.test(accept.split('text/html')[0] ?? '');
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export function notificationRoutes(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = createRouter();
  let secret: Promise<string> | undefined;

  async function claimOf(token: string): Promise<UnsubscribeClaim> {
    secret ??= linkSigningSecret(deps.config);
    const claim = verifyUnsubscribeToken(await secret, token);
    if (!claim)
      throw new HttpProblem(400, 'This unsubscribe link is not valid: use the complete link from the e-mail.');
    return claim;
  }

  app.openapi(getSettings, async (c) => {
    const userId = self(c, c.req.valid('param').userId);
    if (!(await userById(deps.pool, userId))) throw new HttpProblem(404, 'No such user.');
    return c.json(await notificationSettings(deps.pool, userId), 200);
  });

  app.openapi(putSettings, async (c) => {
    const userId = self(c, c.req.valid('param').userId);
    const saved = await saveNotificationSettings(deps.pool, userId, c.req.valid('json'));
    if (!saved) throw new HttpProblem(404, 'No such user.');
    return c.json(saved, 200);
  });

  app.openapi(getUnsubscribe, async (c) => {
    const { token } = c.req.valid('query');
    const claim = await claimOf(token);
    const settings = await notificationSettings(deps.pool, claim.userId);
    const off = claim.kind === 'rank_move' ? !settings.rankMove : !settings.weeklyDigest;
    if (wantsHtml(c)) {
      const what = KIND_LABEL[claim.kind];
      return c.html(
        off
          ? page('Already unsubscribed', `<p>You no longer receive ${escapeHtml(what)}.</p>`)
          : page(
              `Unsubscribe from ${what}?`,
              `<form method="post" action="?token=${escapeHtml(encodeURIComponent(token))}"><button type="submit">Unsubscribe</button></form>`,
            ),
        200,
      );
    }
    return c.json({ kind: claim.kind, unsubscribed: off }, 200);
  });

  app.openapi(postUnsubscribe, async (c) => {
    const claim = await claimOf(c.req.valid('query').token);
    // A user erased since the e-mail went out gets no more mail anyway: the same answer.
    if (await unsubscribe(deps.pool, claim.userId, claim.kind)) {
      await writeAudit(deps.pool, {
        actor: claim.userId,
        action: 'notifications.unsubscribe',
        subject: claim.userId,
        details: { kind: claim.kind, via: 'link' },
      });
    }
    c.var.log.info({ kind: claim.kind }, 'unsubscribed by link');
    if (wantsHtml(c))
      return c.html(
        page('Unsubscribed', `<p>You will no longer receive ${escapeHtml(KIND_LABEL[claim.kind])}.</p>`),
        200,
      );
    return c.json({ kind: claim.kind, unsubscribed: true }, 200);
  });

  return app;
}
