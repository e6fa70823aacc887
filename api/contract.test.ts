/**
 * Contract tests: every operation of the OpenAPI document is called for each status it documents that the seeded
 * world can produce, and the answer must match the documentation of that status: the documented content type, a body
 * the documented zod schema accepts, and no field the schema does not declare. The operations come from the document,
 * so a route added without contract cases here fails the coverage test.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { linkStripeCustomer } from '../db/subscriptions.ts';
import { addToWatchlist } from '../db/watchlists.ts';
import { matchesOf } from '../db/fantrax-matches.ts';
import { DEMO_LEAGUE_ID, DEMO_SECRET_ID } from '../fantrax/local-world.ts';
import { startEmptyFantraxServer, syncThroughActivities } from '../test/fantrax.ts';
import { unsubscribeToken } from '../notifications/links.ts';
import { requestPasswordReset } from './auth/password-reset.ts';
import { seedPublishedWorld, type PublishedWorld } from '../test/api-fixture.ts';
import { createTestApi, type TestApi } from '../test/api.ts';
import { createUser, type TestUser } from '../test/api-users.ts';
import { unreachableRedisUrl } from '../test/redis.ts';
import { signWebhook, stripeEvent, WEBHOOK_PATH } from '../billing/simulated-events.ts';
import { contractViolations, documentedOperations, type Operation } from '../test/openapi-walk.ts';
import { createApp } from './app.ts';
import type { Role } from './env.ts';
import { WEBHOOK_BODY_LIMIT_BYTES } from './routes/billing.ts';
import { WATCHLIST_MAX_ITEMS } from './routes/users.ts';

type Caller = 'anonymous' | Role;

interface Call {
  method: string;
  /** Concrete path and query; must match the operation's template. */
  path: string;
  as?: Caller;
  /** A bearer token other than the caller's (a garbage one). */
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Sent to the instance whose Redis is down (trusting X-Forwarded-For, so per-IP limits apply in-process). */
  offline?: boolean;
}

interface World {
  api: TestApi;
  world: PublishedWorld;
  users: Record<'free' | 'premium' | 'admin' | 'target' | 'fullList' | 'doomed', TestUser>;
  /** A live password-reset token of the fullList user. */
  resetToken: string;
  /** Responses that must be taken before the world is seeded (no serving model yet). */
  early: Map<string, Response>;
  bodyLimit: number;
  /** A Fantrax player on the premium user's synced league, and his automatic match. */
  fantrax: { fantraxId: string; playerId: number };
}

interface Case {
  status: number;
  what: string;
  /** A request to send (the usual case), or a response taken otherwise. */
  call: (w: World) => Call | Response;
}

const SUCCESS = new Set([200, 201, 202, 204]);

const get = (path: string, as: Caller = 'anonymous', extra: Partial<Call> = {}): Call => ({
  method: 'GET',
  path,
  as,
  ...extra,
});
const send = (method: string, path: string, as: Caller, body?: unknown, extra: Partial<Call> = {}): Call => ({
  method,
  path,
  as,
  body,
  ...extra,
});

const player = (w: World) => w.world.ids.joseRamirez;
const otherUserId = '0b7e2f0c-3f7a-4c59-9f7e-2b1d7d9d4c11';
/** Signs the unsubscribe links of the contract instance. */
const CONTRACT_LINK_SECRET = 'contract-link-signing-secret-of-at-least-32-chars';
const preferences = {
  strategy: 'contending',
  scoringWeights: { probability: 0.4, eta: 0.3, age: 0.1, dynastyValue: 0.2 },
};

const webhookParties = { userId: null, customerId: 'cus_contract', subscriptionId: 'sub_contract' };
/** A webhook delivery, signed with the local secret (or another one). */
const webhook = (payload: string, secret?: string): Call =>
  send('POST', WEBHOOK_PATH, 'anonymous', undefined, {
    rawBody: payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': signWebhook(payload, secret) },
  });

/**
 * Cases by operation. Derived for every operation that documents them (see `derivedCases`): 401 for a bad token,
 * 413 for a body over the limit, 415 for text/plain, 429 over the rate limit (tested apart, on its own instance).
 */
