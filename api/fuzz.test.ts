/**
 * Property-based fuzz of every operation in the OpenAPI document (found through the app, never listed here): exactly
 * 10,000 generated requests, in-process, over the seeded world, with hostile path parameters, documented and unknown
 * query parameters, bodies of every shape (schema-shaped, wrong types, unknown fields, deeply nested, malformed,
 * around the body limit) and every kind of caller (anonymous, free, premium, admin, forged and malformed tokens).
 * No answer may be a 5xx, every 4xx must be a problem+json with a detail, and every answer must have a status its
 * operation documents, in the documented shape. Fixed seeds (fc.check per operation, so one run reports every failing
 * operation): a failure names the seed, the replay path and the request.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedPublishedWorld, type PublishedWorld } from '../test/api-fixture.ts';
import { createTestApi, type TestApi } from '../test/api.ts';
import { createUser, type TestUser } from '../test/api-users.ts';
import { startEmptyFantraxServer } from '../test/fantrax.ts';
import {
  bodyViolations,
  documentedOperations,
  fillPath,
  pathParameterNames,
  problemViolation,
  resolveRef,
  type JsonSchema,
  type OpenApiDocument,
  type Operation,
} from '../test/openapi-walk.ts';

const TOTAL_REQUESTS = 10_000;
/** Operation i runs with seed SEED + i. */
const SEED = 20_250_601;
/** Rate limits high enough that the fuzz is not one long 429 (free predictions keep their own 10 a minute). */
const RAISED_LIMIT = '1000000';

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** What the body is, for the failure message (bodies can be megabytes). */
  bodyKind: string;
  /** A path value sent unencoded (`..`, `%`): the URL may then name another route. */
  rawPath: boolean;
}

interface Context {
  document: OpenApiDocument;
  world: PublishedWorld;
  users: { free: TestUser; premium: TestUser; admin: TestUser; victim: TestUser };
  bodyLimit: number;
}

const NASTY_STRINGS = [
  "1' OR '1'='1",
  '1; DROP TABLE users; --',
  "' UNION SELECT password_hash FROM users --",
  '1) OR (1=1',
  '\\',
  '"',
  "'",
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd%00',
  '%00',
  '\u0000',
  '\u0001\u001f',
  '\r\nX-Injected: 1',
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '%s%s%n',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  'true',
  '[]',
  '{}',
  '',
  ' ',
  'me',
  'ME',
  'admin',
  '__proto__',
  'constructor',
  'José Ramírez',
  'ＡＢＣ１２３',
  '١٢٣',
  '¹²³',
  '🦄🦄',
  '\u202e\u0645',
  'a\u0301',
  '\ufeff1',
  '\ud83d\ude00',
  'Ω≈ç√',
  'ǅ',
  'İ',
  'ß',
];
const NUMERIC_STRINGS = [
  '0',
  '-0',
  '-1',
  '1',
  '00001',
  '+1',
  ' 1',
  '1 ',
  '1.0',
  '1.5',
  '1e3',
  '1e309',
  '-1e309',
  '0x1F',
  '0b11',
  '0o7',
  '2147483647',
  '2147483648',
  '4294967296',
  '9007199254740993',
  '99999999999999999999999999',
  '-2147483649',
];
/** Path values sent as they are: dot segments, bad percent escapes, encoded slashes. */
const RAW_PATH_VALUES = [
  '..',
  '.',
  '../..',
  '..%2F..%2Fetc%2Fpasswd',
  '%',
  '%E0%A4%A',
  '%ZZ',
  '%00',
  '%2e%2e',
  '%252e',
  'a%2Fb',
  '%C0%AE',
  '%uFFFF',
  ';',
  ':',
  '@',
];
const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
  'application/problem+json',
  'application/jsonx',
  '*/*',
  '',
];

const headerSafe = (s: string) => !/[\0\r\n]/.test(s);
const b64url = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Scalars that break assumptions: injection, traversal, unicode, numbers at and past every edge, very long strings. */
const hostileScalar: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...NUMERIC_STRINGS) },
  { weight: 2, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(257, 4_096, 70_000).map((n) => 'x'.repeat(n)) },
);

