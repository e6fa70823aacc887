import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyOf, familyTokens } from '../../db/refresh-tokens.ts';
import { auditEntries } from '../../db/audit-log.ts';
import { createTestApi, type TestApi } from '../../test/api.ts';
import { afterResponseSettled } from '../after-response.ts';
import { createUser } from '../../test/api-users.ts';
import { unreachableRedisUrl } from '../../test/redis.ts';
import { hashRefreshToken } from '../auth/refresh-tokens.ts';
import { LOGIN_ACCOUNT_LIMIT, LOGIN_ACCOUNT_TOTAL_LIMIT, LOGIN_IP_LIMIT } from './auth.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api?.close();
});

const uniqueEmail = () => `auth-${crypto.randomUUID()}@example.test`;

describe('register and login', () => {
  it('registers with a normalized email and logs in with any casing of it', async () => {
    const email = uniqueEmail();
    const res = await api.request('POST', '/api/v1/auth/register', {
      body: { email: `  ${email.toUpperCase()} `, password: 'a long enough password' },
    });
    expect(res.status).toBe(202);
    const login = await api.request('POST', '/api/v1/auth/login', {
      body: { email, password: 'a long enough password' },
    });
    expect(login.status).toBe(200);
    const pair = (await login.json()) as Record<string, unknown>;
    expect(Object.keys(pair).sort()).toEqual([
      'accessToken',
      'expiresIn',
      'refreshExpiresIn',
      'refreshToken',
      'tokenType',
    ]);
    expect(pair).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, refreshExpiresIn: 30 * 86_400 });
    const { rows } = await api.deps.pool.query<{ password_hash: string }>(
      `SELECT password_hash FROM users WHERE email = $1`,
      [email],
    );
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('answers registration of a taken address exactly as a new one, and the taken account keeps its password', async () => {
    const user = await createUser(api);
    const fresh = await api.request('POST', '/api/v1/auth/register', {
      body: { email: uniqueEmail(), password: 'another password here' },
    });
    const taken = await api.request('POST', '/api/v1/auth/register', {
      body: { email: user.email, password: 'an attacker password' },
    });
    expect(taken.status).toBe(fresh.status);
    expect(await taken.json()).toEqual(await fresh.json());
    expect(
      (await api.request('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } }))
        .status,
    ).toBe(200);
  });

  it('gives the same status and body for an unknown email and a wrong password', async () => {
    const user = await createUser(api);
    const unknown = await api.request('POST', '/api/v1/auth/login', {
      body: { email: uniqueEmail(), password: 'whatever password' },
    });
    const wrong = await api.request('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: 'whatever password' },
    });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const strip = (body: Record<string, unknown>) => ({ ...body, instance: undefined });
    expect(strip((await unknown.json()) as Record<string, unknown>)).toEqual(
      strip((await wrong.json()) as Record<string, unknown>),
    );
  });

  it('answers a wrong password without waiting for the audit row, so the answer does not reveal the account', async () => {
    const user = await createUser(api);
    // While the audit log cannot take a row, a failure whose answer waited for its row would hang.
    const blocker = await api.deps.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE audit_log IN EXCLUSIVE MODE');
      const answer = api.request('POST', '/api/v1/auth/login', {
        body: { email: user.email, password: 'whatever password' },
      });
      const timeout = new Promise<'waited for the audit'>((r) => setTimeout(() => r('waited for the audit'), 3000));
      const res = await Promise.race([answer, timeout]);
      expect(res).not.toBe('waited for the audit');
      expect((res as Response).status).toBe(401);
    } finally {
      await blocker.query('COMMIT');
      blocker.release();
    }
    await afterResponseSettled();
    expect(
      (await auditEntries(api.deps.pool, { action: 'login_failed', subject: user.userId })).map((e) => e.actor),
    ).toEqual(['anonymous']);
  });

  it.each([
    ['malformed JSON', { rawBody: '{"email": ', headers: { 'content-type': 'application/json' } }],
    ['an unknown field', { body: { email: 'a@example.com', password: 'long enough pw', admin: true } }],
    ['a wrong type', { body: { email: 42, password: 'long enough pw' } }],
    ['an SQL injection as email', { body: { email: "' OR '1'='1' --", password: 'long enough pw' } }],
    ['a short password', { body: { email: 'a@example.com', password: 'short' } }],
    ['an oversized password', { body: { email: 'a@example.com', password: 'x'.repeat(300) } }],
  ])('refuses %s at registration with a 400 problem', async (_name, options) => {
    const res = await api.request('POST', '/api/v1/auth/register', options);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { detail: string }).detail.length).toBeGreaterThan(0);
  });

  it('refuses a body over the limit with a 4xx', async () => {
    const res = await api.request('POST', '/api/v1/auth/login', {
      rawBody: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(100_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
  });
});

describe('login throttling', () => {
  it(`refuses the account from that address after ${LOGIN_ACCOUNT_LIMIT.limit} failures with 429 and Retry-After, even with the right password`, async () => {
    const user = await createUser(api);
    for (let i = 0; i < LOGIN_ACCOUNT_LIMIT.limit; i++) {
      expect(
        (await api.request('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'not the password' } }))
          .status,
      ).toBe(401);
    }
    const res = await api.request('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: user.password },
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('clears the account count on a successful login', async () => {
    const user = await createUser(api);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < LOGIN_ACCOUNT_LIMIT.limit - 1; i++) {
        await api.request('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'not the password' } });
      }
      expect(
        (await api.request('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } }))
          .status,
      ).toBe(200);
    }
  });

  it('lets the owner in from another address while one address is refused, up to the account-wide limit', async () => {
    const proxied = await createTestApi({ env: { API_TRUST_PROXY: '1' } });
    try {
      const user = await createUser(proxied);
      const login = (ip: string, password: string) =>
        proxied.request('POST', '/api/v1/auth/login', {
          body: { email: user.email, password },
          headers: { 'x-forwarded-for': ip },
        });
      for (let i = 0; i < LOGIN_ACCOUNT_LIMIT.limit; i++)
        expect((await login('198.51.100.1', 'not the password')).status).toBe(401);
      expect((await login('198.51.100.1', user.password)).status).toBe(429);
      expect((await login('198.51.100.2', user.password)).status).toBe(200);
      // Guessing spread over many addresses meets the account-wide limit.
      for (let i = 0; i < LOGIN_ACCOUNT_TOTAL_LIMIT.limit; i++)
        await login(`198.51.${101 + Math.floor(i / 4)}.${i % 4}`, 'not the password');
      expect((await login('198.51.200.1', user.password)).status).toBe(429);
    } finally {
      await proxied.close();
    }
  });

  it('refuses a client IP after its attempts per minute, whatever the accounts', async () => {
    const proxied = await createTestApi({ env: { API_TRUST_PROXY: '1' } });
    try {
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      for (let i = 0; i < LOGIN_IP_LIMIT.limit; i++) {
        const res = await proxied.request('POST', '/api/v1/auth/login', {
          body: { email: uniqueEmail(), password: 'some password' },
          headers: from('203.0.113.7'),
        });
        expect(res.status).toBe(401);
      }
      const refused = await proxied.request('POST', '/api/v1/auth/login', {
        body: { email: uniqueEmail(), password: 'some password' },
        headers: from('203.0.113.7'),
      });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      const other = await proxied.request('POST', '/api/v1/auth/login', {
        body: { email: uniqueEmail(), password: 'some password' },
        headers: from('203.0.113.8'),
      });
      expect(other.status).toBe(401);
    } finally {
      await proxied.close();
    }
  });
});

describe('refresh tokens', () => {
  const refresh = (refreshToken: string) => api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken } });

  it('rotates on every use: the new pair works, the old refresh token does not', async () => {
    const user = await createUser(api);
    const first = await refresh(user.refreshToken);
    expect(first.status).toBe(200);
    const pair = (await first.json()) as { accessToken: string; refreshToken: string };
    expect(pair.refreshToken).not.toBe(user.refreshToken);
    expect((await api.request('GET', '/api/v1/users/me', { token: pair.accessToken })).status).toBe(200);
    expect((await refresh(pair.refreshToken)).status).toBe(200);
  });

  it('revokes the whole family when a rotated token is presented again, and audits it', async () => {
    const user = await createUser(api);
    const pair = (await (await refresh(user.refreshToken)).json()) as { refreshToken: string };
    const replay = await refresh(user.refreshToken);
    expect(replay.status).toBe(401);
    // The successor, never used, is revoked with the rest of its login.
    expect((await refresh(pair.refreshToken)).status).toBe(401);
    const family = await familyOf(api.deps.pool, hashRefreshToken(user.refreshToken));
    const tokens = await familyTokens(api.deps.pool, family!.familyId);
    expect(tokens.every((t) => t.revokedAt !== null)).toBe(true);
    expect(tokens.some((t) => t.revokedReason === 'reuse')).toBe(true);
    expect(await auditEntries(api.deps.pool, { action: 'refresh_token.reuse', subject: user.userId })).toHaveLength(1);
  });

  it('lets only one of two concurrent uses of a token win', async () => {
    const user = await createUser(api);
    const statuses = (await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken)]))
      .map((r) => r.status)
      .sort();
    expect(statuses).toEqual([200, 401]);
  });

  it('leaves no live token when a replay or a logout races a rotation of the same login', async () => {
    // The thief refreshes with the current token while the victim replays the spent one (or logs out): whichever
    // runs first, the family must end with nothing that still works.
    for (let round = 0; round < 10; round++) {
      const user = await createUser(api);
      const current = ((await (await refresh(user.refreshToken)).json()) as { refreshToken: string }).refreshToken;
      const victim =
        round % 2 === 0
          ? refresh(user.refreshToken)
          : api.request('POST', '/api/v1/auth/logout', { body: { refreshToken: user.refreshToken } });
      await Promise.all([refresh(current), victim]);
      const family = await familyOf(api.deps.pool, hashRefreshToken(user.refreshToken));
      const live = (await familyTokens(api.deps.pool, family!.familyId)).filter(
        (t) => t.revokedAt === null && t.usedAt === null,
      );
      expect(live, `round ${round}`).toEqual([]);
    }
  });

  it('logout revokes the family, idempotently, and says nothing about unknown tokens', async () => {
    const user = await createUser(api);
    const logout = (refreshToken: string) => api.request('POST', '/api/v1/auth/logout', { body: { refreshToken } });
    expect((await logout(user.refreshToken)).status).toBe(204);
    expect((await logout(user.refreshToken)).status).toBe(204);
    expect((await logout('A'.repeat(43))).status).toBe(204);
    expect((await refresh(user.refreshToken)).status).toBe(401);
  });

  it('refuses an expired refresh token', async () => {
    const user = await createUser(api);
    await api.deps.pool.query(
      `UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
      [hashRefreshToken(user.refreshToken)],
    );
    expect((await refresh(user.refreshToken)).status).toBe(401);
  });

  it('refuses garbage and oversized refresh tokens with a 4xx', async () => {
    expect((await refresh('not-a-token')).status).toBe(401);
    expect((await refresh('x'.repeat(500))).status).toBe(400);
    expect((await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: 5 } })).status).toBe(400);
  });

  it('picks up a role change at the next refresh', async () => {
    const user = await createUser(api);
    await api.deps.pool.query(`UPDATE users SET role = 'premium' WHERE user_id = $1`, [user.userId]);
    const pair = (await (await refresh(user.refreshToken)).json()) as { accessToken: string };
    expect((await api.deps.keys.verifyAccessToken(pair.accessToken)).role).toBe('premium');
  });
});

describe('JWKS', () => {
  it('publishes the signing key without private parts', async () => {
    const user = await createUser(api);
    const res = await api.request('GET', '/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    const kid = JSON.parse(Buffer.from(user.accessToken.split('.')[0]!, 'base64url').toString()).kid as string;
    expect(keys.map((k) => k['kid'])).toContain(kid);
    for (const key of keys) expect(key).not.toHaveProperty('d');
  });
});

describe('OpenAPI', () => {
  it('documents every account route, with bearer security where a token is needed', async () => {
    const res = await api.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    const expected: [string, string, boolean][] = [
      ['/api/v1/auth/register', 'post', false],
      ['/api/v1/auth/login', 'post', false],
      ['/api/v1/auth/refresh', 'post', false],
      ['/api/v1/auth/logout', 'post', false],
      ['/.well-known/jwks.json', 'get', false],
      ['/api/v1/users/{userId}', 'get', true],
      ['/api/v1/users/{userId}/preferences', 'put', true],
      ['/api/v1/users/{userId}/watchlist', 'get', true],
      ['/api/v1/users/{userId}/watchlist/{playerId}', 'put', true],
      ['/api/v1/users/{userId}/watchlist/{playerId}', 'delete', true],
      ['/api/v1/admin/users', 'get', true],
      ['/api/v1/admin/users/{userId}/role', 'put', true],
      ['/api/v1/admin/status', 'get', true],
    ];
    for (const [path, method, secured] of expected) {
      const operation = doc.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(operation?.security, `${method} ${path}`).toEqual(secured ? [{ bearer: [] }] : undefined);
      if (secured) expect(operation?.responses).toHaveProperty('401');
    }
  });
});

describe('key rotation through the API', () => {
  it('keeps accepting a token of the old key after rotation, lists both keys, and refuses it once expired', async () => {
    let clock = Date.now();
    const timed = await createTestApi({ now: () => new Date(clock), env: { JWT_KEY_ROTATION_DAYS: '7' } });
    try {
      const user = await createUser(timed);
      const days = timed.deps.config.api.jwt.keyRotationDays;
      clock += days * 86_400_000 - 60_000;
      const old = (await (
        await timed.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } })
      ).json()) as { accessToken: string; refreshToken: string };
      clock += 2 * 60_000;
      const fresh = (await (
        await timed.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: old.refreshToken } })
      ).json()) as { accessToken: string };
      const kid = (token: string) =>
        (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
      expect(kid(fresh.accessToken)).not.toBe(kid(old.accessToken));
      expect((await timed.request('GET', '/api/v1/users/me', { token: old.accessToken })).status).toBe(200);
      const { keys } = (await (await timed.request('GET', '/.well-known/jwks.json')).json()) as {
        keys: { kid: string }[];
      };
      expect(keys.map((k) => k.kid).sort()).toEqual([kid(old.accessToken), kid(fresh.accessToken)].sort());
      clock += 16 * 60_000;
      expect((await timed.request('GET', '/api/v1/users/me', { token: old.accessToken })).status).toBe(401);
    } finally {
      await timed.close();
    }
  });
});

describe('without Redis', () => {
  let offline: TestApi;
  beforeAll(async () => {
    offline = await createTestApi({ env: { REDIS_URL: await unreachableRedisUrl() } });
  });
  afterAll(async () => {
    await offline?.close();
  });

  it('refuses login with a 503 rather than let it go unthrottled', async () => {
    const res = await offline.request('POST', '/api/v1/auth/login', {
      body: { email: uniqueEmail(), password: 'whatever password' },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/unavailable/);
  });
});