const CASES: Record<string, Case[]> = {
  'GET /healthz': [{ status: 200, what: 'alive', call: () => get('/healthz') }],
  'GET /readyz': [
    { status: 200, what: 'ready over the seeded world', call: () => get('/readyz') },
    { status: 503, what: 'no serving model before the world is seeded', call: (w) => w.early.get('readyz')! },
  ],
  'GET /metrics': [{ status: 200, what: 'Prometheus text', call: () => get('/metrics') }],
  'GET /.well-known/jwks.json': [{ status: 200, what: 'the key set', call: () => get('/.well-known/jwks.json') }],
  'GET /api/docs': [{ status: 200, what: 'the docs page', call: () => get('/api/docs') }],

  'POST /api/v1/auth/register': [
    {
      status: 202,
      what: 'a new address',
      call: () =>
        send('POST', '/api/v1/auth/register', 'anonymous', {
          email: `contract-${randomUUID()}@example.test`,
          password: 'correct horse battery staple',
        }),
    },
    {
      status: 400,
      what: 'not an email',
      call: () =>
        send('POST', '/api/v1/auth/register', 'anonymous', { email: 'nope', password: 'correct horse battery staple' }),
    },
    {
      status: 503,
      what: 'Redis down: the per-IP throttle fails closed',
      call: () =>
        send(
          'POST',
          '/api/v1/auth/register',
          'anonymous',
          { email: 'down@example.test', password: 'correct horse battery staple' },
          { offline: true, headers: { 'x-forwarded-for': '203.0.113.7' } },
        ),
    },
  ],
  'POST /api/v1/auth/login': [
    {
      status: 200,
      what: 'right password',
      call: (w) =>
        send('POST', '/api/v1/auth/login', 'anonymous', {
          email: w.users.target.email,
          password: w.users.target.password,
        }),
    },
    {
      status: 400,
      what: 'no password',
      call: (w) => send('POST', '/api/v1/auth/login', 'anonymous', { email: w.users.target.email }),
    },
    {
      status: 401,
      what: 'wrong password',
      call: (w) =>
        send('POST', '/api/v1/auth/login', 'anonymous', {
          email: w.users.fullList.email,
          password: 'not the password',
        }),
    },
    {
      status: 503,
      what: 'Redis down: the account throttle fails closed',
      call: () =>
        send(
          'POST',
          '/api/v1/auth/login',
          'anonymous',
          { email: 'down@example.test', password: 'whatever password' },
          { offline: true },
        ),
    },
  ],
  'POST /api/v1/auth/refresh': [
    {
      status: 200,
      what: 'a fresh refresh token',
      call: (w) => send('POST', '/api/v1/auth/refresh', 'anonymous', { refreshToken: w.users.premium.refreshToken }),
    },
    { status: 400, what: 'no token', call: () => send('POST', '/api/v1/auth/refresh', 'anonymous', {}) },
    {
      status: 401,
      what: 'an unknown token',
      call: () => send('POST', '/api/v1/auth/refresh', 'anonymous', { refreshToken: 'not-a-refresh-token' }),
    },
    {
      status: 403,
      what: 'the cookie without X-Requested-With',
      call: (w) =>
        send('POST', '/api/v1/auth/refresh', 'anonymous', undefined, {
          headers: { cookie: `afwd_refresh=${w.users.premium.refreshToken}` },
        }),
    },
  ],
  'POST /api/v1/auth/logout': [
    {
      status: 204,
      what: 'a refresh token',
      call: (w) => send('POST', '/api/v1/auth/logout', 'anonymous', { refreshToken: w.users.admin.refreshToken }),
    },
    {
      status: 400,
      what: 'a number for a token',
      call: () => send('POST', '/api/v1/auth/logout', 'anonymous', { refreshToken: 42 }),
    },
    {
      status: 403,
      what: 'the cookie without X-Requested-With',
      call: (w) =>
        send('POST', '/api/v1/auth/logout', 'anonymous', undefined, {
          headers: { cookie: `afwd_refresh=${w.users.free.refreshToken}` },
        }),
    },
  ],
  'POST /api/v1/auth/password-reset': [
    {
      status: 202,
      what: 'an address with an account',
      call: (w) => send('POST', '/api/v1/auth/password-reset', 'anonymous', { email: w.users.target.email }),
    },
    {
      status: 400,
      what: 'not an email',
      call: () => send('POST', '/api/v1/auth/password-reset', 'anonymous', { email: 'nope' }),
    },
    {
      status: 503,
      what: 'Redis down: the per-IP throttle fails closed',
      call: () =>
        send(
          'POST',
          '/api/v1/auth/password-reset',
          'anonymous',
          { email: 'down@example.test' },
          { offline: true, headers: { 'x-forwarded-for': '203.0.113.8' } },
        ),
    },
  ],
  'POST /api/v1/auth/password-reset/confirm': [
    {
      status: 204,
      what: 'a live token',
      call: (w) =>
        send('POST', '/api/v1/auth/password-reset/confirm', 'anonymous', {
          token: w.resetToken,
          password: 'a new contract passphrase',
        }),
    },
    {
      status: 400,
      what: 'an unknown token',
      call: () =>
        send('POST', '/api/v1/auth/password-reset/confirm', 'anonymous', {
          token: 'A'.repeat(43),
          password: 'a new contract passphrase',
        }),
    },
  ],

  'GET /api/v1/prospects': [
    {
      status: 200,
      what: 'a filtered page',
      call: () => get('/api/v1/prospects?pageSize=5&type=hitter&sort=probability'),
    },
    { status: 400, what: 'page 0', call: () => get('/api/v1/prospects?page=0') },
    { status: 404, what: 'nothing published by as_of', call: () => get('/api/v1/prospects?as_of=2000-01-01') },
  ],
  'GET /api/v1/prospects/filters': [
    { status: 200, what: 'the options', call: () => get('/api/v1/prospects/filters') },
    { status: 400, what: 'a bad as_of', call: () => get('/api/v1/prospects/filters?as_of=2025-02-30') },
    { status: 404, what: 'nothing published by as_of', call: () => get('/api/v1/prospects/filters?as_of=2000-01-01') },
  ],
  'GET /api/v1/prospects/search': [
    { status: 200, what: 'accent-free search', call: () => get('/api/v1/prospects/search?q=jose%20ramirez') },
    { status: 400, what: 'one letter', call: () => get('/api/v1/prospects/search?q=j') },
    {
      status: 404,
      what: 'nothing published by as_of',
      call: () => get('/api/v1/prospects/search?q=jose&as_of=2000-01-01'),
    },
  ],
  'GET /api/v1/prospects/compare': [
    {
      status: 200,
      what: 'two prospects, premium',
      call: (w) =>
        get(`/api/v1/prospects/compare?ids=${w.world.ids.joseRamirez},${w.world.ids.yoanMoncada}`, 'premium'),
    },
    {
      status: 400,
      what: 'one id',
      call: (w) => get(`/api/v1/prospects/compare?ids=${w.world.ids.joseRamirez}`, 'premium'),
    },
    {
      status: 401,
      what: 'anonymous',
      call: (w) => get(`/api/v1/prospects/compare?ids=${w.world.ids.joseRamirez},${w.world.ids.yoanMoncada}`),
    },
    {
      status: 403,
      what: 'free account',
      call: (w) => get(`/api/v1/prospects/compare?ids=${w.world.ids.joseRamirez},${w.world.ids.yoanMoncada}`, 'free'),
    },
    {
      status: 404,
      what: 'an unpublished prospect',
      call: (w) =>
        get(`/api/v1/prospects/compare?ids=${w.world.ids.joseRamirez},${w.world.ids.unpublishedOnly}`, 'premium'),
    },
  ],
  'GET /api/v1/prospects/{id}': [
    { status: 200, what: 'a card', call: (w) => get(`/api/v1/prospects/${player(w)}`) },
    { status: 400, what: 'not an id', call: () => get('/api/v1/prospects/abc') },
    { status: 404, what: 'not ranked', call: (w) => get(`/api/v1/prospects/${w.world.ids.unpublishedOnly}`) },
  ],

  'POST /api/v1/ml/predict/{id}': [
    { status: 200, what: 'a prediction, free', call: (w) => send('POST', `/api/v1/ml/predict/${player(w)}`, 'free') },
    { status: 400, what: 'not an id', call: () => send('POST', '/api/v1/ml/predict/0', 'free') },
    { status: 401, what: 'anonymous', call: (w) => send('POST', `/api/v1/ml/predict/${player(w)}`, 'anonymous') },
    {
      status: 404,
      what: 'not predicted',
      call: (w) => send('POST', `/api/v1/ml/predict/${w.world.ids.unpublishedOnly}`, 'premium'),
    },
  ],
  'POST /api/v1/ml/batch-predict': [
    {
      status: 200,
      what: 'found and not found',
      call: (w) => send('POST', '/api/v1/ml/batch-predict', 'premium', { ids: [player(w), w.world.ids.newcomer, 123] }),
    },
    { status: 400, what: 'no ids', call: () => send('POST', '/api/v1/ml/batch-predict', 'premium', { ids: [] }) },
    {
      status: 401,
      what: 'anonymous',
      call: (w) => send('POST', '/api/v1/ml/batch-predict', 'anonymous', { ids: [player(w)] }),
    },
    {
      status: 403,
      what: 'free account',
      call: (w) => send('POST', '/api/v1/ml/batch-predict', 'free', { ids: [player(w)] }),
    },
    {
      status: 404,
      what: 'nothing published by as_of',
      call: (w) => send('POST', '/api/v1/ml/batch-predict?as_of=2000-01-01', 'premium', { ids: [player(w)] }),
    },
  ],
  'GET /api/v1/ml/explanations/{id}': [
    {
      status: 200,
      what: 'every feature, premium',
      call: (w) => get(`/api/v1/ml/explanations/${player(w)}`, 'premium'),
    },
    { status: 400, what: 'not an id', call: () => get('/api/v1/ml/explanations/-1', 'premium') },
    { status: 401, what: 'anonymous', call: (w) => get(`/api/v1/ml/explanations/${player(w)}`) },
    { status: 403, what: 'free account', call: (w) => get(`/api/v1/ml/explanations/${player(w)}`, 'free') },
    {
      status: 404,
      what: 'not predicted',
      call: (w) => get(`/api/v1/ml/explanations/${w.world.ids.unpublishedOnly}`, 'premium'),
    },
  ],

  'GET /api/v1/users/{userId}': [
    { status: 200, what: 'me', call: () => get('/api/v1/users/me', 'free') },
    { status: 400, what: 'not a user id', call: () => get('/api/v1/users/someone', 'free') },
    { status: 401, what: 'anonymous', call: () => get('/api/v1/users/me') },
    { status: 404, what: 'another user', call: () => get(`/api/v1/users/${otherUserId}`, 'free') },
  ],
  'PUT /api/v1/users/{userId}/preferences': [
    {
      status: 200,
      what: 'valid preferences',
      call: () => send('PUT', '/api/v1/users/me/preferences', 'free', preferences),
    },
    {
      status: 400,
      what: 'a weight over 1',
      call: () =>
        send('PUT', '/api/v1/users/me/preferences', 'free', {
          ...preferences,
          scoringWeights: { ...preferences.scoringWeights, eta: 2 },
        }),
    },
    {
      status: 401,
      what: 'anonymous',
      call: () => send('PUT', '/api/v1/users/me/preferences', 'anonymous', preferences),
    },
    {
      status: 404,
      what: 'another user',
      call: () => send('PUT', `/api/v1/users/${otherUserId}/preferences`, 'free', preferences),
    },
  ],
  'GET /api/v1/users/{userId}/watchlist': [
    {
      status: 200,
      what: 'a watchlist with a ranked prospect',
      call: () => get('/api/v1/users/me/watchlist', 'premium'),
    },
    { status: 400, what: 'not a user id', call: () => get('/api/v1/users/x/watchlist', 'premium') },
    { status: 401, what: 'anonymous', call: () => get('/api/v1/users/me/watchlist') },
    { status: 404, what: 'another user', call: () => get(`/api/v1/users/${otherUserId}/watchlist`, 'premium') },
  ],
  'PUT /api/v1/users/{userId}/watchlist/{playerId}': [
    {
      status: 204,
      what: 'watch a prospect',
      call: (w) => send('PUT', `/api/v1/users/me/watchlist/${w.world.ids.yoanMoncada}`, 'free'),
    },
    { status: 400, what: 'not a player id', call: () => send('PUT', '/api/v1/users/me/watchlist/0', 'free') },
    {
      status: 401,
      what: 'anonymous',
      call: (w) => send('PUT', `/api/v1/users/me/watchlist/${player(w)}`, 'anonymous'),
    },
    { status: 404, what: 'no such player', call: () => send('PUT', '/api/v1/users/me/watchlist/123456789', 'free') },
    {
      status: 409,
      what: 'a full watchlist',
      call: (w) =>
        send('PUT', `/api/v1/users/me/watchlist/${player(w)}`, 'anonymous', undefined, {
          token: w.users.fullList.accessToken,
        }),
    },
  ],
  'DELETE /api/v1/users/{userId}/watchlist/{playerId}': [
    {
      status: 204,
      what: 'unwatch',
      call: (w) => send('DELETE', `/api/v1/users/me/watchlist/${w.world.ids.yoanMoncada}`, 'free'),
    },
    { status: 400, what: 'not a player id', call: () => send('DELETE', '/api/v1/users/me/watchlist/abc', 'free') },
    {
      status: 401,
      what: 'anonymous',
      call: (w) => send('DELETE', `/api/v1/users/me/watchlist/${player(w)}`, 'anonymous'),
    },
    {
      status: 404,
      what: 'another user',
      call: (w) => send('DELETE', `/api/v1/users/${otherUserId}/watchlist/${player(w)}`, 'free'),
    },
  ],

  'GET /api/v1/users/{userId}/notifications': [
    { status: 200, what: 'my settings', call: () => get('/api/v1/users/me/notifications', 'free') },
    { status: 400, what: 'not a user id', call: () => get('/api/v1/users/someone/notifications', 'free') },
    { status: 401, what: 'anonymous', call: () => get('/api/v1/users/me/notifications') },
    { status: 404, what: 'another user', call: () => get(`/api/v1/users/${otherUserId}/notifications`, 'free') },
  ],
  'PUT /api/v1/users/{userId}/notifications': [
    {
      status: 200,
      what: 'valid settings',
      call: () =>
        send('PUT', '/api/v1/users/me/notifications', 'free', {
          rankMove: true,
          weeklyDigest: false,
          rankMoveThreshold: 5,
        }),
    },
    {
      status: 400,
      what: 'a threshold of 0',
      call: () =>
        send('PUT', '/api/v1/users/me/notifications', 'free', {
          rankMove: true,
          weeklyDigest: true,
          rankMoveThreshold: 0,
        }),
    },
    {
      status: 401,
      what: 'anonymous',
      call: () =>
        send('PUT', '/api/v1/users/me/notifications', 'anonymous', {
          rankMove: true,
          weeklyDigest: true,
          rankMoveThreshold: 10,
        }),
    },
    {
      status: 404,
      what: 'another user',
      call: () =>
        send('PUT', `/api/v1/users/${otherUserId}/notifications`, 'free', {
          rankMove: true,
          weeklyDigest: true,
          rankMoveThreshold: 10,
        }),
    },
  ],
  'GET /api/v1/notifications/unsubscribe': [
    {
      status: 200,
      what: 'a signed link',
      call: (w) =>
        get(
          `/api/v1/notifications/unsubscribe?token=${unsubscribeToken(CONTRACT_LINK_SECRET, { userId: w.users.target.userId, kind: 'rank_move' })}`,
        ),
    },
    {
      status: 400,
      what: 'a tampered link',
      call: (w) =>
        get(
          `/api/v1/notifications/unsubscribe?token=${unsubscribeToken(CONTRACT_LINK_SECRET, { userId: w.users.target.userId, kind: 'rank_move' }).replace('rank_move', 'weekly_digest')}`,
        ),
    },
  ],
  'POST /api/v1/notifications/unsubscribe': [
    {
      status: 200,
      what: 'one click',
      call: (w) =>
        send(
          'POST',
          `/api/v1/notifications/unsubscribe?token=${unsubscribeToken(CONTRACT_LINK_SECRET, { userId: w.users.target.userId, kind: 'weekly_digest' })}`,
          'anonymous',
        ),
    },
    { status: 400, what: 'no token', call: () => send('POST', '/api/v1/notifications/unsubscribe', 'anonymous') },
  ],

  'GET /api/v1/users/{userId}/export': [
    { status: 200, what: 'my data', call: () => get('/api/v1/users/me/export', 'premium') },
    { status: 400, what: 'not a user id', call: () => get('/api/v1/users/x/export', 'premium') },
    { status: 401, what: 'anonymous', call: () => get('/api/v1/users/me/export') },
    { status: 404, what: 'another user', call: () => get(`/api/v1/users/${otherUserId}/export`, 'premium') },
  ],
  'DELETE /api/v1/users/{userId}': [
    {
      status: 400,
      what: 'no password',
      call: (w) => send('DELETE', '/api/v1/users/me', 'anonymous', {}, { token: w.users.doomed.accessToken }),
    },
    {
      status: 401,
      what: 'a wrong password',
      call: () => send('DELETE', '/api/v1/users/me', 'free', { password: 'not the password' }),
    },
    {
      status: 404,
      what: 'another user',
      call: (w) =>
        send(
          'DELETE',
          `/api/v1/users/${otherUserId}`,
          'anonymous',
          { password: w.users.doomed.password },
          { token: w.users.doomed.accessToken },
        ),
    },
    {
      status: 204,
      what: 'my account, with my password',
      call: (w) =>
        send(
          'DELETE',
          '/api/v1/users/me',
          'anonymous',
          { password: w.users.doomed.password },
          { token: w.users.doomed.accessToken },
        ),
    },
  ],

  'POST /api/v1/billing/checkout': [
    {
      status: 200,
      what: 'a Checkout Session (stripe-mock)',
      call: () => send('POST', '/api/v1/billing/checkout', 'free'),
    },
    { status: 401, what: 'anonymous', call: () => send('POST', '/api/v1/billing/checkout', 'anonymous') },
  ],
  'POST /api/v1/billing/portal': [
    {
      status: 200,
      what: 'an account with a Stripe customer',
      call: () => send('POST', '/api/v1/billing/portal', 'premium'),
    },
    { status: 401, what: 'anonymous', call: () => send('POST', '/api/v1/billing/portal', 'anonymous') },
    {
      status: 409,
      what: 'an account that never subscribed',
      call: () => send('POST', '/api/v1/billing/portal', 'admin'),
    },
  ],
  'GET /api/v1/billing/subscription': [
    { status: 200, what: 'my state', call: () => get('/api/v1/billing/subscription', 'premium') },
    { status: 401, what: 'anonymous', call: () => get('/api/v1/billing/subscription') },
  ],
  'POST /api/v1/billing/webhook': [
    {
      status: 200,
      what: 'a signed event of a type not handled',
      call: () => webhook(stripeEvent('customer.created', webhookParties).payload),
    },
    {
      status: 400,
      what: 'a forged signature',
      call: () => webhook(stripeEvent('invoice.paid', webhookParties).payload, 'whsec_forged'),
    },
    {
      status: 503,
      what: 'a handled event, no Temporal on this instance',
      call: () => webhook(stripeEvent('invoice.paid', webhookParties).payload),
    },
    {
      status: 413,
      what: "a body over the webhook's own (larger) limit",
      call: () => webhook(`{"padding":"${'x'.repeat(WEBHOOK_BODY_LIMIT_BYTES + 1)}"}`),
    },
  ],

  'GET /api/v1/admin/users': [
    { status: 200, what: 'a page of accounts', call: () => get('/api/v1/admin/users?limit=3', 'admin') },
    { status: 400, what: 'limit 0', call: () => get('/api/v1/admin/users?limit=0', 'admin') },
    { status: 401, what: 'anonymous', call: () => get('/api/v1/admin/users') },
    { status: 403, what: 'premium account', call: () => get('/api/v1/admin/users', 'premium') },
  ],
  'PUT /api/v1/admin/users/{userId}/role': [
    {
      status: 200,
      what: 'promote another user',
      call: (w) => send('PUT', `/api/v1/admin/users/${w.users.target.userId}/role`, 'admin', { role: 'premium' }),
    },
    {
      status: 400,
      what: 'an unknown role',
      call: (w) => send('PUT', `/api/v1/admin/users/${w.users.target.userId}/role`, 'admin', { role: 'root' }),
    },
    {
      status: 401,
      what: 'anonymous',
      call: (w) => send('PUT', `/api/v1/admin/users/${w.users.target.userId}/role`, 'anonymous', { role: 'premium' }),
    },
    {
      status: 403,
      what: 'premium account',
      call: (w) => send('PUT', `/api/v1/admin/users/${w.users.target.userId}/role`, 'premium', { role: 'admin' }),
    },
    {
      status: 404,
      what: 'no such user',
      call: () => send('PUT', `/api/v1/admin/users/${otherUserId}/role`, 'admin', { role: 'premium' }),
    },
    {
      status: 409,
      what: 'his own role',
      call: (w) => send('PUT', `/api/v1/admin/users/${w.users.admin.userId}/role`, 'admin', { role: 'free' }),
    },
  ],
  'PUT /api/v1/fantrax/connection': [
    {
      status: 200,
      what: 'the demo Secret ID',
      call: () => send('PUT', '/api/v1/fantrax/connection', 'premium', { secretId: DEMO_SECRET_ID }),
    },
    {
      status: 400,
      what: 'a Secret ID Fantrax refuses',
      call: () => send('PUT', '/api/v1/fantrax/connection', 'admin', { secretId: 'wrong-secret-0000' }),
    },
    {
      status: 403,
      what: 'free account',
      call: () => send('PUT', '/api/v1/fantrax/connection', 'free', { secretId: DEMO_SECRET_ID }),
    },
    { status: 502, what: 'Fantrax answering 500', call: (w) => w.early.get('fantrax-502')! },
    { status: 504, what: 'Fantrax too slow', call: (w) => w.early.get('fantrax-504')! },
  ],
  'DELETE /api/v1/fantrax/connection': [
    { status: 204, what: 'no link (idempotent)', call: () => send('DELETE', '/api/v1/fantrax/connection', 'admin') },
    { status: 403, what: 'free account', call: () => send('DELETE', '/api/v1/fantrax/connection', 'free') },
  ],
  'GET /api/v1/fantrax/leagues': [
    { status: 200, what: 'the synced league', call: () => get('/api/v1/fantrax/leagues', 'premium') },
    { status: 403, what: 'free account', call: () => get('/api/v1/fantrax/leagues', 'free') },
  ],
  'GET /api/v1/fantrax/leagues/{leagueId}/roster': [
    {
      status: 200,
      what: 'the roster with matches',
      call: () => get(`/api/v1/fantrax/leagues/${DEMO_LEAGUE_ID}/roster`, 'premium'),
    },
    {
      status: 400,
      what: 'an overlong league id',
      call: () => get(`/api/v1/fantrax/leagues/${'x'.repeat(65)}/roster`, 'premium'),
    },
    { status: 403, what: 'free account', call: () => get(`/api/v1/fantrax/leagues/${DEMO_LEAGUE_ID}/roster`, 'free') },
    {
      status: 404,
      what: 'a league not synced',
      call: () => get('/api/v1/fantrax/leagues/unknown-league/roster', 'premium'),
    },
  ],
  'GET /api/v1/fantrax/leagues/{leagueId}/recommendations': [
    {
      status: 200,
      what: 'the recommendations',
      call: () => get(`/api/v1/fantrax/leagues/${DEMO_LEAGUE_ID}/recommendations`, 'premium'),
    },
    {
      status: 400,
      what: 'an overlong league id',
      call: () => get(`/api/v1/fantrax/leagues/${'x'.repeat(65)}/recommendations`, 'premium'),
    },
    {
      status: 403,
      what: 'free account',
      call: () => get(`/api/v1/fantrax/leagues/${DEMO_LEAGUE_ID}/recommendations`, 'free'),
    },
    {
      status: 404,
      what: 'a league not synced',
      call: () => get('/api/v1/fantrax/leagues/unknown-league/recommendations', 'premium'),
    },
  ],
  'GET /api/v1/fantrax/matches': [
    { status: 200, what: 'every match', call: () => get('/api/v1/fantrax/matches', 'premium') },
    { status: 400, what: 'an unknown status', call: () => get('/api/v1/fantrax/matches?status=bogus', 'premium') },
    { status: 403, what: 'free account', call: () => get('/api/v1/fantrax/matches?status=uncertain', 'free') },
  ],
  'PUT /api/v1/fantrax/matches/{fantraxId}': [
    {
      status: 200,
      what: 'a correction',
      call: (w) =>
        send('PUT', `/api/v1/fantrax/matches/${w.fantrax.fantraxId}`, 'premium', { playerId: w.fantrax.playerId }),
    },
    {
      status: 400,
      what: 'a player id that is not a number',
      call: (w) => send('PUT', `/api/v1/fantrax/matches/${w.fantrax.fantraxId}`, 'premium', { playerId: 'x' }),
    },
    {
      status: 403,
      what: 'free account',
      call: (w) => send('PUT', `/api/v1/fantrax/matches/${w.fantrax.fantraxId}`, 'free', { playerId: null }),
    },
    {
      status: 404,
      what: "a Fantrax player not on the user's leagues",
      call: () => send('PUT', '/api/v1/fantrax/matches/unknownid', 'premium', { playerId: null }),
    },
  ],
  'POST /api/v1/fantrax/sync': [
    { status: 202, what: 'a sync started (taken with Temporal)', call: (w) => w.early.get('fantrax-sync')! },
    { status: 401, what: 'anonymous', call: () => send('POST', '/api/v1/fantrax/sync', 'anonymous') },
    { status: 403, what: 'free account', call: () => send('POST', '/api/v1/fantrax/sync', 'free') },
    { status: 409, what: 'not connected', call: () => send('POST', '/api/v1/fantrax/sync', 'admin') },
    {
      status: 413,
      what: 'a body over the limit',
      call: (w) =>
        send('POST', '/api/v1/fantrax/sync', 'premium', undefined, {
          rawBody: `{"padding":"${'x'.repeat(w.bodyLimit + 1)}"}`,
          headers: { 'content-type': 'application/json' },
        }),
    },
    { status: 503, what: 'no Temporal', call: () => send('POST', '/api/v1/fantrax/sync', 'premium') },
  ],
  'GET /api/v1/admin/status': [
    { status: 200, what: 'the serving model and last run', call: () => get('/api/v1/admin/status', 'admin') },
    { status: 401, what: 'anonymous', call: () => get('/api/v1/admin/status') },
    { status: 403, what: 'free account', call: () => get('/api/v1/admin/status', 'free') },
  ],
};