/** A value the JSON Schema accepts (names with fixture values get those, so requests reach the data). */
function schemaValue(ctx: Context, schema: JsonSchema, name: string | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = resolveRef(ctx.document, schema);
  const hint = name === undefined ? undefined : bodyHint(ctx, name, s);
  if (hint) return hint;
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return fc.oneof(...variants.map((v) => schemaValue(ctx, v, name, depth + 1)));
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => schemaValue(ctx, { ...s, type }, name, depth + 1)));
  switch (types[0]) {
    case 'object': {
      const properties = Object.entries(s.properties ?? {});
      if (depth > 5 || properties.length === 0) return fc.constant({});
      const shape = Object.fromEntries(
        properties.map(([key, child]) => [key, schemaValue(ctx, child, key, depth + 1)]),
      );
      return fc.record(shape, { requiredKeys: (s.required ?? []).filter((k) => k in shape) });
    }
    case 'array': {
      const minLength = s.minItems ?? 0;
      return fc.array(s.items ? schemaValue(ctx, s.items, undefined, depth + 1) : fc.jsonValue(), {
        minLength,
        maxLength: Math.max(minLength, Math.min(s.maxItems ?? 10, 10)),
      });
    }
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1_000_000, max: s.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'string': {
      if (s.format === 'email')
        return fc
          .tuple(fc.stringMatching(/^[a-z0-9._+-]{1,20}$/), fc.constantFrom('example.test', 'EXAMPLE.test', 'x.io'))
          .map(([l, d]) => `${l}@${d}`);
      if (s.format === 'uuid') return fc.uuid();
      if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      const minLength = s.minLength ?? 0;
      const maxLength = Math.max(minLength, Math.min(s.maxLength ?? 40, 80));
      if (s.pattern)
        return fc
          .stringMatching(new RegExp(s.pattern))
          .filter((v) => v.length >= minLength && v.length <= (s.maxLength ?? Infinity));
      return fc.string({ unit: 'grapheme', minLength, maxLength });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Fixture values for body fields of these names, so valid bodies reach real rows. */
function bodyHint(ctx: Context, name: string, schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const { users, world } = ctx;
  const playerIds = world.players.map((p) => p.id);
  switch (name) {
    case 'email':
      return fc.oneof(
        fc.constantFrom(users.victim.email, users.free.email, users.victim.email.toUpperCase()),
        fc.uuid().map((u) => `fuzz-${u}@example.test`),
      );
    case 'password':
      return fc.oneof(
        fc.constant(users.victim.password),
        fc.string({ minLength: schema.minLength ?? 1, maxLength: 40 }),
      );
    case 'refreshToken':
      return fc.oneof(fc.constant(users.victim.refreshToken), fc.string({ minLength: 1, maxLength: 128 }));
    case 'ids':
      return schema.type === 'array'
        ? fc.oneof(
            {
              weight: 4,
              arbitrary: fc.array(fc.oneof(fc.constantFrom(...playerIds), fc.integer({ min: 1, max: 2_147_483_647 })), {
                minLength: 1,
                maxLength: 20,
              }),
            },
            {
              weight: 1,
              arbitrary: fc
                .constantFrom(500, 501)
                .map((n) =>
                  Array.from(
                    { length: n },
                    (_, i) => playerIds[i % playerIds.length]! + Math.floor(i / playerIds.length),
                  ),
                ),
            },
          )
        : undefined;
    default:
      return undefined;
  }
}

/** A value a path or query parameter of this name should accept, as text. */
function parameterValue(ctx: Context, name: string, schema: JsonSchema | undefined): fc.Arbitrary<string> {
  const { users, world } = ctx;
  const playerIds = world.players.map((p) => String(p.id));
  switch (name) {
    case 'id':
    case 'playerId':
      return fc.constantFrom(...playerIds, String(world.ids.unpublishedOnly), '608070');
    case 'userId':
      return fc.constantFrom(
        'me',
        users.free.userId,
        users.premium.userId,
        users.admin.userId,
        users.victim.userId,
        users.free.userId.toUpperCase(),
        randomUUID(),
      );
    case 'as_of':
      return fc.constantFrom(
        world.current.day,
        world.older.day,
        '2000-01-01',
        '2025-02-29',
        '2024-02-29',
        '2099-12-31',
      );
    case 'q':
      return fc.constantFrom(...world.players.slice(0, 10).map((p) => p.name), 'ramirez', 'jose ramrez', 'zz');
    case 'ids':
      return fc.subarray(playerIds, { minLength: 2, maxLength: 4 }).map((ids) => ids.join(','));
    default:
      return schema
        ? schemaValue(ctx, schema, undefined).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
        : fc.string();
  }
}

function pathArbitrary(ctx: Context, op: Operation): fc.Arbitrary<{ path: string; raw: boolean }> {
  const names = pathParameterNames(op.path);
  const schemaOf = (name: string) => op.doc.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema;
  const one = (name: string) =>
    fc.oneof(
      {
        weight: 5,
        arbitrary: parameterValue(ctx, name, schemaOf(name)).map((v) => ({ value: encodeURIComponent(v), raw: false })),
      },
      {
        weight: 4,
        arbitrary: hostileScalar.map((v) => ({
          value: encodeURIComponent(v),
          raw: v === '.' || v === '..' || v === '',
        })),
      },
      { weight: 1, arbitrary: fc.constantFrom(...RAW_PATH_VALUES).map((value) => ({ value, raw: true })) },
    );
  return fc.tuple(...names.map(one)).map((values) => ({
    path: fillPath(op.path, Object.fromEntries(names.map((name, i) => [name, values[i]!.value]))),
    raw: values.some((v) => v.raw),
  }));
}

function queryArbitrary(ctx: Context, op: Operation): fc.Arbitrary<string> {
  const documented = (op.doc.parameters ?? []).filter((p) => p.in === 'query');
  const param = (name: string, schema: JsonSchema | undefined) =>
    fc.option(
      fc.oneof(
        { weight: 3, arbitrary: parameterValue(ctx, name, schema).map((v) => [[name, v]]) },
        { weight: 2, arbitrary: hostileScalar.map((v) => [[name, v]]) },
        // A repeated parameter arrives as an array in some parsers.
        {
          weight: 1,
          arbitrary: fc.tuple(parameterValue(ctx, name, schema), hostileScalar).map(([a, b]) => [
            [name, a],
            [name, b],
          ]),
        },
      ),
      { freq: 2, nil: [] as string[][] },
    );
  const unknown = fc.array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('__proto__', 'constructor', 'toString', 'page[0]', 'sort[]', 'foo', 'Q', 'as_of '),
        fc.string({ maxLength: 12 }),
      ),
      hostileScalar,
    ),
    { maxLength: 3 },
  );
  const rawSuffix = fc.constantFrom('', '', '', '', '&%', '&a=%E0%A4%A', '&&&', '&=x', '&as_of', '#frag', '&q=%00');
  return fc
    .tuple(fc.tuple(...documented.map((p) => param(p.name, p.schema))), unknown, rawSuffix)
    .map(([known, extra, suffix]) => {
      const search = new URLSearchParams([...known.flat(), ...extra] as [string, string][]).toString();
      const query = search + suffix;
      return query ? `?${query}` : '';
    });
}

