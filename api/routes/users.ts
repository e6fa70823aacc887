/**
 * The signed-in user's own account: profile, preferences (strategy and scoring weights) and watchlist, each with
 * his rank in the served snapshot and his latest move. Paths take a user id (or `me`); any id but the caller's own is
 * a 404, so ids cannot be probed for existence.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { userById, setPreferences } from '../../db/users.ts';
import { latestPublishedSnapshot } from '../../db/rankings.ts';
import { addToWatchlist, removeFromWatchlist, watchlist } from '../../db/watchlists.ts';
import { ROLES, type ApiDeps, type ApiEnv } from '../env.ts';
import { requireRole } from '../middleware/auth.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { createRouter } from '../router.ts';

export const WATCHLIST_MAX_ITEMS = 200;

const weight = z.number().min(0).max(1);
const PreferencesSchema = z
  .strictObject({
    strategy: z
      .enum(['contending', 'rebuilding'])
      .openapi({ description: 'Contending favours prospects close to the majors; rebuilding, long-term upside.' }),
    scoringWeights: z.strictObject({
      probability: weight.openapi({ description: 'Weight of the probability of MLB success, 0 to 1.' }),
      eta: weight.openapi({ description: 'Weight of arriving soon, 0 to 1.' }),
      age: weight.openapi({ description: 'Weight of youth for the level, 0 to 1.' }),
      dynastyValue: weight.openapi({ description: 'Weight of the dynasty value, 0 to 1.' }),
    }),
  })
  .openapi('Preferences');
export type Preferences = z.infer<typeof PreferencesSchema>;

export const DEFAULT_PREFERENCES: Preferences = {
  strategy: 'rebuilding',
  scoringWeights: { probability: 0.5, eta: 0.2, age: 0.1, dynastyValue: 0.2 },
};

/** Stored preferences as the API shows them: the defaults until the user saved a valid set. */
export function readPreferences(stored: unknown): Preferences {
  const parsed = PreferencesSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_PREFERENCES;
}

const ProfileSchema = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    role: z.enum(['free', 'premium', 'admin']),
    createdAt: z.iso.datetime(),
    preferences: PreferencesSchema,
  })
  .openapi('Profile');

const WatchlistItemSchema = z
  .object({
    playerId: z.number().int(),
    name: z.string(),
    addedAt: z.iso.datetime(),
    rank: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Rank in the served snapshot; null when he is not ranked there.' }),
    rankChange: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Move since the snapshot before: positive = up; null when he was not ranked then.' }),
  })
  .openapi('WatchlistItem');

const WatchlistSchema = z
  .object({
    snapshotId: z
      .string()
      .nullable()
      .openapi({ description: 'The served ranking snapshot the ranks come from; null before the first publication.' }),
    items: z.array(WatchlistItemSchema),
  })
  .openapi('Watchlist');