/** Why a documented status cannot be produced in-process; undefined when it can. */
function unreachable(op: Operation, status: number): string | undefined {
  if (status === 413 && (op.method === 'GET' || op.method === 'HEAD'))
    return 'a GET request carries no body in-process, so the body limit has nothing to refuse';
  if (status === 502 && op.path.startsWith('/api/v1/billing/'))
    return 'needs Stripe unreachable: api/routes/billing.test.ts covers it';
  if (status === 503 && (op.path.startsWith('/api/v1/prospects') || op.path.startsWith('/api/v1/ml/'))) {
    return 'needs the database overloaded (its pool exhausted): api/db-overload.test.ts covers it';
  }
  return undefined;
}

/** The success case of an operation, which the derived cases vary. */
function successCase(op: Operation): Case | undefined {
  return (CASES[op.key] ?? []).find((c) => SUCCESS.has(c.status));
}

/** 401, 413 and 415 made from the operation's success case, where documented and not already covered. */
function derivedCases(op: Operation): Case[] {
  const explicit = new Set((CASES[op.key] ?? []).map((c) => c.status));
  const success = successCase(op);
  if (!success) return [];
  const documents = (status: number) =>
    String(status) in op.doc.responses && !explicit.has(status) && !unreachable(op, status);
  const vary = (status: number, what: string, change: (call: Call, w: World) => Call): Case => ({
    status,
    what,
    call: (w) => {
      const made = success.call(w);
      return made instanceof Response ? made : change(made, w);
    },
  });
  const cases: Case[] = [];
  if (documents(401)) cases.push(vary(401, 'a malformed access token', (call) => ({ ...call, token: 'not.a.token' })));
  if (documents(413)) {
    cases.push(
      vary(413, 'a body over the limit', (call, w) => ({
        ...call,
        body: undefined,
        rawBody: `{"padding":"${'x'.repeat(w.bodyLimit + 1)}"}`,
        headers: { ...call.headers, 'content-type': 'application/json' },
      })),
    );
  }
  if (documents(415)) {
    cases.push(
      vary(415, 'text/plain', (call) => ({
        ...call,
        body: undefined,
        rawBody: JSON.stringify(call.body ?? {}),
        headers: { ...call.headers, 'content-type': 'text/plain' },
      })),
    );
  }
  return cases;
}

