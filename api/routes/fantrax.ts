/**
 * Fantrax for premium members: connect with a Secret ID (checked with Fantrax, stored encrypted, never returned),
 * disconnect (everything synced is removed), the synced leagues, the user's roster with each player's match and its
 * confidence, the recommendations per league, the matches to review and their correction, and an on-demand sync.
 * Fantrax failures are 502 (down, rate limiting, a malformed answer) or 504 (timed out), as problem+json.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { writeAudit } from '../../db/audit-log.ts';
import { deleteLink, linkOf, saveLink } from '../../db/fantrax-links.ts';
import { correctMatch, matchesOf, type StoredMatch } from '../../db/fantrax-matches.ts';
import { latestSucceededSync, leaguesOf, rosterEntries } from '../../db/fantrax-syncs.ts';
import { adviceSnapshot, recommendationsOf, recomputeUserRecommendations } from '../../db/recommendations.ts';
import { FantraxError, fantraxClientFromConfig, type FantraxClient } from '../../fantrax/client.ts';
import { loadKeyring } from '../../fantrax/keyring.ts';
import { createSecretBox, type SecretBox } from '../../fantrax/secret-box.ts';
import { fantraxSyncWorkflowId } from '../../workflows/fantrax-ids.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { requireRole } from '../middleware/auth.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { createRouter } from '../router.ts';

const premium = requireRole('premium', 'admin');
const security = [{ bearer: [] }];
const tags = ['fantrax'];
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const SecretIdSchema = z
  .string()
  .trim()
  .min(4, 'is too short to be a Fantrax Secret ID')
  .max(100)
  .regex(/^[A-Za-z0-9._-]+$/, 'must be the Secret ID from your Fantrax profile (letters, digits, . _ -)')
  .openapi({
    description: 'The Secret ID on your Fantrax user profile. Stored encrypted; never shown again.',
    example: 'a1b2c3d4e5f6g7h8',
  });
const FantraxIdParam = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9_*-]+$/, 'must be a Fantrax player id')
  .openapi({ param: { name: 'fantraxId', in: 'path' }, example: '04fmv' });
const LeagueIdParam = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'must be a Fantrax league id')
  .openapi({ param: { name: 'leagueId', in: 'path' }, example: 'afwd-demo-league' });

const LeagueSchema = z
  .object({
    leagueId: z.string(),
    leagueName: z.string(),
    teamId: z.string(),
    teamName: z.string(),
    status: z
      .enum(['synced', 'inaccessible'])
      .openapi({ description: '`inaccessible`: Fantrax refused the league (private or gone) at the last sync.' }),
    updatedAt: z.iso.datetime(),
  })
  .openapi('FantraxLeague');

const ConnectionSchema = z
  .object({
    connected: z.literal(true),
    linkedAt: z.iso.datetime(),
    leagues: z.array(
      z.object({ leagueId: z.string(), leagueName: z.string(), teamId: z.string(), teamName: z.string() }),
    ),
    syncWorkflowId: z
      .string()
      .nullable()
      .openapi({ description: 'The sync started for the new link; null when none could be started now.' }),
  })
  .openapi('FantraxConnection');

const LeaguesSchema = z
  .object({
    connected: z.boolean(),
    needsReconnect: z.boolean().openapi({ description: 'Fantrax refused the stored Secret ID: connect again.' }),
    lastSyncedAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    leagues: z.array(LeagueSchema),
  })
  .openapi('FantraxLeagues');

const MatchSchema = z
  .object({
    fantraxId: z.string(),
    fantraxName: z.string(),
    fantraxTeam: z.string().nullable(),
    fantraxPosition: z.string().nullable(),
    playerId: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Our (MLBAM) player id: your correction when you made one, else the automatic match.' }),
    playerName: z.string().nullable(),
    confidence: z.number().min(0).max(1).openapi({ description: 'Of the automatic match, 0-1.' }),
    label: z.enum(['certain', 'likely', 'uncertain', 'none']),
    corrected: z.boolean(),
  })
  .openapi('FantraxMatch');

const RosterSchema = z
  .object({
    leagueId: z.string(),
    teamId: z.string(),
    teamName: z.string(),
    syncedAt: z.iso.datetime(),
    players: z.array(
      z.object({
        fantraxId: z.string(),
        rosterStatus: z.enum(['ACTIVE', 'RESERVE', 'MINORS', 'INJURED_RESERVE']),
        position: z.string().nullable(),
        match: MatchSchema.nullable(),
      }),
    ),
  })
  .openapi('FantraxRoster');

const ItemSchema = z
  .object({
    playerId: z.number().int(),
    fantraxId: z.string().nullable(),
    name: z.string(),
    rank: z.number().int(),
    organization: z.string().nullable(),
    position: z.string(),
    level: z.string(),
    eta: z.number().int().nullable(),
    probability: z.number(),
    value: z.number().openapi({ description: 'Dynasty value under your strategy, 0-100.' }),
    rankChange: z.number().int().nullable(),
    reason: z.string().nullable().openapi({ description: "The top SHAP factor or the card's first explanation line." }),
  })
  .openapi('FantraxRecommendationItem');
const MoverSchema = ItemSchema.extend({
  action: z.enum(['hold', 'sell']),
  previousValue: z.number(),
  valueChange: z.number(),
}).openapi('FantraxMover');

const RecommendationsSchema = z
  .object({
    leagueId: z.string(),
    computedAt: z.iso.datetime(),
    snapshotId: z.string(),
    previousSnapshotId: z.string().nullable(),
    strategy: z.enum(['contending', 'rebuilding']),
    farmSystem: z.array(ItemSchema).openapi({ description: 'Your ranked prospects, best dynasty value first.' }),
    freeAgents: z.array(ItemSchema).openapi({ description: 'The best ranked prospects nobody in the league rosters.' }),
    movers: z
      .array(MoverSchema)
      .openapi({ description: 'Your prospects whose value moved since the previous publication: hold or sell.' }),
    graduating: z.array(ItemSchema).openapi({ description: 'Your prospects at AAA or due by next season.' }),
  })
  .openapi('FantraxRecommendations');

/** 502: Fantrax down, rate limiting or answering oddly; 504: Fantrax did not answer in time. */
const fantraxFailures = problemResponses(502, 504);

