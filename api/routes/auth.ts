/**
 * Accounts and tokens: register, login, refresh, logout under /api/v1/auth, and the public signing keys at
 * /.well-known/jwks.json (mounted at the root for that reason). Login and registration are throttled (fail closed
 * when Redis is down) and never tell whether an address has an account: registration always answers 202 with one
 * body after the same work, and every failed login gets one message after the same argon2id verification.
 * Login and refresh also set the refresh token as the HttpOnly cookie `afwd_refresh` (api/auth/refresh-cookie.ts), so
 * the site keeps only the access token, in memory; refresh and logout take the token from the body or that cookie.
 */
import { createHash } from 'node:crypto';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { writeAudit } from '../../db/audit-log.ts';
import { createUser, credentialsByEmail, recordLogin, userById } from '../../db/users.ts';
import { afterResponse } from '../after-response.ts';
import { EmailSchema } from '../auth/email.ts';
import {
  hashPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PasswordSchema,
  verifyPassword,
} from '../auth/passwords.ts';
import {
  clearedRefreshCookie,
  CSRF_HEADER,
  CSRF_HEADER_VALUE,
  REFRESH_COOKIE,
  refreshCookie,
  refreshTokenSource,
} from '../auth/refresh-cookie.ts';
import {
  issueRefreshToken,
  REFRESH_TOKEN_TTL_SECONDS,
  revokeRefreshToken,
  rotateRefreshToken,
} from '../auth/refresh-tokens.ts';
import { clientIp, UNKNOWN_IP } from '../client-ip.ts';
import type { ApiDeps, ApiEnv, RateLimitResult, Role } from '../env.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { createRouter } from '../router.ts';

/**
 * Login attempts per client IP per minute; attempts on one account from one IP per 15 minutes (cleared by a success),
 * so guessing from one address stops after a few tries without letting that address lock the owner out elsewhere;
 * and attempts on one account from all addresses per 15 minutes, against guessing spread over many addresses.
 */
export const LOGIN_IP_LIMIT = { limit: 20, windowSeconds: 60 } as const;
export const LOGIN_ACCOUNT_LIMIT = { limit: 5, windowSeconds: 15 * 60 } as const;
export const LOGIN_ACCOUNT_TOTAL_LIMIT = { limit: 50, windowSeconds: 15 * 60 } as const;
/** Registrations per client IP per hour. */
export const REGISTER_IP_LIMIT = { limit: 20, windowSeconds: 3600 } as const;

const LOGIN_FAILED = 'The email or password is wrong.';
const REFRESH_FAILED = 'The refresh token is invalid, expired or revoked: log in again.';
const REFRESH_MISSING = `No refresh token: send it as refreshToken in the body, or send the ${REFRESH_COOKIE} cookie.`;
const CSRF_REFUSED = `A request that relies on the ${REFRESH_COOKIE} cookie must carry the header X-Requested-With: ${CSRF_HEADER_VALUE} (CSRF guard).`;

