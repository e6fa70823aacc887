/**
 * The OpenAPI 3.1 document (generated from the routes' zod schemas) at /api/openapi.json, and a readable docs page
 * at /api/docs (Swagger UI, served from this origin: no CDN).
 * STUB: the docs page is to be built (see api/README.md).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from './env.ts';

export function registerOpenApi(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'A Fine Wine Dynasty API', version: '1.0.0' },
    servers: [{ url: deps.config.api.publicUrl }],
  });
}
