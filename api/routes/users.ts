/** STUB: the users route group, to be built. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../env.ts';
import { createRouter } from '../router.ts';

export function userRoutes(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  void deps;
  return createRouter();
}