export const UserIdParam = z
  .string()
  .max(36)
  .regex(
    /^(me|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/,
    'must be "me" or a user id',
  )
  .openapi({ param: { name: 'userId', in: 'path' }, description: 'Your user id, or `me`.', example: 'me' });
const PlayerIdParam = z
  .string()
  .max(10)
  .regex(/^[1-9][0-9]{0,8}$/, 'must be a player id (a positive integer)')
  .transform(Number)
  .openapi({ param: { name: 'playerId', in: 'path' }, type: 'integer', example: '682998' });

const signedIn = requireRole(...ROLES);
const security = [{ bearer: [] }];
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const getProfile = createRoute({
  method: 'get',
  path: '/users/{userId}',
  tags: ['users'],
  security,
  middleware: [signedIn] as const,
  summary: 'Your profile and preferences.',
  request: { params: z.object({ userId: UserIdParam }) },
  responses: { 200: { description: 'Profile', ...json(ProfileSchema) }, ...problemResponses(400, 401, 404, 413, 429) },
});

const putPreferences = createRoute({
  method: 'put',
  path: '/users/{userId}/preferences',
  tags: ['users'],
  security,
  middleware: [signedIn] as const,
  summary: 'Replace your preferences.',
  request: { params: z.object({ userId: UserIdParam }), body: { required: true, ...json(PreferencesSchema) } },
  responses: {
    200: { description: 'The saved preferences', ...json(PreferencesSchema) },
    ...problemResponses(400, 401, 404, 413, 415, 429),
  },
});

const getWatchlist = createRoute({
  method: 'get',
  path: '/users/{userId}/watchlist',
  tags: ['users'],
  security,
  middleware: [signedIn] as const,
  summary: "Your watchlist, best ranked first, with each prospect's latest rank change.",
  request: { params: z.object({ userId: UserIdParam }) },
  responses: {
    200: { description: 'Watchlist', ...json(WatchlistSchema) },
    ...problemResponses(400, 401, 404, 413, 429),
  },
});

const putWatched = createRoute({
  method: 'put',
  path: '/users/{userId}/watchlist/{playerId}',
  tags: ['users'],
  security,
  middleware: [signedIn] as const,
  summary: `Watch a prospect (idempotent; at most ${WATCHLIST_MAX_ITEMS}).`,
  request: { params: z.object({ userId: UserIdParam, playerId: PlayerIdParam }) },
  responses: { 204: { description: 'On the watchlist' }, ...problemResponses(400, 401, 404, 409, 413, 429) },
});

const deleteWatched = createRoute({
  method: 'delete',
  path: '/users/{userId}/watchlist/{playerId}',
  tags: ['users'],
  security,
  middleware: [signedIn] as const,
  summary: 'Stop watching a prospect (idempotent).',
  request: { params: z.object({ userId: UserIdParam, playerId: PlayerIdParam }) },
  responses: { 204: { description: 'Not on the watchlist' }, ...problemResponses(400, 401, 404, 413, 429) },
});

/** The caller's own id when the path names the caller; anyone else is a 404, whether or not that user exists. */
export function self(c: Context<ApiEnv>, userId: string): string {
  const auth = c.var.auth;
  if (!auth)
    throw new HttpProblem(401, 'This endpoint needs an access token.', { headers: { 'www-authenticate': 'Bearer' } });
  if (userId === 'me' || userId.toLowerCase() === auth.userId.toLowerCase()) return auth.userId;
  throw new HttpProblem(404, 'No such user.');
}

export function userRoutes(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = createRouter();

  app.openapi(getProfile, async (c) => {
    const user = await userById(deps.pool, self(c, c.req.valid('param').userId));
    if (!user) throw new HttpProblem(404, 'No such user.');
    return c.json(
      {
        userId: user.userId,
        email: user.email,
        role: user.role,
        createdAt: user.createdAt.toISOString(),
        preferences: readPreferences(user.preferences),
      },
      200,
    );
  });

  app.openapi(putPreferences, async (c) => {
    const userId = self(c, c.req.valid('param').userId);
    const user = await setPreferences(deps.pool, userId, c.req.valid('json'));
    if (!user) throw new HttpProblem(404, 'No such user.');
    return c.json(readPreferences(user.preferences), 200);
  });

  app.openapi(getWatchlist, async (c) => {
    const userId = self(c, c.req.valid('param').userId);
    const [items, served] = await Promise.all([watchlist(deps.pool, userId), latestPublishedSnapshot(deps.pool)]);
    return c.json(
      {
        snapshotId: served?.snapshotId ?? null,
        items: items.map((item) => ({
          playerId: item.playerId,
          name: item.name,
          addedAt: item.addedAt.toISOString(),
          rank: item.rank,
          rankChange: item.rankChange,
        })),
      },
      200,
    );
  });

  app.openapi(putWatched, async (c) => {
    const { userId, playerId } = c.req.valid('param');
    const outcome = await addToWatchlist(deps.pool, self(c, userId), playerId, WATCHLIST_MAX_ITEMS);
    if (outcome === 'unknown-player') throw new HttpProblem(404, `No player ${playerId}.`);
    if (outcome === 'full')
      throw new HttpProblem(409, `The watchlist holds at most ${WATCHLIST_MAX_ITEMS} prospects; remove one first.`);
    return c.body(null, 204);
  });

  app.openapi(deleteWatched, async (c) => {
    const { userId, playerId } = c.req.valid('param');
    await removeFromWatchlist(deps.pool, self(c, userId), playerId);
    return c.body(null, 204);
  });

  return app;
}