/** JSON text of exactly `bytes` bytes: the valid body with a padded string field. */
function paddedBody(valid: unknown, bytes: number): string {
  const base =
    typeof valid === 'object' && valid !== null && !Array.isArray(valid) ? (valid as Record<string, unknown>) : {};
  const key = Object.keys(base).find((k) => typeof base[k] === 'string') ?? 'padding';
  const empty = Buffer.byteLength(JSON.stringify({ ...base, [key]: '' }));
  return JSON.stringify({ ...base, [key]: 'x'.repeat(Math.max(0, bytes - empty)) });
}

function bodyArbitrary(
  ctx: Context,
  op: Operation,
): fc.Arbitrary<{ body?: string; kind: string; contentType?: string; contentLength: boolean }> {
  const media = op.doc.requestBody?.content['application/json']?.schema;
  const valid = media ? schemaValue(ctx, media, undefined) : fc.constant({});
  const limit = ctx.bodyLimit;
  const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  const kinds: fc.WeightedArbitrary<{ body?: string; kind: string }>[] = [
    { weight: media ? 6 : 1, arbitrary: valid.map((v) => ({ body: JSON.stringify(v), kind: 'valid' })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(valid, fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }))
        .map(([v, k, x]) => ({ body: JSON.stringify({ ...(v as object), [k]: x }), kind: 'unknown field' })),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(valid, fc.nat(), fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileScalar)).map(([v, i, x]) => {
        const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
        const keys = Object.keys(o);
        return { body: JSON.stringify(keys.length ? { ...o, [keys[i % keys.length]!]: x } : x), kind: 'wrong type' };
      }),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ body: JSON.stringify(v), kind: 'any JSON' })) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(100, 5_000, 30_000, 200_000).chain((n) =>
        fc.constantFrom(
          { body: deepArray(n), kind: `array nested ${n} deep` },
          { body: deepObject(n), kind: `object nested ${n} deep` },
          {
            body: `{"ids":${deepArray(n)},"role":${deepObject(Math.min(n, 1000))}}`,
            kind: `fields nested ${n} deep`,
          },
        ),
      ),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom(
            '{',
            '}',
            '{"email":',
            "{'role':'admin'}",
            'nul',
            '[1,2',
            '{"a":1}}',
            '\ufeff{}',
            '{"a":1,}',
            'NaN',
            '{"ids":[1e999]}',
            '{"role":"free","role":"admin"}',
            '{"__proto__":{"role":"admin"}}',
            '{"constructor":{"prototype":{"x":1}}}',
            '\u0000',
            '"\\ud800"',
            '{"a":"\\u0000"}',
          ),
          fc.string({ unit: 'binary', maxLength: 200 }),
        )
        .map((body) => ({ body, kind: 'malformed or odd JSON text' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(limit - 1, limit, limit + 1, 2 * limit, 1_048_576))
        .map(([v, bytes]) => ({ body: paddedBody(v, bytes), kind: `${bytes} bytes (limit ${limit})` })),
    },
    { weight: 1, arbitrary: fc.constant({ body: undefined, kind: 'no body' }) },
    { weight: 1, arbitrary: fc.constant({ body: '', kind: 'empty body' }) },
  ];
  return fc
    .tuple(
      fc.oneof(...kinds),
      fc.oneof(
        { weight: 8, arbitrary: fc.constant('application/json') },
        { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      ),
      fc.boolean(),
    )
    .map(([b, contentType, contentLength]) => ({
      ...b,
      contentType: b.body === undefined && contentType === 'application/json' ? undefined : contentType,
      contentLength,
    }));
}

