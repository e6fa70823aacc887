/**
 * The OpenAPI 3.1 document (generated from the routes' zod schemas) at /api/openapi.json, and a readable docs page
 * at /api/docs: Swagger UI's own assets served from node_modules/swagger-ui-dist on this origin (no CDN), started
 * by a script file of ours rather than an inline one, so the docs page's CSP can allow only 'self' scripts.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from './env.ts';
import { HttpProblem, problemResponses } from './problem.ts';

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

const SWAGGER_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The files of swagger-ui-dist the page loads, and their types: nothing else in the folder is served. */
export const DOCS_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>A Fine Wine Dynasty API</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
  <link rel="stylesheet" href="${DOCS_PATH}/index.css">
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/swagger-ui-standalone-preset.js"></script>
  <script src="${DOCS_PATH}/init.js"></script>
</body>
</html>
`;

const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(OPENAPI_PATH)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
    persistAuthorization: false,
  });
});
`;

const docsPage = createRoute({
  method: 'get',
  path: DOCS_PATH,
  tags: ['docs'],
  summary: 'This documentation, readable (Swagger UI).',
  responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } } },
});

const docsAsset = createRoute({
  method: 'get',
  path: `${DOCS_PATH}/{file}`,
  tags: ['docs'],
  hide: true,
  request: { params: z.object({ file: z.string() }) },
  responses: {
    200: { description: 'A static asset of the docs page', content: { '*/*': { schema: z.string() } } },
    ...problemResponses(404),
  },
});

export function registerOpenApi(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc31(OPENAPI_PATH, {
    openapi: '3.1.0',
    info: { title: 'A Fine Wine Dynasty API', version: '1.0.0' },
    servers: [{ url: deps.config.api.publicUrl }],
  });

  const assets = new Map<string, Promise<Buffer>>();
  const asset = (file: string) => {
    let content = assets.get(file);
    if (!content) {
      content = readFile(path.join(SWAGGER_DIR, file));
      // A failed read is retried by the next request rather than remembered.
      content.catch(() => assets.delete(file));
      assets.set(file, content);
    }
    return content;
  };

  app.openapi(docsPage, (c) => {
    c.header('cache-control', 'no-cache');
    return c.html(INDEX_HTML, 200);
  });

  app.openapi(docsAsset, async (c) => {
    const { file } = c.req.valid('param');
    if (file === 'init.js') {
      c.header('content-type', 'text/javascript; charset=utf-8');
      c.header('cache-control', 'no-cache');
      return c.body(INIT_JS, 200);
    }
    const type = DOCS_ASSETS[file];
    if (!type) throw new HttpProblem(404, `The docs page has no asset ${file}.`);
    const content = await asset(file);
    c.header('content-type', type);
    c.header('cache-control', 'public, max-age=86400');
    return c.body(new Uint8Array(content), 200);
  });
}
