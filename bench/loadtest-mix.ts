/**
 * The request mix of the load test under the daily pipeline, made from what the API actually serves: the published
 * prospects (listed through the API), its filter values and names. Three route classes, each with its share of the
 * connections:
 * - public: rankings pages (default order, each filter value, each sort) and prospect pages, anonymous;
 * - premium: predictions, explanations and comparisons, each with a premium user's token;
 * - search: fuzzy name queries made from the names (bench/api-queries.ts), anonymous.
 */
import { searchQueries } from './api-queries.ts';
import type { ClassPlan, PlannedRequest } from './loadtest-generator-process.ts';
import { API_PREFIX, getJson } from './loadtest-world.ts';

/**
 * Each class's share of the connections and of the request rate (every connection sends at the same pace): browsing
 * dominates, premium is the paying minority's tools.
 */
export const CONNECTION_SHARES = { public: 0.55, premium: 0.3, search: 0.15 } as const;

interface ProspectList {
  totalPages: number;
  items: { playerId: number; name: string }[];
}
interface Filters {
  positions: { value: string }[];
  organizations: { abbreviation: string }[];
  levels: { value: string }[];
  sorts: string[];
}

/** Interleaves lists so neighbouring requests are of different kinds, until the longest runs out. */
function interleave<T>(...lists: T[][]): T[] {
  const out: T[] = [];
  const longest = Math.max(...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const l of lists) if (l.length) out.push(l[i % l.length]!);
  return out;
}

/** Splits `total` connections by the shares, the remainder to the first class, each at least 1. */
export function splitConnections(total: number, shares: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < shares.length)
    throw new Error(`need at least ${shares.length} connections, got ${total}`);
  const counts = shares.map((s) => Math.max(1, Math.floor(total * s)));
  counts[0]! += total - counts.reduce((a, b) => a + b, 0);
  return counts;
}

export async function buildMix(
  apiUrl: string,
  connections: number,
  /** Requests a second, all classes together. */
  rate: number,
  tokens: string[],
): Promise<{ classes: ClassPlan[]; prospects: number; queries: number }> {
  const first = await getJson<ProspectList>(apiUrl, '/prospects?pageSize=100');
  const prospects = [...first.items];
  for (let page = 2; page <= first.totalPages; page++)
    prospects.push(...(await getJson<ProspectList>(apiUrl, `/prospects?pageSize=100&page=${page}`)).items);
  if (prospects.length < 4)
    throw new Error(`the seeded world publishes ${prospects.length} prospects: too few for the mix`);
  const filters = await getJson<Filters>(apiUrl, '/prospects/filters');
  // Stride through the ids so neighbouring requests are for far-apart ranks.
  const ids = prospects.map((_, i) => prospects[(i * 7919) % prospects.length]!.playerId);
  const get = (path: string): PlannedRequest => ({ method: 'GET', path: `${API_PREFIX}${path}` });
  const pages = Math.ceil(prospects.length / 25);
  const rankings = [
    ...Array.from({ length: Math.min(pages, 10) }, (_, i) => get(`/prospects?page=${i + 1}&pageSize=25`)),
    ...filters.positions.map((p) => get(`/prospects?position=${encodeURIComponent(p.value)}`)),
    ...filters.organizations.map((o) => get(`/prospects?organization=${encodeURIComponent(o.abbreviation)}`)),
    ...filters.levels.map((l) => get(`/prospects?level=${encodeURIComponent(l.value)}`)),
    ...filters.sorts.map((s) => get(`/prospects?sort=${s}`)),
    get('/prospects/filters'),
  ];
  const cards = ids.map((id) => get(`/prospects/${id}`));
  const predictions = ids.map((id): PlannedRequest => ({ method: 'POST', path: `${API_PREFIX}/ml/predict/${id}` }));
  const explanations = ids.map((id) => get(`/ml/explanations/${id}`));
  const compares = ids.map((id, i) =>
    get(`/prospects/compare?ids=${id},${ids[(i + 1) % ids.length]},${ids[(i + 2) % ids.length]}`),
  );
  const queries = searchQueries(prospects.map((p) => p.name));
  const [pub, premium, search] = splitConnections(connections, [
    CONNECTION_SHARES.public,
    CONNECTION_SHARES.premium,
    CONNECTION_SHARES.search,
  ]);
  return {
    classes: [
      // Two prospect pages for each rankings page.
      {
        name: 'public',
        connections: pub!,
        rate: rate * CONNECTION_SHARES.public,
        requests: interleave(cards, rankings, cards.slice().reverse()),
        tokens: [],
      },
      {
        name: 'premium',
        connections: premium!,
        rate: rate * CONNECTION_SHARES.premium,
        requests: interleave(predictions, explanations, compares),
        tokens,
      },
      {
        name: 'search',
        connections: search!,
        rate: rate * CONNECTION_SHARES.search,
        requests: queries.map((q) => get(`/prospects/search?q=${encodeURIComponent(q)}`)),
        tokens: [],
      },
    ],
    prospects: prospects.length,
    queries: queries.length,
  };
}

/** The route class of an API route pattern (the `route` label of its metrics), or undefined for others. */
export function routeClass(route: string): string | undefined {
  if (!route.startsWith(API_PREFIX)) return undefined;
  if (route.endsWith('/prospects/search')) return 'search';
  if (route.includes('/ml/') || route.endsWith('/prospects/compare')) return 'premium';
  if (route.startsWith(`${API_PREFIX}/prospects`)) return 'public';
  return 'other';
}