function authArbitrary(ctx: Context): fc.Arbitrary<string | undefined> {
  const { free, premium, admin, victim } = ctx.users;
  const [header, payload, signature] = free.accessToken.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
  const now = Math.floor(Date.now() / 1000);
  // All with the real key id: an unknown one makes the key store wait for its throttled reload (up to 2 s).
  const forged = [
    `${header}.${b64url({ ...claims, exp: now - 3600, iat: now - 7200, nbf: now - 7200 })}.${signature}`,
    `${header}.${b64url({ ...claims, role: 'admin' })}.${signature}`,
    `${header}.${b64url({ ...claims, sub: "1' OR '1'='1" })}.${signature}`,
    `${b64url({ alg: 'none', typ: 'at+jwt', kid })}.${b64url({ ...claims, role: 'admin' })}.`,
    `${b64url({ alg: 'HS256', typ: 'at+jwt', kid })}.${b64url(claims)}.${b64url('signature')}`,
    `${b64url({ alg: 'EdDSA', typ: 'at+jwt', kid, crit: ['x'] })}.${b64url(claims)}.${signature}`,
    `${header}.${payload}`,
    `${header}..${signature}`,
    victim.refreshToken,
    `${free.accessToken}x`,
    'a'.repeat(10_000),
  ].map((t) => `Bearer ${t}`);
  const unknownKid = fc.constantFrom(
    `Bearer ${b64url({ alg: 'EdDSA', typ: 'at+jwt', kid: '../../etc/passwd' })}.${payload}.${signature}`,
    `Bearer ${b64url({ alg: 'EdDSA', typ: 'at+jwt', kid: "x' OR '1'='1" })}.${payload}.${signature}`,
  );
  const garbage = fc.oneof(
    fc.constantFrom(
      ...forged,
      'Bearer',
      'Bearer ',
      'bearer',
      'Basic dXNlcjpwYXNz',
      'Bearer null',
      'Token abc',
      `Bearer ${free.accessToken} extra`,
      `Bearer  ${free.accessToken}`,
      `bEaReR ${premium.accessToken}`,
      `Bearer ${free.accessToken}, Bearer ${admin.accessToken}`,
    ),
    fc
      .string({ unit: 'binary-ascii', maxLength: 200 })
      .filter(headerSafe)
      .map((s) => `Bearer ${s}`),
    fc.string({ unit: 'binary-ascii', maxLength: 200 }).filter(headerSafe),
    fc
      .tuple(
        fc.base64String({ maxLength: 60 }),
        fc.base64String({ maxLength: 200 }),
        fc.base64String({ maxLength: 90 }),
      )
      .map(([a, b, c]) => `Bearer ${a}.${b}.${c}`),
  );
  return fc.oneof(
    { weight: 1000, arbitrary: fc.constant(undefined) },
    { weight: 700, arbitrary: fc.constant(`Bearer ${free.accessToken}`) },
    { weight: 700, arbitrary: fc.constant(`Bearer ${premium.accessToken}`) },
    { weight: 700, arbitrary: fc.constant(`Bearer ${admin.accessToken}`) },
    { weight: 900, arbitrary: garbage },
    // About 3 in the 10,000 requests: each costs the key store's reload wait.
    { weight: 1, arbitrary: unknownKid },
  );
}

