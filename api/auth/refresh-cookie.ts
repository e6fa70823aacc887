/**
 * The refresh token as a browser cookie: `afwd_refresh`, HttpOnly (no script reads it), Secure, SameSite=Strict and
 * scoped to /api/v1/auth, so it is sent only to refresh and logout. A call that relies on the cookie must carry
 * `X-Requested-With: afwd-web`: a cross-site form cannot set that header, and a cross-origin script cannot send it
 * without a CORS preflight that only the site's origin passes (a second guard beside SameSite).
 */
export const REFRESH_COOKIE = 'afwd_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'afwd-web';

/** The Set-Cookie value that stores the token for `maxAgeSeconds`. */
export function refreshCookie(token: string, maxAgeSeconds: number): string {
  return `${REFRESH_COOKIE}=${token}; Max-Age=${maxAgeSeconds}; Path=${REFRESH_COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict`;
}

/** The Set-Cookie value that removes it. */
export function clearedRefreshCookie(): string {
  return `${REFRESH_COOKIE}=; Max-Age=0; Path=${REFRESH_COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict`;
}

/** The cookie's value from a Cookie header; undefined when absent or empty. */
export function refreshTokenFromCookies(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== REFRESH_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

export type TokenSource = { token: string; from: 'body' | 'cookie' } | { token: null; reason: 'missing' | 'csrf' };

/** Where a refresh or logout takes its token from: the body first (API clients), else the cookie with the CSRF header. */
export function refreshTokenSource(
  bodyToken: string | undefined,
  cookieHeader: string | undefined,
  csrfHeader: string | undefined,
): TokenSource {
  if (bodyToken !== undefined) return { token: bodyToken, from: 'body' };
  const cookie = refreshTokenFromCookies(cookieHeader);
  if (cookie === undefined) return { token: null, reason: 'missing' };
  if (csrfHeader !== CSRF_HEADER_VALUE) return { token: null, reason: 'csrf' };
  return { token: cookie, from: 'cookie' };
}