function allCases(op: Operation): Case[] {
  return [...(CASES[op.key] ?? []), ...derivedCases(op)];
}

/** The operation's path template as a regex over a concrete path (query stripped). */
function templateMatches(template: string, path: string): boolean {
  const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
  return pattern.test(path.split('?')[0]!);
}

function request(api: TestApi, call: Call, tokens: Record<Caller, string | undefined>): Promise<Response> {
  const token = call.token ?? tokens[call.as ?? 'anonymous'];
  return api.request(call.method, call.path, { body: call.body, rawBody: call.rawBody, headers: call.headers, token });
}

let fantraxServer: Awaited<ReturnType<typeof startEmptyFantraxServer>> | undefined;
let temporalConnection: Connection | undefined;

/**
 * The premium user connected to the local Fantrax world and synced (through the real activities); the answers that
 * need Fantrax failing, or Temporal, taken here: 502, 504, and a 202 from an app given a Temporal client.
 */
async function seedFantrax(
  api: TestApi,
  premium: TestUser,
  admin: TestUser,
  early: Map<string, Response>,
): Promise<World['fantrax']> {
  const server = fantraxServer!;
  await server.populate(api.deps.pool);
  const connect = (token: string) =>
    api.request('PUT', '/api/v1/fantrax/connection', { token, body: { secretId: DEMO_SECRET_ID } });
  const connected = await connect(premium.accessToken);
  if (connected.status !== 200)
    throw new Error(`Fantrax connect answered ${connected.status}: ${await connected.text()}`);
  await syncThroughActivities(api.deps.pool, api.deps.config, premium.userId);
  server.setFailure({ kind: 'error' });
  early.set('fantrax-502', await connect(admin.accessToken));
  server.setFailure({ kind: 'slow', delayMs: 1500 });
  early.set('fantrax-504', await connect(admin.accessToken));
  server.setFailure(null);
  temporalConnection = await Connection.connect({ address: inject('temporalAddress') });
  const client = new Client({ connection: temporalConnection });
  // A task queue nobody polls: the sync is started, never run, and terminated at once.
  const withTemporal = createApp({ ...api.deps, temporal: { client, taskQueue: `contract-fantrax-${randomUUID()}` } });
  const started = await withTemporal.request('/api/v1/fantrax/sync', {
    method: 'POST',
    headers: { authorization: `Bearer ${premium.accessToken}` },
  });
  early.set('fantrax-sync', new Response(await started.text(), { status: started.status, headers: started.headers }));
  await client.workflow
    .getHandle(`fantrax-sync-${premium.userId}`)
    .terminate('contract test')
    .catch(() => undefined);
  const match = (await matchesOf(api.deps.pool, premium.userId)).find((m) => m.playerId !== null);
  if (!match) throw new Error('the Fantrax sync matched nobody');
  return { fantraxId: match.fantraxId, playerId: match.playerId! };
}