const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'x-request-id': fc.oneof(fc.uuid(), fc.string({ unit: 'binary-ascii', maxLength: 300 }).filter(headerSafe)),
    'x-forwarded-for': fc.constantFrom('127.0.0.1', '::1', '1.2.3.4, 5.6.7.8', 'not an ip', '999.999.999.999', ''),
    origin: fc.constantFrom('https://evil.example', 'null', 'http://localhost:4321'),
    accept: fc.constantFrom('*/*', 'text/html', 'application/xml', ''),
    'content-length': fc.constantFrom('abc', '-1', '0', '99999999999999'),
    // The refresh cookie (garbage or empty) with and without the CSRF header the cookie routes ask for.
    cookie: fc.constantFrom(
      'afwd_refresh=not-a-token',
      'afwd_refresh=',
      'a=b; afwd_refresh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'afwd_refresh',
    ),
    'x-requested-with': fc.constantFrom('afwd-web', 'XMLHttpRequest', ''),
  },
  { requiredKeys: [] },
);

function requestArbitrary(ctx: Context, op: Operation): fc.Arbitrary<FuzzRequest> {
  const canHaveBody = op.method !== 'GET' && op.method !== 'HEAD';
  const noBody = fc.constant({ body: undefined, kind: 'no body', contentType: undefined, contentLength: false });
  return fc
    .record({
      path: pathArbitrary(ctx, op),
      query: queryArbitrary(ctx, op),
      body: canHaveBody ? bodyArbitrary(ctx, op) : noBody,
      auth: authArbitrary(ctx),
      extra: fc.option(extraHeaders, { freq: 4, nil: {} }),
    })
    .map(({ path, query, body, auth, extra }) => {
      const headers: Record<string, string> = { ...extra };
      if (!canHaveBody) delete headers['content-length'];
      if (auth !== undefined) headers.authorization = auth;
      if (body.contentType !== undefined) headers['content-type'] = body.contentType;
      if (body.body !== undefined && body.contentLength)
        headers['content-length'] = String(Buffer.byteLength(body.body));
      return {
        method: op.method,
        path: path.path + query,
        headers,
        body: body.body,
        bodyKind: body.kind,
        rawPath: path.raw,
      };
    });
}

function describeRequest(r: FuzzRequest): string {
  const headers = Object.fromEntries(
    Object.entries(r.headers).map(([k, v]) => [k, v.length > 120 ? `${v.slice(0, 120)}… (${v.length} chars)` : v]),
  );
  const body =
    r.body === undefined
      ? '(none)'
      : r.body.length > 300
        ? `${r.body.slice(0, 300)}… (${r.body.length} chars)`
        : r.body;
  const path = r.path.length > 400 ? `${r.path.slice(0, 400)}… (${r.path.length} chars)` : r.path;
  return `${r.method} ${path}\n  headers: ${JSON.stringify(headers)}\n  body [${r.bodyKind}]: ${body}`;
}