const putConnection = createRoute({
  method: 'put',
  path: '/fantrax/connection',
  tags,
  security,
  middleware: [premium] as const,
  summary: 'Connect Fantrax with your Secret ID (checked with Fantrax, then a sync starts).',
  request: {
    body: { required: true, ...json(z.strictObject({ secretId: SecretIdSchema }).openapi('FantraxConnect')) },
  },
  responses: {
    200: { description: 'Connected', ...json(ConnectionSchema) },
    ...problemResponses(400, 401, 403, 413, 415, 429),
    ...fantraxFailures,
  },
});
const deleteConnection = createRoute({
  method: 'delete',
  path: '/fantrax/connection',
  tags,
  security,
  middleware: [premium] as const,
  summary: 'Disconnect Fantrax: the Secret ID, leagues, rosters, matches and recommendations are removed (idempotent).',
  responses: { 204: { description: 'Disconnected' }, ...problemResponses(401, 403, 413, 429) },
});
const getLeagues = createRoute({
  method: 'get',
  path: '/fantrax/leagues',
  tags,
  security,
  middleware: [premium] as const,
  summary: 'Your Fantrax leagues as the last sync saw them, and the state of the link.',
  responses: { 200: { description: 'Leagues', ...json(LeaguesSchema) }, ...problemResponses(401, 403, 429) },
});
const getRoster = createRoute({
  method: 'get',
  path: '/fantrax/leagues/{leagueId}/roster',
  tags,
  security,
  middleware: [premium] as const,
  summary: "Your team's roster in a league at the last sync, each player with his match and its confidence.",
  request: { params: z.object({ leagueId: LeagueIdParam }) },
  responses: { 200: { description: 'Roster', ...json(RosterSchema) }, ...problemResponses(400, 401, 403, 404, 429) },
});
const getRecommendations = createRoute({
  method: 'get',
  path: '/fantrax/leagues/{leagueId}/recommendations',
  tags,
  security,
  middleware: [premium] as const,
  summary: 'Recommendations for a league: farm system, free agents to claim, hold or sell, close to graduating.',
  request: { params: z.object({ leagueId: LeagueIdParam }) },
  responses: {
    200: { description: 'Recommendations', ...json(RecommendationsSchema) },
    ...problemResponses(400, 401, 403, 404, 429),
  },
});
const getMatches = createRoute({
  method: 'get',
  path: '/fantrax/matches',
  tags,
  security,
  middleware: [premium] as const,
  summary: 'Matches of the Fantrax players on your leagues to our players; `status=uncertain` lists those to review.',
  request: {
    query: z.object({
      status: z
        .enum(['certain', 'likely', 'uncertain', 'none', 'corrected'])
        .optional()
        .openapi({ description: 'Only matches with this label (corrected ones show only under `corrected`).' }),
    }),
  },
  responses: {
    200: { description: 'Matches', ...json(z.object({ matches: z.array(MatchSchema) }).openapi('FantraxMatches')) },
    ...problemResponses(400, 401, 403, 429),
  },
});
const putMatch = createRoute({
  method: 'put',
  path: '/fantrax/matches/{fantraxId}',
  tags,
  security,
  middleware: [premium] as const,
  summary:
    'Correct a match: who this Fantrax player is (null: nobody we rank). It wins over later syncs; recommendations are recomputed.',
  request: {
    params: z.object({ fantraxId: FantraxIdParam }),
    body: {
      required: true,
      ...json(
        z
          .strictObject({ playerId: z.number().int().positive().max(2_147_483_647).nullable() })
          .openapi('FantraxMatchCorrection'),
      ),
    },
  },
  responses: {
    200: { description: 'The corrected match', ...json(MatchSchema) },
    ...problemResponses(400, 401, 403, 404, 413, 415, 429),
  },
});
const postSync = createRoute({
  method: 'post',
  path: '/fantrax/sync',
  tags,
  security,
  middleware: [premium] as const,
  summary: 'Sync your Fantrax leagues now (one sync at a time: a running one is answered again).',
  responses: {
    202: {
      description: 'Sync started or already running',
      ...json(z.object({ workflowId: z.string() }).openapi('FantraxSyncStarted')),
    },
    ...problemResponses(401, 403, 409, 413, 429, 503),
  },
});

