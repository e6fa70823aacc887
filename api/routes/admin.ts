/**
 * Operator routes, admin role only: list accounts, set a role (premium by hand until payments land; written to the
 * audit log), and see the serving model and the pipeline's last run.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { writeAudit } from '../../db/audit-log.ts';
import { servingModel } from '../../db/models.ts';
import { lastPipelineRun } from '../../db/pipeline-runs.ts';
import { changeRole, listUsers } from '../../db/users.ts';
import { withTransaction } from '../../lib/db.ts';
import { ROLES, type ApiDeps, type ApiEnv, type Role } from '../env.ts';
import { requireRole } from '../middleware/auth.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { createRouter } from '../router.ts';

const RoleSchema = z.enum(ROLES as [Role, ...Role[]]);
const iso = z.iso.datetime();

const AdminUserSchema = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    role: RoleSchema,
    createdAt: iso,
    lastLoginAt: iso.nullable(),
  })
  .openapi('AdminUser');

const UserPageSchema = z
  .object({
    users: z.array(AdminUserSchema),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('AdminUserPage');

const ListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  role: RoleSchema.optional(),
});

const UserIdParam = z
  .uuid()
  .openapi({ param: { name: 'userId', in: 'path' }, example: '0b7e2f0c-3f7a-4c59-9f7e-2b1d7d9d4c11' });
const SetRoleSchema = z.strictObject({ role: RoleSchema }).openapi('SetRoleRequest');

const StatusSchema = z
  .object({
    servingModel: z
      .object({
        modelVersion: z.string(),
        algorithm: z.string(),
        createdAt: iso,
        promotedAt: iso.nullable(),
        holdoutSeason: z.number().int().nullable(),
        metrics: z.record(z.string(), z.unknown()),
      })
      .nullable(),
    lastPipelineRun: z.object({
      ingest: z
        .object({
          batchId: z.number().int(),
          source: z.string(),
          season: z.number().int().nullable(),
          startedAt: iso,
          finishedAt: iso.nullable(),
          status: z.string(),
        })
        .nullable(),
      prediction: z
        .object({ predictionRunId: z.string(), modelVersion: z.string(), asOfSeason: z.number().int(), createdAt: iso })
        .nullable(),
      ranking: z
        .object({
          snapshotId: z.string(),
          predictionRunId: z.string(),
          generatedAt: iso,
          publishedAt: iso.nullable(),
          prospectCount: z.number().int(),
        })
        .nullable(),
      lastPublishedAt: iso.nullable(),
    }),
  })
  .openapi('AdminStatus');

const adminOnly = requireRole('admin');
const security = [{ bearer: [] }];
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const isoOrNull = (date: Date | null) => date?.toISOString() ?? null;

const list = createRoute({
  method: 'get',
  path: '/admin/users',
  tags: ['admin'],
  security,
  middleware: [adminOnly] as const,
  summary: 'List accounts, oldest first (admin).',
  request: { query: ListQuerySchema },
  responses: {
    200: { description: 'A page of accounts', ...json(UserPageSchema) },
    ...problemResponses(400, 401, 403, 413, 429),
  },
});

const setRole = createRoute({
  method: 'put',
  path: '/admin/users/{userId}/role',
  tags: ['admin'],
  security,
  middleware: [adminOnly] as const,
  summary: "Set an account's role (admin). Premium is set here by hand until payments land; every change is audited.",
  request: { params: z.object({ userId: UserIdParam }), body: { required: true, ...json(SetRoleSchema) } },
  responses: {
    200: { description: 'The account with its new role', ...json(AdminUserSchema) },
    ...problemResponses(400, 401, 403, 404, 409, 413, 415, 429),
  },
});

const status = createRoute({
  method: 'get',
  path: '/admin/status',
  tags: ['admin'],
  security,
  middleware: [adminOnly] as const,
  summary: "The serving model and the pipeline's last run (admin).",
  responses: { 200: { description: 'Status', ...json(StatusSchema) }, ...problemResponses(401, 403, 413, 429) },
});

export function adminRoutes(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = createRouter();

  app.openapi(list, async (c) => {
    const query = c.req.valid('query');
    const page = await listUsers(deps.pool, query);
    return c.json(
      {
        users: page.users.map((u) => ({
          userId: u.userId,
          email: u.email,
          role: u.role,
          createdAt: u.createdAt.toISOString(),
          lastLoginAt: isoOrNull(u.lastLoginAt),
        })),
        total: page.total,
        limit: query.limit,
        offset: query.offset,
      },
      200,
    );
  });

  app.openapi(setRole, async (c) => {
    const { userId } = c.req.valid('param');
    const { role } = c.req.valid('json');
    const actor = c.var.auth!.userId;
    // An admin demoting himself could leave nobody able to undo it.
    if (userId.toLowerCase() === actor.toLowerCase())
      throw new HttpProblem(409, 'Admins cannot change their own role; ask another admin.');
    const changed = await withTransaction(deps.pool, async (client) => {
      const result = await changeRole(client, userId, role);
      if (result) {
        await writeAudit(client, {
          actor,
          action: 'user.set_role',
          subject: userId,
          details: { from: result.previousRole, to: role, via: 'api' },
        });
      }
      return result;
    });
    if (!changed) throw new HttpProblem(404, 'No such user.');
    const u = changed.user;
    return c.json(
      {
        userId: u.userId,
        email: u.email,
        role: u.role,
        createdAt: u.createdAt.toISOString(),
        lastLoginAt: isoOrNull(u.lastLoginAt),
      },
      200,
    );
  });

  app.openapi(status, async (c) => {
    const [model, run] = await Promise.all([servingModel(deps.pool), lastPipelineRun(deps.pool)]);
    return c.json(
      {
        servingModel: model && {
          modelVersion: model.modelVersion,
          algorithm: model.algorithm,
          createdAt: model.createdAt.toISOString(),
          promotedAt: isoOrNull(model.promotedAt),
          holdoutSeason: model.holdoutSeason,
          metrics: model.metrics,
        },
        lastPipelineRun: {
          ingest: run.ingest && {
            ...run.ingest,
            startedAt: run.ingest.startedAt.toISOString(),
            finishedAt: isoOrNull(run.ingest.finishedAt),
          },
          prediction: run.prediction && { ...run.prediction, createdAt: run.prediction.createdAt.toISOString() },
          ranking: run.ranking && {
            ...run.ranking,
            generatedAt: run.ranking.generatedAt.toISOString(),
            publishedAt: isoOrNull(run.ranking.publishedAt),
          },
          lastPublishedAt: isoOrNull(run.lastPublishedAt),
        },
      },
      200,
    );
  });

  return app;
}
