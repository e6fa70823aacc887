import { describe, expect, it } from 'vitest';
import { clearedRefreshCookie, refreshCookie, refreshTokenFromCookies, refreshTokenSource } from './refresh-cookie.ts';

describe('the refresh cookie', () => {
  it('is HttpOnly, Secure, SameSite=Strict, scoped to the auth routes and lives as long as the token', () => {
    const cookie = refreshCookie('abc', 2_592_000);
    expect(cookie.split('; ').sort()).toEqual(
      ['HttpOnly', 'Max-Age=2592000', 'Path=/api/v1/auth', 'SameSite=Strict', 'Secure', 'afwd_refresh=abc'].sort(),
    );
    expect(clearedRefreshCookie()).toMatch(/^afwd_refresh=; Max-Age=0; Path=\/api\/v1\/auth;/);
  });

  it('is read from a Cookie header among others, and an empty one is none', () => {
    expect(refreshTokenFromCookies('a=1; afwd_refresh=tok-en_1; b=2')).toBe('tok-en_1');
    expect(refreshTokenFromCookies('afwd_refresh_other=x; afwd_refresh=')).toBeUndefined();
    expect(refreshTokenFromCookies('broken; other=1')).toBeUndefined();
    expect(refreshTokenFromCookies(undefined)).toBeUndefined();
  });

  it('yields to a token in the body, and needs the CSRF header when it is the only source', () => {
    expect(refreshTokenSource('body-token', 'afwd_refresh=cookie', undefined)).toEqual({
      token: 'body-token',
      from: 'body',
    });
    expect(refreshTokenSource(undefined, 'afwd_refresh=cookie', 'afwd-web')).toEqual({
      token: 'cookie',
      from: 'cookie',
    });
    expect(refreshTokenSource(undefined, 'afwd_refresh=cookie', 'XMLHttpRequest')).toEqual({
      token: null,
      reason: 'csrf',
    });
    expect(refreshTokenSource(undefined, 'afwd_refresh=cookie', undefined)).toEqual({ token: null, reason: 'csrf' });
    expect(refreshTokenSource(undefined, undefined, 'afwd-web')).toEqual({ token: null, reason: 'missing' });
  });
});