describe('contract of every documented operation', () => {
  let w: World;
  let limited: TestApi;
  let offline: TestApi;
  let operations: Operation[];
  let tokens: Record<Caller, string | undefined>;
  let limitedTokens: Record<Caller, string | undefined>;

  beforeAll(async () => {
    fantraxServer = await startEmptyFantraxServer();
    const api = await createTestApi({
      env: {
        API_RATE_LIMIT_ANONYMOUS: '100000',
        API_RATE_LIMIT_FREE: '100000',
        API_RATE_LIMIT_PREMIUM: '100000',
        LINK_SIGNING_SECRET: CONTRACT_LINK_SECRET,
        FANTRAX_API_URL: fantraxServer.url,
        FANTRAX_REQUEST_TIMEOUT_MS: '300',
      },
    });
    const early = new Map<string, Response>([['readyz', await api.request('GET', '/readyz')]]);
    const world = await seedPublishedWorld(api.deps.pool);
    const [free, premium, admin, target, fullList, doomed] = await Promise.all([
      createUser(api, 'free'),
      createUser(api, 'premium'),
      createUser(api, 'admin'),
      createUser(api, 'free'),
      createUser(api, 'free'),
      createUser(api, 'free'),
    ]);
    const resetToken = await requestPasswordReset(api.deps.pool, {
      userId: fullList.userId,
      siteUrl: api.deps.config.siteUrl,
      now: new Date(),
    });
    // A full watchlist (for its 409): the fixture has fewer players than the limit, so add filler players.
    await api.deps.pool.query(`INSERT INTO players (player_id, full_name, primary_position)
      SELECT g, 'Filler ' || g, 'SS' FROM generate_series(800001, ${800_000 + WATCHLIST_MAX_ITEMS}) g`);
    for (let id = 800_001; id <= 800_000 + WATCHLIST_MAX_ITEMS; id++)
      await addToWatchlist(api.deps.pool, fullList.userId, id, WATCHLIST_MAX_ITEMS);
    // A watched prospect, so the watchlist's items are checked too.
    await addToWatchlist(api.deps.pool, premium.userId, world.ids.joseRamirez, WATCHLIST_MAX_ITEMS);
    // A Stripe customer for the premium account, so its billing portal opens (stripe-mock answers any customer id).
    await linkStripeCustomer(api.deps.pool, premium.userId, 'cus_contract_premium');
    const fantrax = await seedFantrax(api, premium, admin, early);
    w = {
      api,
      world,
      users: { free, premium, admin, target, fullList, doomed },
      resetToken,
      early,
      bodyLimit: api.deps.config.api.bodyLimitBytes,
      fantrax,
    };
    tokens = { anonymous: undefined, free: free.accessToken, premium: premium.accessToken, admin: admin.accessToken };
    operations = (await documentedOperations(api.app)).operations;

    // One request a minute for everyone: after one request per caller, every /api/v1 answer is a 429.
    limited = await createTestApi({
      env: {
        API_RATE_LIMIT_ANONYMOUS: '1',
        API_RATE_LIMIT_FREE: '1',
        API_RATE_LIMIT_PREMIUM: '1',
        API_RATE_LIMIT_ADMIN: '1',
      },
    });
    const sign = async (role: Role) => (await limited.deps.keys.signAccessToken({ userId: randomUUID(), role })).token;
    limitedTokens = {
      anonymous: undefined,
      free: await sign('free'),
      premium: await sign('premium'),
      admin: await sign('admin'),
    };
    for (const token of Object.values(limitedTokens))
      await limited.request('GET', '/api/v1/prospects/filters', { token });

    offline = await createTestApi({ env: { REDIS_URL: await unreachableRedisUrl(), API_TRUST_PROXY: '1' } });
  });

  afterAll(async () => {
    await temporalConnection?.close();
    await fantraxServer?.close();
    await w?.api.close();
    await limited?.close();
    await offline?.close();
  });

  test('every operation and every documented status has a case, or a reason it cannot be produced', () => {
    const documented = operations.map((op) => op.key).sort();
    expect(Object.keys(CASES).sort(), 'operations with contract cases vs operations in the document').toEqual(
      documented,
    );
    const missing: string[] = [];
    for (const op of operations) {
      const covered = new Set(allCases(op).map((c) => c.status));
      for (const status of Object.keys(op.doc.responses).map(Number)) {
        if (status === 429 && rateLimitReachable(op)) continue;
        if (!covered.has(status) && !unreachable(op, status)) missing.push(`${op.key} ${status}`);
      }
      for (const c of CASES[op.key] ?? []) {
        if (!(String(c.status) in op.doc.responses))
          missing.push(`${op.key} has a case for ${c.status}, which it does not document`);
      }
    }
    expect(missing, 'documented statuses without a contract case').toEqual([]);
  });

  test('every answer matches the documented schema and content type of its status, with no undocumented field', async () => {
    const violations: string[] = [];
    let checked = 0;
    for (const op of operations) {
      for (const c of allCases(op)) {
        const made = c.call(w);
        if (!(made instanceof Response)) {
          expect(made.method, `${op.key} case "${c.what}"`).toBe(op.method);
          expect(templateMatches(op.path, made.path), `${op.key} case "${c.what}" calls ${made.path}`).toBe(true);
        }
        const res = made instanceof Response ? made : await request(made.offline ? offline : w.api, made, tokens);
        const label = `${op.key} [${c.status} ${c.what}]`;
        if (res.status !== c.status) {
          violations.push(`${label}: expected ${c.status}, got ${res.status}: ${(await res.text()).slice(0, 300)}`);
          continue;
        }
        checked++;
        for (const v of await contractViolations(op.route, res)) violations.push(`${label}: ${v}`);
      }
    }
    expect(violations, violations.join('\n')).toEqual([]);
    expect(checked).toBeGreaterThan(operations.length);
  });

  test('the checker itself catches an undocumented field, a wrong value, a wrong content type and an undocumented status', async () => {
    const healthz = operations.find((op) => op.key === 'GET /healthz')!;
    const json = (body: unknown, status = 200, type = 'application/json') =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
    expect(await contractViolations(healthz.route, json({ status: 'ok' }))).toEqual([]);
    expect((await contractViolations(healthz.route, json({ status: 'ok', internal: 'x' }))).join()).toMatch(
      /\$\.internal is not documented/,
    );
    expect(await contractViolations(healthz.route, json({ status: 'down' }))).not.toEqual([]);
    expect((await contractViolations(healthz.route, json({ status: 'ok' }, 200, 'text/plain'))).join()).toMatch(
      /content type text\/plain/,
    );
    expect((await contractViolations(healthz.route, json({ status: 'ok' }, 418))).join()).toMatch(
      /status 418 is not documented/,
    );
  });

  test('every operation that documents 429 answers one, as documented, once its caller is over the limit', async () => {
    const violations: string[] = [];
    const limitedOps = operations.filter(rateLimitReachable);
    expect(limitedOps.length).toBeGreaterThan(0);
    for (const op of limitedOps) {
      const success = successCase(op);
      if (!success) {
        violations.push(`${op.key}: no success case to repeat over the limit`);
        continue;
      }
      const made = success.call(w);
      if (made instanceof Response) continue;
      const res = await request(limited, { ...made, token: undefined }, limitedTokens);
      if (res.status !== 429) {
        violations.push(`${op.key}: expected 429 over the limit, got ${res.status}`);
        continue;
      }
      expect(res.headers.get('retry-after'), `${op.key} Retry-After`).toMatch(/^\d+$/);
      for (const v of await contractViolations(op.route, res)) violations.push(`${op.key} [429]: ${v}`);
    }
    expect(violations, violations.join('\n')).toEqual([]);
  });
});

/** The general rate limit covers /api/v1: every operation there that documents 429 can be driven to one. */
function rateLimitReachable(op: Operation): boolean {
  return '429' in op.doc.responses && op.path.startsWith('/api/v1/');
}
