/**
 * The prospects of the served ranking snapshot: a filtered, sorted, paginated list, its filter options, fuzzy name
 * search, a side-by-side comparison (premium) and one prospect's card. Public except the comparison. Every route
 * takes `as_of` to answer from the snapshot published on or before that day; answers are read through the cache and
 * sent as the cached JSON text. A bearer token is optional on the public routes, but a bad one is refused (401) on every
 * route under /api/v1, and the body limit (413) and rate limit (429) apply to every route.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  DEFAULT_ORDER,
  listPublishedProspects,
  PROSPECT_SORTS,
  publishedCards,
  publishedFilterOptions,
  searchPublishedProspects,
  type ProspectFilters,
} from '../../db/prospects.ts';
import { latestPublishedSnapshot, type PublishedSnapshot } from '../../db/rankings.ts';
import { searchName } from '../../publishing/search-name.ts';
import { sendJson } from '../cache.ts';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { requireRole } from '../middleware/auth.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { createRouter } from '../router.ts';
import { AsOfSchema, endOfDay, INT32_MAX, PlayerIdParamsSchema, type SnapshotRef } from '../schemas/common.ts';
import {
  CompareResponseSchema,
  FilterOptionsSchema,
  ProspectDetailResponseSchema,
  ProspectListSchema,
  SearchResultSchema,
  toDetail,
  toFilterOptions,
  toSearchHit,
  toSummary,
} from '../schemas/prospect.ts';

const LEVELS = ['ROK', 'ROK+', 'A-', 'A', 'A+', 'AA', 'AAA'] as const;
export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;

/**
 * The latest published snapshot, read once per cache version (api/cache.ts) rather than once per cache miss: the
 * version changes when a publication is notified, after it committed, so a read made under a version sees every
 * publication that version stands for. "Nothing published" is not remembered (a first publication must show at once).
 */
const latestByVersion = new WeakMap<ApiDeps, { version: string; snapshot: Promise<PublishedSnapshot | null> }>();

function latestSnapshot(deps: ApiDeps): Promise<PublishedSnapshot | null> {
  const version = deps.cache.version();
  const memo = latestByVersion.get(deps);
  if (memo?.version === version) return memo.snapshot;
  const snapshot = latestPublishedSnapshot(deps.pool);
  const entry = { version, snapshot };
  latestByVersion.set(deps, entry);
  const forget = () => {
    if (latestByVersion.get(deps) === entry) latestByVersion.delete(deps);
  };
  snapshot.then((found) => {
    if (!found) forget();
  }, forget);
  return snapshot;
}

/** The published snapshot an answer comes from: the latest, or the one served at the end of `asOf`. 404 if none. */
export async function servedSnapshot(deps: ApiDeps, asOf: string | undefined): Promise<PublishedSnapshot> {
  const snapshot = asOf ? await latestPublishedSnapshot(deps.pool, endOfDay(asOf)) : await latestSnapshot(deps);
  if (!snapshot)
    throw new HttpProblem(
      404,
      asOf ? `No ranking had been published by ${asOf}.` : 'No ranking has been published yet.',
    );
  return snapshot;
}

export function snapshotRef(snapshot: PublishedSnapshot): SnapshotRef {
  return { id: snapshot.snapshotId, publishedAt: snapshot.publishedAt.toISOString() };
}

/** A cache key of every parameter that shapes an answer, in a fixed order. */
export function cacheKey(route: string, params: Record<string, string | number | undefined>): string {
  const parts = Object.keys(params)
    .sort()
    .map((name) => `${name}=${params[name] ?? ''}`);
  return `${route}?${parts.join('&')}`;
}