function userOf(c: Context<ApiEnv>): string {
  const auth = c.var.auth;
  if (!auth)
    throw new HttpProblem(401, 'This endpoint needs an access token.', { headers: { 'www-authenticate': 'Bearer' } });
  return auth.userId;
}

const toMatchBody = (m: StoredMatch) => ({
  fantraxId: m.fantraxId,
  fantraxName: m.fantraxName,
  fantraxTeam: m.fantraxTeam,
  fantraxPosition: m.fantraxPosition,
  playerId: m.playerId,
  playerName: m.playerName,
  confidence: m.confidence,
  label: m.label,
  corrected: m.corrected,
});

/** A Fantrax failure as the API's answer; the Secret ID is in none of these messages. */
function fantraxProblem(error: unknown): HttpProblem {
  if (!(error instanceof FantraxError)) return error as HttpProblem;
  switch (error.kind) {
    case 'invalid-secret':
      return new HttpProblem(400, error.message);
    case 'unavailable':
      return 'timedOut' in error && error.timedOut
        ? new HttpProblem(504, 'Fantrax did not answer in time; try again in a minute.')
        : new HttpProblem(502, 'Fantrax is unavailable right now; try again in a minute.');
    case 'rate-limited':
      return new HttpProblem(502, 'Fantrax is rate limiting requests right now; try again in a few minutes.');
    default:
      return new HttpProblem(502, 'Fantrax answered in an unexpected way; try again later.');
  }
}

