import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../../db/audit-log.ts';
import { createTestApi, type TestApi } from '../../test/api.ts';
import { afterResponseSettled } from '../after-response.ts';
import { createUser } from '../../test/api-users.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api?.close();
});

const WEB = { 'x-requested-with': 'afwd-web' };

/** The token of the afwd_refresh Set-Cookie, with the cookie's attributes. */
function cookieOf(res: Response): { token: string; attributes: string[] } {
  const header = res.headers.get('set-cookie');
  expect(header, 'a Set-Cookie header').toBeTruthy();
  const [pair, ...attributes] = header!.split('; ');
  expect(pair).toMatch(/^afwd_refresh=/);
  return { token: pair!.slice('afwd_refresh='.length), attributes };
}

describe('the refresh token as a browser cookie', () => {
  it("sets the cookie at login (HttpOnly, Secure, SameSite=Strict, auth path, 30 days) and leaves it out of a web client's body", async () => {
    const user = await createUser(api);
    const res = await api.request('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: user.password },
      headers: WEB,
    });
    expect(res.status).toBe(200);
    const { token, attributes } = cookieOf(res);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(attributes.sort()).toEqual([
      'HttpOnly',
      'Max-Age=2592000',
      'Path=/api/v1/auth',
      'SameSite=Strict',
      'Secure',
    ]);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.refreshToken).toBeUndefined();
    expect(body.accessToken).toEqual(expect.any(String));
    // An API client still gets it in the body, and the cookie holds the same token.
    const apiLogin = await api.request('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: user.password },
    });
    expect(((await apiLogin.json()) as { refreshToken: string }).refreshToken).toBe(cookieOf(apiLogin).token);
  });

  it('refreshes from the cookie with the CSRF header, rotating the cookie; the old cookie then fails and is cleared', async () => {
    const user = await createUser(api);
    const login = await api.request('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: user.password },
      headers: WEB,
    });
    const first = cookieOf(login).token;
    const refreshed = await api.request('POST', '/api/v1/auth/refresh', {
      headers: { ...WEB, cookie: `other=1; afwd_refresh=${first}` },
    });
    expect(refreshed.status).toBe(200);
    const second = cookieOf(refreshed).token;
    expect(second).not.toBe(first);
    expect(((await refreshed.json()) as Record<string, unknown>).refreshToken).toBeUndefined();
    const replayed = await api.request('POST', '/api/v1/auth/refresh', {
      headers: { ...WEB, cookie: `afwd_refresh=${first}` },
    });
    expect(replayed.status).toBe(401);
    expect(replayed.headers.get('set-cookie')).toMatch(/^afwd_refresh=; Max-Age=0;/);
  });

  it('refuses a cookie-only refresh or logout without X-Requested-With: afwd-web (403 problem), and the token survives', async () => {
    const user = await createUser(api);
    for (const path of ['/api/v1/auth/refresh', '/api/v1/auth/logout']) {
      for (const headers of [{}, { 'x-requested-with': 'XMLHttpRequest' }] as Record<string, string>[]) {
        const res = await api.request('POST', path, {
          headers: { ...headers, cookie: `afwd_refresh=${user.refreshToken}` },
        });
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(((await res.json()) as { detail: string }).detail).toMatch(/CSRF/);
      }
    }
    const still = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(still.status).toBe(200);
  });

  it("prefers the body's token over the cookie, so API clients work as before", async () => {
    const user = await createUser(api);
    const res = await api.request('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: user.refreshToken },
      headers: { cookie: 'afwd_refresh=garbage' },
    });
    expect(res.status).toBe(200);
  });

  it('answers 400 when neither the body nor a cookie carries a token', async () => {
    for (const options of [{}, { body: {} }, { headers: WEB }]) {
      const res = await api.request('POST', '/api/v1/auth/refresh', options);
      expect(res.status).toBe(400);
    }
  });

  it('logs out from the cookie: the login is revoked and the cookie cleared', async () => {
    const user = await createUser(api);
    const res = await api.request('POST', '/api/v1/auth/logout', {
      headers: { ...WEB, cookie: `afwd_refresh=${user.refreshToken}` },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(
      /^afwd_refresh=; Max-Age=0; Path=\/api\/v1\/auth; HttpOnly; Secure; SameSite=Strict$/,
    );
    const after = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(after.status).toBe(401);
  });
});

describe('the audit of logins', () => {
  it('records a success and a failure on an existing account by user id, and nothing for an unknown address', async () => {
    const user = await createUser(api);
    await api.request('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: 'not the password at all' },
    });
    await afterResponseSettled();
    const before = (await auditEntries(api.deps.pool, { action: 'login_failed' })).length;
    await api.request('POST', '/api/v1/auth/login', {
      body: { email: `nobody-${crypto.randomUUID()}@example.test`, password: 'whatever password' },
    });
    await afterResponseSettled();
    expect((await auditEntries(api.deps.pool, { action: 'login_failed' })).length).toBe(before);
    const mine = await auditEntries(api.deps.pool, { subject: user.userId });
    expect(mine.map((e) => [e.actor, e.action])).toEqual([
      [user.userId, 'login'],
      ['anonymous', 'login_failed'],
    ]);
    const { rows } = await api.deps.pool.query(
      `SELECT 1 FROM audit_log WHERE details::text ILIKE '%' || $1 || '%' OR actor = $1 OR subject = $1`,
      [user.email],
    );
    expect(rows).toEqual([]);
  });
});