describe('fuzz of every documented operation', () => {
  let api: TestApi;
  let ctx: Context;
  let operations: Operation[];
  /** Statuses each operation answered, with one request that produced each, for the undocumented-status check. */
  const seen = new Map<string, Map<number, string>>();
  /** Answers that break their documented schema, with the request: the first per operation and status. */
  const misshapen = new Map<string, string>();
  let fantrax: Awaited<ReturnType<typeof startEmptyFantraxServer>> | undefined;

  beforeAll(async () => {
    // A Fantrax-shaped server, so Fantrax routes meet Fantrax (a Secret ID it refuses is a 400), not a closed port.
    fantrax = await startEmptyFantraxServer();
    api = await createTestApi({
      env: {
        API_RATE_LIMIT_ANONYMOUS: RAISED_LIMIT,
        API_RATE_LIMIT_FREE: RAISED_LIMIT,
        API_RATE_LIMIT_PREMIUM: RAISED_LIMIT,
        API_RATE_LIMIT_ADMIN: RAISED_LIMIT,
        FANTRAX_API_URL: fantrax.url,
      },
    });
    const world = await seedPublishedWorld(api.deps.pool);
    await fantrax.populate(api.deps.pool);
    const [free, premium, admin, victim] = await Promise.all([
      createUser(api, 'free'),
      createUser(api, 'premium'),
      createUser(api, 'admin'),
      createUser(api, 'free'),
    ]);
    const found = await documentedOperations(api.app);
    operations = found.operations;
    ctx = {
      document: found.document,
      world,
      users: { free, premium, admin, victim },
      bodyLimit: api.deps.config.api.bodyLimitBytes,
    };
  });

  afterAll(async () => {
    await api?.close();
    await fantrax?.close();
  });

  test(
    `${TOTAL_REQUESTS} generated requests: no 5xx, every 4xx a problem+json with a detail`,
    { timeout: 180_000 },
    async () => {
      expect(operations.length).toBeGreaterThan(0);
      let sent = 0;
      const statuses = new Map<number, number>();
      const failures: string[] = [];
      const base = Math.floor(TOTAL_REQUESTS / operations.length);
      const remainder = TOTAL_REQUESTS % operations.length;

      for (const [index, op] of operations.entries()) {
        const numRuns = base + (index < remainder ? 1 : 0);
        const seed = SEED + index;
        const opSeen = seen.get(op.key) ?? new Map<number, string>();
        seen.set(op.key, opSeen);
        const details = await fc.check(
          fc.asyncProperty(requestArbitrary(ctx, op), async (r) => {
            sent++;
            const res = await api.app.request(r.path, { method: r.method, headers: r.headers, body: r.body });
            const text = await res.text();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (!r.rawPath) {
              if (!opSeen.has(res.status)) opSeen.set(res.status, describeRequest(r));
              const key = `${op.key} ${res.status}`;
              if (!misshapen.has(key) && String(res.status) in op.doc.responses) {
                const violations = bodyViolations(op.route, res.status, res.headers.get('content-type'), text);
                if (violations.length) misshapen.set(key, `${key}: ${violations.join('; ')}\n  ${describeRequest(r)}`);
              }
            }
            if (res.status >= 500) throw new Error(`answered ${res.status}: ${text.slice(0, 500)}`);
            if (res.status >= 400) {
              const violation = problemViolation(res.status, res.headers.get('content-type'), text);
              if (violation) throw new Error(`answered ${res.status} but ${violation}`);
            }
          }),
          { numRuns, seed },
        );
        if (details.failed) {
          const request = details.counterexample ? describeRequest(details.counterexample[0]) : '(no counterexample)';
          const error =
            details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
          failures.push(
            `${op.key} (seed ${seed}, path ${details.counterexamplePath ?? '?'}, after ${details.numRuns} runs and ${details.numShrinks} shrinks): ${error}\n  ${request}`,
          );
        }
      }

      expect(failures, `fuzz failures:\n${failures.join('\n\n')}`).toEqual([]);
      expect(sent).toBe(TOTAL_REQUESTS);
      const tooMany = statuses.get(429) ?? 0;
      expect(tooMany, `429s: ${tooMany} of ${sent}`).toBeLessThan(sent * 0.1);
    },
  );

  test('every answer had a status its operation documents, in the documented shape', () => {
    // Fed by the test above: run alone, it must not pass on empty maps.
    expect(seen.size, 'run with the 10,000-request test').toBe(operations.length);
    const undocumented: string[] = [...misshapen.values()];
    for (const op of operations) {
      for (const [status, example] of seen.get(op.key) ?? []) {
        if (!(String(status) in op.doc.responses))
          undocumented.push(`${op.key} answered ${status}, which it does not document; e.g.\n  ${example}`);
      }
    }
    expect(undocumented, undocumented.join('\n\n')).toEqual([]);
  });
});