const ListQuerySchema = z.object({
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(1)
    .openapi({ description: 'Page number, from 1', example: 1 }),
  pageSize: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(25)
    .openapi({ description: 'Prospects per page (1-100)', example: 25 }),
  position: z
    .string()
    .regex(/^[A-Za-z0-9]{1,4}$/, 'must be a position abbreviation such as SS or P')
    .optional()
    .openapi({ description: 'Primary position abbreviation, any case (see /prospects/filters)', example: 'SS' }),
  organization: z
    .string()
    .regex(/^[A-Za-z0-9]{1,10}$/, 'must be an organization abbreviation or id')
    .refine((value) => !/^\d+$/.test(value) || Number(value) <= INT32_MAX, 'is not an organization id')
    .optional()
    .openapi({ description: 'Organization abbreviation (any case) or MLB club id', example: 'CLE' }),
  level: z.enum(LEVELS).optional().openapi({ description: 'Current level (encode A+ as A%2B)' }),
  eta: z.coerce
    .number()
    .int()
    .min(1900)
    .max(2100)
    .optional()
    .openapi({ description: 'Expected first MLB season', example: 2027 }),
  type: z.enum(['hitter', 'pitcher']).optional(),
  confidence: z.enum(['High', 'Medium', 'Low']).optional(),
  sort: z.enum(PROSPECT_SORTS).default('rank').openapi({ description: 'Sort key; ties fall back on the rank' }),
  order: z.enum(['asc', 'desc']).optional().openapi({
    description: 'Default: best first (rank asc, probability and dynasty desc), youngest and soonest ETA first',
  }),
  as_of: AsOfSchema,
});

const SearchQuerySchema = z.object({
  q: z.string().trim().min(2, 'must have at least 2 characters').max(100, 'must have at most 100 characters').openapi({
    description: 'Name or part of it; accents, case and small typos do not matter',
    example: 'jose ramirez',
  }),
  limit: z.coerce.number().int().min(1).max(50).default(10).openapi({ description: 'Most hits to return (1-50)' }),
  as_of: AsOfSchema,
});

const CompareQuerySchema = z.object({
  ids: z
    .string()
    .max(100, 'is too long')
    .transform((value, ctx) => {
      const parts = value.split(',').map((part) => part.trim());
      if (parts.some((part) => !/^[1-9][0-9]{0,9}$/.test(part) || Number(part) > INT32_MAX)) {
        ctx.addIssue({ code: 'custom', message: 'must be player ids (positive integers) separated by commas' });
        return z.NEVER;
      }
      const ids = parts.map(Number);
      if (ids.length < COMPARE_MIN || ids.length > COMPARE_MAX) {
        ctx.addIssue({ code: 'custom', message: `must name ${COMPARE_MIN} to ${COMPARE_MAX} prospects` });
        return z.NEVER;
      }
      if (new Set(ids).size !== ids.length) {
        ctx.addIssue({ code: 'custom', message: 'must name each prospect once' });
        return z.NEVER;
      }
      return ids;
    })
    .openapi({
      description: `${COMPARE_MIN} to ${COMPARE_MAX} distinct player ids, comma-separated`,
      example: '608070,660162',
      type: 'string',
    }),
  as_of: AsOfSchema,
});

const DetailQuerySchema = z.object({ as_of: AsOfSchema });

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const list = createRoute({
  method: 'get',
  path: '/prospects',
  tags: ['prospects'],
  summary: 'Ranked prospects, filtered, sorted and paginated (public).',
  request: { query: ListQuerySchema },
  responses: {
    200: json(ProspectListSchema, 'One page of prospects'),
    ...problemResponses(400, 401, 404, 413, 429, 503),
  },
});

const filters = createRoute({
  method: 'get',
  path: '/prospects/filters',
  tags: ['prospects'],
  summary: 'Every value each list filter can take, with counts (public).',
  request: { query: DetailQuerySchema },
  responses: {
    200: json(FilterOptionsSchema, 'The filter options'),
    ...problemResponses(400, 401, 404, 413, 429, 503),
  },
});

const search = createRoute({
  method: 'get',
  path: '/prospects/search',
  tags: ['prospects'],
  summary: 'Fuzzy name search: typo- and accent-tolerant (trigrams), best match first, then by rank (public).',
  request: { query: SearchQuerySchema },
  responses: { 200: json(SearchResultSchema, 'Matching prospects'), ...problemResponses(400, 401, 404, 413, 429, 503) },
});

const compare = createRoute({
  method: 'get',
  path: '/prospects/compare',
  tags: ['prospects'],
  summary: 'Two to four prospects side by side: stats, probabilities, SHAP factors, ETA and dynasty value (premium).',
  security: [{ bearer: [] }],
  middleware: [requireRole('premium', 'admin')] as const,
  request: { query: CompareQuerySchema },
  responses: {
    200: json(CompareResponseSchema, 'The prospects, in the order asked'),
    ...problemResponses(400, 401, 403, 404, 413, 429, 503),
  },
});

const detail = createRoute({
  method: 'get',
  path: '/prospects/{id}',
  tags: ['prospects'],
  summary: "One prospect's card, with stat history, factors and comparables (public).",
  request: { params: PlayerIdParamsSchema, query: DetailQuerySchema },
  responses: {
    200: json(ProspectDetailResponseSchema, 'The prospect'),
    ...problemResponses(400, 401, 404, 413, 429, 503),
  },
});

