/**
 * The API's operations as its OpenAPI document lists them, each joined to the zod schemas of its route (from
 * `app.openAPIRegistry`), for the fuzz and contract tests: they discover routes here rather than naming them, so a
 * new route is fuzzed and must get a contract case without anyone editing a list.
 */
import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import type { ApiEnv } from '../api/env.ts';
import { OPENAPI_PATH } from '../api/openapi.ts';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from '../api/problem.ts';

/** The parts of a JSON Schema (OpenAPI 3.1 dialect) the generated document uses. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  example?: unknown;
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

export interface OperationObject {
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: JsonSchema }> }>;
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Operation {
  /** `GET /api/v1/prospects/{id}`. */
  key: string;
  /** Upper case. */
  method: string;
  /** The document's path template, `{name}` for parameters. */
  path: string;
  doc: OperationObject;
  route: RouteConfig;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** Reads the document through the app (as a client would) and joins each operation to its route config. */
export async function documentedOperations(
  app: OpenAPIHono<ApiEnv>,
): Promise<{ document: OpenApiDocument; operations: Operation[] }> {
  const res = await app.request(OPENAPI_PATH);
  if (res.status !== 200) throw new Error(`${OPENAPI_PATH} answered ${res.status}`);
  const document = (await res.json()) as OpenApiDocument;
  const routes = new Map<string, RouteConfig>();
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type === 'route')
      routes.set(operationKey(definition.route.method, definition.route.path), definition.route);
  }
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, doc] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const key = operationKey(method, path);
      const route = routes.get(key);
      if (!route) throw new Error(`${key} is in the document but no route config registers it`);
      operations.push({ key, method: method.toUpperCase(), path, doc, route });
    }
  }
  return { document, operations };
}

/** The path with its `{name}` parameters replaced by the given (already encoded) values. */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name} of ${template}`);
    return value;
  });
}

export function pathParameterNames(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

/** Follows a local `$ref` (`#/components/schemas/X`). */
export function resolveRef(document: OpenApiDocument, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; current.$ref && depth < 20; depth++) {
    const name = current.$ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved $ref ${current.$ref}`);
    current = target;
  }
  return current;
}

/** `application/json` of `application/json; charset=UTF-8`. */
export function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The zod schemas a route documents for one status, by content type; undefined when the status is not documented. */
export function documentedResponse(
  route: RouteConfig,
  status: number,
): { description: string; content: Record<string, ZodType | undefined> } | undefined {
  const entry = route.responses[String(status)] as
    { description?: string; content?: Record<string, { schema?: unknown }> } | undefined;
  if (!entry) return undefined;
  const content: Record<string, ZodType | undefined> = {};
  for (const [type, media] of Object.entries(entry.content ?? {})) content[type] = media.schema as ZodType | undefined;
  return { description: entry.description ?? '', content };
}

/**
 * Where `output` (what the schema parsed) departs from `input` (what the server sent), as a JSON path and why; null
 * when they are deeply equal. Zod objects drop keys they do not declare, so a key of the input missing from the output
 * is an undocumented field.
 */
export function firstDifference(input: unknown, output: unknown, path = '$'): string | null {
  if (Object.is(input, output)) return null;
  if (Array.isArray(input) && Array.isArray(output)) {
    if (input.length !== output.length) return `${path} has ${input.length} items but the schema kept ${output.length}`;
    for (let i = 0; i < input.length; i++) {
      const d = firstDifference(input[i], output[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (isPlainObject(input) && isPlainObject(output)) {
    for (const key of Object.keys(input)) {
      if (!(key in output)) return `${path}.${key} is not documented (the schema has no such field)`;
      const d = firstDifference(input[key], output[key], `${path}.${key}`);
      if (d) return d;
    }
    for (const key of Object.keys(output)) {
      if (!(key in input)) return `${path}.${key} is missing from the response (the schema filled it in)`;
    }
    return null;
  }
  return `${path} is ${JSON.stringify(input)} but the schema turned it into ${JSON.stringify(output)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a response breaks of the route's documentation for its status: an empty list when it conforms. */
export async function contractViolations(route: RouteConfig, res: Response): Promise<string[]> {
  return bodyViolations(route, res.status, res.headers.get('content-type'), await res.text());
}

/** `contractViolations` over a body already read. */
export function bodyViolations(route: RouteConfig, status: number, contentType: string | null, text: string): string[] {
  const documented = documentedResponse(route, status);
  if (!documented) return [`status ${status} is not documented (body: ${text.slice(0, 300)})`];
  const types = Object.keys(documented.content);
  if (types.length === 0) {
    return text.length === 0 ? [] : [`status ${status} documents no body but one was sent: ${text.slice(0, 300)}`];
  }
  const actual = mediaType(contentType);
  const type = types.find((t) => t === actual) ?? types.find((t) => t === '*/*');
  if (!type) return [`content type ${actual || '(none)'} is not the documented ${types.join(' or ')}`];
  const schema = documented.content[type];
  if (!schema) return [];
  let body: unknown = text;
  if (actual === 'application/json' || actual.endsWith('+json')) {
    try {
      body = JSON.parse(text);
    } catch {
      return [`the ${actual} body is not JSON: ${text.slice(0, 300)}`];
    }
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    return parsed.error.issues.slice(0, 5).map((issue) => `$.${issue.path.join('.')}: ${issue.message}`);
  }
  const difference = firstDifference(body, parsed.data);
  return difference ? [difference] : [];
}

/** Why a 4xx/5xx answer is not a proper problem+json with a detail; null when it is one. */
export function problemViolation(status: number, contentType: string | null, text: string): string | null {
  if (mediaType(contentType) !== PROBLEM_CONTENT_TYPE)
    return `content type ${contentType ?? '(none)'} is not ${PROBLEM_CONTENT_TYPE}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `the problem body is not JSON: ${text.slice(0, 200)}`;
  }
  const parsed = ProblemSchema.safeParse(body);
  if (!parsed.success) return `the problem body does not match Problem: ${parsed.error.issues[0]?.message ?? ''}`;
  if (parsed.data.status !== status)
    return `the problem says status ${parsed.data.status} but the response is ${status}`;
  if (parsed.data.detail.trim() === '') return 'the problem has an empty detail';
  return null;
}
