/**
 * The route pattern a request is counted and traced under (`/api/v1/prospects/:id`, never the raw path, so a
 * crawler cannot grow label sets or span names without bound).
 */
import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/**
 * The pattern of the route that answered, read after `next()`: the handler Hono ran last when it is a route, else
 * (a middleware answered: 401, 429, a body too large) the first route that matched, which would have answered. When
 * several routes match (`/prospects/filters` and `/prospects/:id`), the first registered one answers, so it is never
 * the last match. Undefined when no route matched (a 404).
 */
export function routePattern(c: Context): string | undefined {
  const routes = matchedRoutes(c);
  const answered = routes[c.req.routeIndex];
  if (answered && answered.method !== 'ALL') return answered.path;
  return routes.find((route) => route.method !== 'ALL')?.path;
}