export function prospectRoutes(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = createRouter();

  app.openapi(list, async (c) => {
    const query = c.req.valid('query');
    const order = query.order ?? DEFAULT_ORDER[query.sort];
    const organization =
      query.organization === undefined
        ? undefined
        : /^\d+$/.test(query.organization)
          ? Number(query.organization)
          : query.organization;
    const prospectFilters: ProspectFilters = {
      position: query.position,
      organization,
      level: query.level,
      eta: query.eta,
      type: query.type,
      confidence: query.confidence,
    };
    const key = cacheKey('prospects', {
      ...query,
      organization: query.organization,
      order,
      as_of: query.as_of ?? 'latest',
    });
    const body = await deps.cache.getOrLoadJson('rankings', key, async () => {
      const snapshot = await servedSnapshot(deps, query.as_of);
      const { total, rows } = await listPublishedProspects(deps.pool, snapshot.snapshotId, {
        filters: prospectFilters,
        sort: query.sort,
        order,
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      return {
        snapshot: snapshotRef(snapshot),
        page: query.page,
        pageSize: query.pageSize,
        total,
        totalPages: Math.ceil(total / query.pageSize),
        items: rows.map(toSummary),
      };
    });
    return sendJson(c, body);
  });

  app.openapi(filters, async (c) => {
    const { as_of: asOf } = c.req.valid('query');
    const body = await deps.cache.getOrLoadJson(
      'rankings',
      cacheKey('prospects/filters', { as_of: asOf ?? 'latest' }),
      async () => {
        const snapshot = await servedSnapshot(deps, asOf);
        const options = await publishedFilterOptions(deps.pool, snapshot.snapshotId);
        return { snapshot: snapshotRef(snapshot), ...toFilterOptions(options), sorts: [...PROSPECT_SORTS] };
      },
    );
    return sendJson(c, body);
  });

  app.openapi(search, async (c) => {
    const { q, limit, as_of: asOf } = c.req.valid('query');
    const normalized = searchName(q).trim();
    if (normalized.length < 2)
      throw new HttpProblem(400, 'Invalid request query: query.q must have at least 2 letters or digits.');
    const body = await deps.cache.getOrLoadJson(
      'rankings',
      cacheKey('prospects/search', { q: normalized, limit, as_of: asOf ?? 'latest' }),
      async () => {
        const snapshot = await servedSnapshot(deps, asOf);
        const hits = await searchPublishedProspects(deps.pool, snapshot.snapshotId, normalized, limit);
        return { snapshot: snapshotRef(snapshot), query: normalized, items: hits.map(toSearchHit) };
      },
    );
    return sendJson(c, body);
  });

  app.openapi(compare, async (c) => {
    const { ids, as_of: asOf } = c.req.valid('query');
    const body = await deps.cache.getOrLoadJson(
      'rankings',
      cacheKey('prospects/compare', { ids: ids.join(','), as_of: asOf ?? 'latest' }),
      async () => {
        const snapshot = await servedSnapshot(deps, asOf);
        const cards = await publishedCards(deps.pool, snapshot.snapshotId, ids);
        const missing = ids.filter((id) => !cards.has(id));
        if (missing.length)
          throw new HttpProblem(404, `Not ranked in snapshot ${snapshot.snapshotId}: ${missing.join(', ')}.`);
        return { snapshot: snapshotRef(snapshot), prospects: ids.map((id) => toDetail(cards.get(id)!)) };
      },
    );
    return sendJson(c, body);
  });

  app.openapi(detail, async (c) => {
    const id = Number(c.req.valid('param').id);
    const { as_of: asOf } = c.req.valid('query');
    const body = await deps.cache.getOrLoadJson(
      'profile',
      cacheKey(`prospects/${id}`, { as_of: asOf ?? 'latest' }),
      async () => {
        const snapshot = await servedSnapshot(deps, asOf);
        const card = (await publishedCards(deps.pool, snapshot.snapshotId, [id])).get(id);
        if (!card) throw new HttpProblem(404, `Player ${id} is not ranked in snapshot ${snapshot.snapshotId}.`);
        return { snapshot: snapshotRef(snapshot), prospect: toDetail(card) };
      },
    );
    return sendJson(c, body);
  });

  return app;
}