const RegisterSchema = z
  .strictObject({
    email: EmailSchema,
    password: PasswordSchema.openapi({
      description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`,
      example: 'correct horse battery staple',
    }),
  })
  .openapi('RegisterRequest');

const LoginSchema = z
  .strictObject({
    email: EmailSchema,
    // Any length the register form could have produced; the policy is not repeated here, so it says nothing either.
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  })
  .openapi('LoginRequest');

const RefreshTokenBodySchema = z
  .strictObject({
    refreshToken: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .openapi({
        description: `The refresh token. Omit it (or the whole body) to use the ${REFRESH_COOKIE} cookie instead; such a call must carry X-Requested-With: ${CSRF_HEADER_VALUE}.`,
      }),
  })
  .openapi('RefreshTokenRequest');

const TokenPairSchema = z
  .object({
    accessToken: z.string().openapi({ description: 'A JWT (typ at+jwt) to send as `Authorization: Bearer <token>`.' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().openapi({ description: 'Seconds the access token is valid (900).' }),
    refreshToken: z
      .string()
      .optional()
      .openapi({
        description:
          'Opaque; trade it at /api/v1/auth/refresh for a new pair. Each one works once. Absent when the request ' +
          `carried X-Requested-With: ${CSRF_HEADER_VALUE}: a browser keeps it only in the HttpOnly ${REFRESH_COOKIE} cookie, out of reach of scripts.`,
      }),
    refreshExpiresIn: z.number().int().openapi({ description: 'Seconds the refresh token is valid (30 days).' }),
  })
  .openapi('TokenPair');

const AcceptedSchema = z
  .object({
    status: z.literal('accepted'),
    detail: z.string(),
  })
  .openapi('RegistrationAccepted');

const JwksSchema = z
  .object({
    keys: z.array(
      z.object({
        kid: z.string(),
        alg: z.enum(['EdDSA', 'ES256']),
        use: z.literal('sig'),
        kty: z.string(),
        crv: z.string().optional(),
        x: z.string().optional(),
        y: z.string().optional(),
      }),
    ),
  })
  .openapi('JsonWebKeySet');

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const register = createRoute({
  method: 'post',
  path: '/api/v1/auth/register',
  tags: ['auth'],
  summary: 'Create a free account.',
  description:
    'Always answers 202 with the same body, whether or not the address already has an account, so the ' +
    'answer cannot be used to find out who has one. The client then logs in: if the address was taken, the login ' +
    'fails like any wrong password.',
  request: { body: { required: true, ...json(RegisterSchema) } },
  responses: {
    202: { description: 'Registration accepted', ...json(AcceptedSchema) },
    ...problemResponses(400, 413, 415, 429, 503),
  },
});

const login = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  tags: ['auth'],
  summary: 'Trade email and password for an access token (15 minutes) and a refresh token (30 days).',
  description:
    `Also sets the refresh token as the cookie ${REFRESH_COOKIE} (HttpOnly; Secure; SameSite=Strict; Path=/api/v1/auth). Throttled: ${LOGIN_IP_LIMIT.limit} attempts per minute per client IP, ${LOGIN_ACCOUNT_LIMIT.limit} attempts ` +
    `per 15 minutes on one account from one IP (a success clears them) and ${LOGIN_ACCOUNT_TOTAL_LIMIT.limit} per 15 minutes on one ` +
    'account from all addresses (429 with Retry-After; 503 while the throttle cannot be checked). Every failure gets the same 401 message.',
  request: { body: { required: true, ...json(LoginSchema) } },
  responses: {
    200: { description: 'Logged in', ...json(TokenPairSchema) },
    ...problemResponses(400, 401, 413, 415, 429, 503),
  },
});

const refresh = createRoute({
  method: 'post',
  path: '/api/v1/auth/refresh',
  tags: ['auth'],
  summary: 'Trade a refresh token for a new token pair (the old refresh token stops working).',
  description:
    'Presenting a refresh token that was already traded revokes every token of that login: the client must log in again. ' +
    `The token comes from the body, or when the body has none from the ${REFRESH_COOKIE} cookie (then X-Requested-With: ${CSRF_HEADER_VALUE} is required, else 403); ` +
    'the new refresh token is set in that cookie too.',
  request: { body: { required: false, ...json(RefreshTokenBodySchema) } },
  responses: {
    200: { description: 'A new token pair', ...json(TokenPairSchema) },
    ...problemResponses(400, 401, 403, 413, 415, 429),
  },
});

const logout = createRoute({
  method: 'post',
  path: '/api/v1/auth/logout',
  tags: ['auth'],
  summary: 'Revoke the refresh token and every token of its login (idempotent).',
  description:
    `The token comes from the body, or when the body has none from the ${REFRESH_COOKIE} cookie (then X-Requested-With: ${CSRF_HEADER_VALUE} ` +
    'is required, else 403). The cookie is cleared either way.',
  request: { body: { required: false, ...json(RefreshTokenBodySchema) } },
  responses: { 204: { description: 'Logged out' }, ...problemResponses(400, 403, 413, 415, 429) },
});

const jwks = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['auth'],
  summary: 'The public keys that verify access tokens (the signing key and recently retired ones).',
  responses: { 200: { description: 'JSON Web Key Set', ...json(JwksSchema) } },
});

/** A refusal by a fail-closed limit: 429 when the count says so, 503 when Redis could not be asked. */
export function refused(hit: RateLimitResult, detail: string): HttpProblem {
  const headers = { 'retry-after': String(hit.resetSeconds) };
  if (hit.degraded)
    return new HttpProblem(503, 'Sign-in is briefly unavailable (its throttle cannot be checked); try again shortly.', {
      headers,
    });
  return new HttpProblem(429, detail, { headers });
}

/** The caller's IP bucket; null for in-process requests (no socket: only tests make them). */
export function ipBucket(deps: ApiDeps, c: Context<ApiEnv>, name: string): string | null {
  const ip = clientIp(c, deps.config.api.trustProxy);
  return ip === UNKNOWN_IP ? null : `${name}:ip:${ip}`;
}

/** Keyed by a hash, so Redis holds no email addresses. */
function accountBucket(email: string): string {
  return `login:account:${createHash('sha256').update(email).digest('base64url')}`;
}

export function authRoutes(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = createRouter();

  /** The pair as the answer's body; the refresh token also goes into the cookie, and only there for the site. */
  async function tokenPair(c: Context<ApiEnv>, userId: string, role: Role, refreshToken?: string) {
    const access = await deps.keys.signAccessToken({ userId, role });
    const refresh = refreshToken ?? (await issueRefreshToken(deps.pool, userId, deps.now()));
    c.header('set-cookie', refreshCookie(refresh, REFRESH_TOKEN_TTL_SECONDS));
    c.header('cache-control', 'no-store');
    const web = c.req.header(CSRF_HEADER) === CSRF_HEADER_VALUE;
    return {
      accessToken: access.token,
      tokenType: 'Bearer' as const,
      expiresIn: access.expiresIn,
      ...(web ? {} : { refreshToken: refresh }),
      refreshExpiresIn: REFRESH_TOKEN_TTL_SECONDS,
    };
  }

  /** The token of a refresh or logout: the body's, else the cookie's (with the CSRF header). */
  function presentedToken(
    c: Context<ApiEnv>,
    bodyToken: string | undefined,
  ): { token: string; from: 'body' | 'cookie' } {
    const source = refreshTokenSource(bodyToken, c.req.header('cookie'), c.req.header(CSRF_HEADER));
    if (source.token !== null) return source;
    if (source.reason === 'csrf') throw new HttpProblem(403, CSRF_REFUSED);
    throw new HttpProblem(400, REFRESH_MISSING);
  }

  app.openapi(register, async (c) => {
    const { email, password } = c.req.valid('json');
    const bucket = ipBucket(deps, c, 'register');
    if (bucket) {
      const hit = await deps.limiter.hit(bucket, REGISTER_IP_LIMIT.limit, REGISTER_IP_LIMIT.windowSeconds, {
        failClosed: true,
      });
      if (!hit.allowed) throw refused(hit, 'Too many registrations from this address; try again later.');
    }
    // Hashed whether or not the address is taken, so both answers take the same time.
    const passwordHash = await hashPassword(password);
    const userId = await createUser(deps.pool, { email, passwordHash });
    if (userId) c.var.log.info({ userId }, 'account registered');
    return c.json(
      {
        status: 'accepted' as const,
        detail: 'If the address can be registered, its account is ready: log in with it.',
      },
      202,
    );
  });

  app.openapi(login, async (c) => {
    const { email, password } = c.req.valid('json');
    const bucket = ipBucket(deps, c, 'login');
    if (bucket) {
      const hit = await deps.limiter.hit(bucket, LOGIN_IP_LIMIT.limit, LOGIN_IP_LIMIT.windowSeconds, {
        failClosed: true,
      });
      if (!hit.allowed) throw refused(hit, 'Too many login attempts from this address; try again later.');
    }
    // Counted per attempt and cleared by a success, so it counts failures in a row; same for unknown addresses.
    const account = accountBucket(email);
    const fromHere = `${account}:ip:${clientIp(c, deps.config.api.trustProxy)}`;
    const hit = await deps.limiter.hit(fromHere, LOGIN_ACCOUNT_LIMIT.limit, LOGIN_ACCOUNT_LIMIT.windowSeconds, {
      failClosed: true,
    });
    if (!hit.allowed) throw refused(hit, 'Too many failed logins for this account from this address; try again later.');
    const total = await deps.limiter.hit(
      account,
      LOGIN_ACCOUNT_TOTAL_LIMIT.limit,
      LOGIN_ACCOUNT_TOTAL_LIMIT.windowSeconds,
      { failClosed: true },
    );
    if (!total.allowed) throw refused(total, 'Too many failed logins for this account; try again later.');
    const credentials = await credentialsByEmail(deps.pool, email);
    const ok = await verifyPassword(credentials?.passwordHash ?? null, password);
    if (!credentials) throw new HttpProblem(401, LOGIN_FAILED);
    // Audited by user id only: an attempt on an address without an account leaves no trace of the address. Written
    // after the answer, so the failure takes the same time whether or not the address has an account.
    if (!ok) {
      const subject = credentials.userId;
      afterResponse(c.var.log, 'the failed-login audit', () =>
        writeAudit(deps.pool, { actor: 'anonymous', action: 'login_failed', subject }),
      );
      throw new HttpProblem(401, LOGIN_FAILED);
    }
    await deps.limiter.reset(fromHere);
    await recordLogin(deps.pool, credentials.userId, deps.now());
    await writeAudit(deps.pool, { actor: credentials.userId, action: 'login', subject: credentials.userId });
    return c.json(await tokenPair(c, credentials.userId, credentials.role), 200);
  });

  app.openapi(refresh, async (c) => {
    const presented = presentedToken(c, c.req.valid('json').refreshToken);
    // A dead cookie is cleared, so the site stops presenting it.
    const failed = () =>
      new HttpProblem(
        401,
        REFRESH_FAILED,
        presented.from === 'cookie' ? { headers: { 'set-cookie': clearedRefreshCookie() } } : {},
      );
    const rotated = await rotateRefreshToken(deps.pool, presented.token, deps.now());
    if (!rotated.ok) {
      if (rotated.reason === 'reused')
        c.var.log.warn('a rotated refresh token was presented again: its login is revoked');
      throw failed();
    }
    // The role is read again, so a changed role reaches the next access token.
    const user = await userById(deps.pool, rotated.userId);
    if (!user) throw failed();
    return c.json(await tokenPair(c, user.userId, user.role, rotated.refreshToken), 200);
  });

  app.openapi(logout, async (c) => {
    const presented = presentedToken(c, c.req.valid('json').refreshToken);
    await revokeRefreshToken(deps.pool, presented.token, deps.now());
    c.header('set-cookie', clearedRefreshCookie());
    return c.body(null, 204);
  });

  app.openapi(jwks, async (c) => {
    const set = await deps.keys.jwks();
    c.header('cache-control', 'public, max-age=60');
    return c.json(set as z.infer<typeof JwksSchema>, 200);
  });

  return app;
}