export function fantraxRoutes(deps: ApiDeps, overrides: { client?: FantraxClient } = {}): OpenAPIHono<ApiEnv> {
  const app = createRouter();
  // A request waits for at most two attempts and never for a Retry-After: the sync workflow is the patient one.
  const client =
    overrides.client ?? fantraxClientFromConfig(deps.config, { attempts: 2, backoffMs: 100, maxRetryAfterMs: 0 });
  let box: Promise<SecretBox> | undefined;
  const secretBox = () =>
    (box ??= loadKeyring(deps.config)
      .then(createSecretBox)
      .catch((error: unknown) => {
        box = undefined;
        throw error;
      }));

  /** Starts the user's sync; null without Temporal. An already running sync is success. */
  async function startSync(userId: string): Promise<string | null> {
    const temporal = deps.temporal;
    if (!temporal) return null;
    const workflowId = fantraxSyncWorkflowId({ userId });
    try {
      await temporal.client.workflow.start('fantraxSync', {
        taskQueue: temporal.taskQueue,
        workflowId,
        args: [{ userId }],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return workflowId;
  }

  app.openapi(putConnection, async (c) => {
    const userId = userOf(c);
    const { secretId } = c.req.valid('json');
    let leagues;
    try {
      leagues = await client.getLeagues(secretId);
    } catch (error) {
      throw fantraxProblem(error);
    }
    await saveLink(deps.pool, userId, (await secretBox()).seal(secretId, userId));
    await writeAudit(deps.pool, {
      actor: userId,
      action: 'fantrax_connected',
      subject: userId,
      details: { leagues: leagues.length },
    });
    let syncWorkflowId: string | null = null;
    try {
      syncWorkflowId = await startSync(userId);
    } catch (error) {
      // The link stands; the daily sync (or POST /fantrax/sync) picks it up.
      c.var.log.warn({ err: error }, 'fantrax sync could not be started after connecting');
    }
    const link = await linkOf(deps.pool, userId);
    return c.json(
      {
        connected: true as const,
        linkedAt: (link?.linkedAt ?? deps.now()).toISOString(),
        leagues: leagues.map((l) => ({
          leagueId: l.leagueId,
          leagueName: l.leagueName,
          teamId: l.teamId,
          teamName: l.teamName,
        })),
        syncWorkflowId,
      },
      200,
    );
  });

  app.openapi(deleteConnection, async (c) => {
    const userId = userOf(c);
    // A sync still running would write rosters and matches back after the removal: stop it first (best effort).
    await deps.temporal?.client.workflow
      .getHandle(fantraxSyncWorkflowId({ userId }))
      .terminate('Fantrax disconnected')
      .catch(() => undefined);
    const removed = await deleteLink(deps.pool, userId);
    if (removed) await writeAudit(deps.pool, { actor: userId, action: 'fantrax_disconnected', subject: userId });
    return c.body(null, 204);
  });

  app.openapi(getLeagues, async (c) => {
    const userId = userOf(c);
    const [link, leagues] = await Promise.all([linkOf(deps.pool, userId), leaguesOf(deps.pool, userId)]);
    return c.json(
      {
        connected: link !== null,
        needsReconnect: link?.needsReconnect ?? false,
        lastSyncedAt: link?.lastSyncedAt?.toISOString() ?? null,
        lastError: link?.lastError ?? null,
        leagues: leagues.map((l) => ({ ...l, updatedAt: l.updatedAt.toISOString() })),
      },
      200,
    );
  });

  app.openapi(getRoster, async (c) => {
    const userId = userOf(c);
    const { leagueId } = c.req.valid('param');
    const [league, sync] = await Promise.all([
      leaguesOf(deps.pool, userId).then((all) => all.find((l) => l.leagueId === leagueId)),
      latestSucceededSync(deps.pool, userId),
    ]);
    if (!league || !sync) throw new HttpProblem(404, `No synced Fantrax league ${leagueId}.`);
    const entries = (await rosterEntries(deps.pool, userId, leagueId, sync.syncId)).filter(
      (e) => e.teamId === league.teamId,
    );
    const matches = new Map(
      (await matchesOf(deps.pool, userId, { fantraxIds: entries.map((e) => e.fantraxId) })).map((m) => [
        m.fantraxId,
        m,
      ]),
    );
    return c.json(
      {
        leagueId,
        teamId: league.teamId,
        teamName: league.teamName,
        syncedAt: sync.finishedAt.toISOString(),
        players: entries.map((e) => {
          const match = matches.get(e.fantraxId);
          return {
            fantraxId: e.fantraxId,
            rosterStatus: e.rosterStatus as 'ACTIVE',
            position: e.position,
            match: match ? toMatchBody(match) : null,
          };
        }),
      },
      200,
    );
  });

  app.openapi(getRecommendations, async (c) => {
    const userId = userOf(c);
    const { leagueId } = c.req.valid('param');
    const stored = await recommendationsOf(deps.pool, userId, leagueId);
    if (!stored)
      throw new HttpProblem(
        404,
        `No recommendations for league ${leagueId} yet: connect Fantrax and wait for the first sync.`,
      );
    const b = stored.body;
    return c.json(
      {
        leagueId,
        computedAt: stored.computedAt.toISOString(),
        snapshotId: b.snapshotId,
        previousSnapshotId: b.previousSnapshotId,
        strategy: b.strategy,
        farmSystem: b.farmSystem,
        freeAgents: b.freeAgents,
        movers: b.movers,
        graduating: b.graduating,
      },
      200,
    );
  });

  app.openapi(getMatches, async (c) => {
    const userId = userOf(c);
    const { status } = c.req.valid('query');
    const matches = await matchesOf(deps.pool, userId, status ? { label: status } : {});
    return c.json({ matches: matches.map(toMatchBody) }, 200);
  });

  app.openapi(putMatch, async (c) => {
    const userId = userOf(c);
    const { fantraxId } = c.req.valid('param');
    const { playerId } = c.req.valid('json');
    const outcome = await correctMatch(deps.pool, userId, fantraxId, playerId);
    if (outcome === 'unknown-fantrax') throw new HttpProblem(404, `No Fantrax player ${fantraxId} on your leagues.`);
    if (outcome === 'unknown-player') throw new HttpProblem(404, `No player ${playerId}.`);
    // The correction changes who is rostered where: the recommendations follow at once.
    const snapshot = await adviceSnapshot(deps.pool);
    if (snapshot) await recomputeUserRecommendations(deps.pool, userId, snapshot, deps.now().getUTCFullYear());
    const [match] = await matchesOf(deps.pool, userId, { fantraxIds: [fantraxId] });
    return c.json(toMatchBody(match!), 200);
  });

  app.openapi(postSync, async (c) => {
    const userId = userOf(c);
    const link = await linkOf(deps.pool, userId);
    if (!link) throw new HttpProblem(409, 'Connect Fantrax first (PUT /api/v1/fantrax/connection).');
    if (link.needsReconnect)
      throw new HttpProblem(409, 'Fantrax refused your Secret ID: connect again with the one on your Fantrax profile.');
    if (!deps.temporal)
      throw new HttpProblem(
        503,
        'Syncs cannot be started right now (no workflow service); the daily sync still runs.',
        { headers: { 'retry-after': '60' } },
      );
    const workflowId = await startSync(userId);
    return c.json({ workflowId: workflowId! }, 202);
  });

  return app;
}
