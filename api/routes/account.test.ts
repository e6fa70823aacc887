import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries, writeAudit } from '../../db/audit-log.ts';
import { deleteDueStripeCustomers } from '../../billing/customer-deletions.ts';
import { createStripeClient } from '../../billing/stripe-client.ts';
import { saveNotificationSettings, unsubscribe } from '../../db/notification-settings.ts';
import { enqueueEmail } from '../../db/outbox.ts';
import { recordStripeEventReceived } from '../../db/stripe-events.ts';
import { applySubscriptionUpdate, linkStripeCustomer } from '../../db/subscriptions.ts';
import { setPreferences } from '../../db/users.ts';
import { addToWatchlist } from '../../db/watchlists.ts';
import { createTestApi, type TestApi } from '../../test/api.ts';
import { createUser, type TestUser } from '../../test/api-users.ts';
import { findValues, scannedColumns } from '../../test/personal-data-scan.ts';
import type { AccountExport } from '../account/export.ts';
import { afterResponseSettled } from '../after-response.ts';
import { pseudonymFor, pseudonymPepper } from '../account/pseudonym.ts';
import { recordLinkSync, saveLink } from '../../db/fantrax-links.ts';
import { upsertMatches } from '../../db/fantrax-matches.ts';
import { finishSync, replaceLeagues, startSync, storeRosters } from '../../db/fantrax-syncs.ts';
import { saveRecommendations } from '../../db/recommendations.ts';
import { createSecretBox, generateKey } from '../../fantrax/secret-box.ts';
import { fantraxSyncWorkflowId } from '../../workflows/fantrax-ids.ts';

let api: TestApi;
let admin: TestUser;
const PLAYER_ID = 900_001;

beforeAll(async () => {
  api = await createTestApi();
  admin = await createUser(api, 'admin');
  // A player to watch (a fixture: the seeded world is not needed here).
  await api.deps.pool.query(
    `INSERT INTO players (player_id, full_name, primary_position) VALUES ($1, 'Watched Prospect', 'SS')`,
    [PLAYER_ID],
  );
});
afterAll(async () => {
  await api?.close();
});

interface Seeded {
  user: TestUser;
  customerId: string;
  subscriptionId: string;
  fantraxSecret: string;
}

/**
 * Fantrax data as a sync leaves it, through the Fantrax db modules: the link (the Secret ID sealed with the real
 * secret box), a league, a sync under its workflow id (which names the user), its rosters, a match and a
 * recommendation.
 */
async function seedFantrax(userId: string, secret: string): Promise<void> {
  const pool = api.deps.pool;
  await saveLink(pool, userId, createSecretBox({ keys: [generateKey('test-key')] }).seal(secret, userId));
  await recordLinkSync(pool, userId, { at: new Date(), error: 'HTTP 500 from Fantrax' });
  await replaceLeagues(pool, userId, [
    { leagueId: 'lg1', leagueName: 'Dynasty Heads', teamId: 'tm1', teamName: 'My Team' },
  ]);
  const syncId = await startSync(pool, userId, fantraxSyncWorkflowId({ userId }));
  await storeRosters(pool, syncId, 'lg1', [
    { teamId: 'tm1', fantraxId: '04abc', rosterStatus: 'MINORS', position: 'SS' },
  ]);
  await finishSync(pool, syncId, { status: 'succeeded' });
  await upsertMatches(pool, userId, [
    {
      fantraxId: '04abc',
      fantraxName: 'Prospect, Watched',
      fantraxTeam: 'SEA',
      fantraxPosition: 'SS',
      playerId: PLAYER_ID,
      confidence: 0.9,
      label: 'certain',
    },
  ]);
  await saveRecommendations(pool, userId, 'lg1', {
    snapshotId: 'snap-1',
    previousSnapshotId: null,
    strategy: 'contending',
    farmSystem: [],
    freeAgents: [],
    movers: [],
    graduating: [],
  });
}

/**
 * An account with personal data in every table that holds any, written through each area's own db functions and
 * routes (no direct SQL but the player it watches).
 */
async function seedAccount(): Promise<Seeded> {
  const user = await createUser(api);
  const pool = api.deps.pool;
  const customerId = `cus_${randomBytes(7).toString('hex')}`;
  const fantraxSecret = `fxsecret${randomBytes(8).toString('hex')}`;
  await setPreferences(pool, user.userId, {
    strategy: 'contending',
    scoringWeights: { probability: 0.4, eta: 0.3, age: 0.1, dynastyValue: 0.2 },
  });
  await addToWatchlist(pool, user.userId, PLAYER_ID, 200);
  expect(await linkStripeCustomer(pool, user.userId, customerId)).toBe(customerId);
  const subscriptionId = `sub_${randomBytes(7).toString('hex')}`;
  await applySubscriptionUpdate(pool, {
    subscriptionId,
    userId: user.userId,
    customerId,
    status: 'active',
    currentPeriodEnd: new Date(Date.now() + 86_400_000),
    cancelAtPeriodEnd: false,
    priceId: 'price_afwd_premium_monthly',
    graceUntil: null,
    eventAt: new Date(),
  });
  await recordStripeEventReceived(pool, {
    eventId: `evt_${randomBytes(7).toString('hex')}`,
    type: 'customer.subscription.updated',
    customerId,
  });
  await saveNotificationSettings(pool, user.userId, { rankMove: true, weeklyDigest: false, rankMoveThreshold: 5 });
  await unsubscribe(pool, user.userId, 'rank_move');
  await enqueueEmail(pool, {
    userId: user.userId,
    kind: 'welcome',
    dedupeKey: `welcome:${user.userId}`,
    payload: { greeting: `Hello ${user.email}` },
  });
  await seedFantrax(user.userId, fantraxSecret);
  // Through the routes: a password-reset request (token + e-mail), a refresh (a second session row), a role change by
  // an admin, a refresh-token reuse (audit with the family id), an export (audited), and a careless audit entry.
  expect((await api.request('POST', '/api/v1/auth/password-reset', { body: { email: user.email } })).status).toBe(202);
  await afterResponseSettled();
  const refreshed = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
  expect(refreshed.status).toBe(200);
  expect(
    (await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } })).status,
  ).toBe(401);
  expect(
    (
      await api.request('PUT', `/api/v1/admin/users/${user.userId}/role`, {
        token: admin.accessToken,
        body: { role: 'premium' },
      })
    ).status,
  ).toBe(200);
  expect((await api.request('GET', '/api/v1/users/me/export', { token: user.accessToken })).status).toBe(200);
  await writeAudit(pool, {
    actor: 'cli',
    action: 'note',
    details: { note: `support ticket from ${user.email}`, customer: customerId, count: 2 },
  });
  // As the subscription saga's compensation writes it: about the subscription, by id.
  await writeAudit(pool, {
    actor: 'stripe',
    action: 'subscription_compensated',
    subject: subscriptionId,
    details: { reason: 'account_deleted' },
  });
  return { user, customerId, subscriptionId, fantraxSecret };
}

const needlesOf = (s: Seeded) => ({
  userId: s.user.userId,
  email: s.user.email,
  stripeCustomerId: s.customerId,
  stripeSubscriptionId: s.subscriptionId,
  fantraxSecret: s.fantraxSecret,
});

describe('data export', () => {
  it("answers everything held about the caller as an attachment, without secrets or other users' ids", async () => {
    const seeded = await seedAccount();
    const { user } = seeded;
    const res = await api.request('GET', `/api/v1/users/${user.userId}/export`, { token: user.accessToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="afwd-account-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const text = await res.text();
    const data = JSON.parse(text) as AccountExport;
    expect(data.profile).toMatchObject({
      user_id: user.userId,
      email: user.email,
      stripe_customer_id: seeded.customerId,
      role: 'premium',
    });
    expect(data.profile.preferences).toMatchObject({ strategy: 'contending' });
    expect(data.sessions.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(data.sessions[0]!).sort()).toEqual([
      'created_at',
      'expires_at',
      'family_id',
      'revoked_at',
      'revoked_reason',
      'used_at',
    ]);
    expect(data.emails.map((e) => e.kind).sort()).toEqual(['password_reset', 'welcome']);
    expect(data.passwordResets).toHaveLength(1);
    expect(data.fantraxLink).toEqual([
      expect.objectContaining({ needs_reconnect: false, last_error: 'HTTP 500 from Fantrax' }),
    ]);
    expect(Object.keys(data.fantraxLink[0]!).filter((k) => k.startsWith('secret_') && k !== 'secret_key_id')).toEqual(
      [],
    );
    expect(data.fantraxRosters).toEqual([
      expect.objectContaining({ league_id: 'lg1', team_id: 'tm1', fantrax_id: '04abc', roster_status: 'MINORS' }),
    ]);
    for (const table of ['fantrax_leagues', 'fantrax_syncs', 'fantrax_matches', 'fantrax_recommendations'])
      expect(data.tables[table], table).toHaveLength(1);
    expect(data.tables.watchlists).toEqual([expect.objectContaining({ player_id: PLAYER_ID })]);
    expect(data.tables.subscriptions).toEqual([
      expect.objectContaining({ status: 'active', stripe_customer_id: seeded.customerId }),
    ]);
    expect(data.tables.notification_settings).toEqual([
      expect.objectContaining({ weekly_digest: false, rank_move_threshold: 5 }),
    ]);
    expect(data.tables.email_unsubscribes).toHaveLength(1);
    const actions = data.auditLog.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'login',
        'password_reset_requested',
        'refresh_token.reuse',
        'user.set_role',
        'data_exported',
      ]),
    );
    expect(data.auditLog.find((e) => e.action === 'user.set_role')).toMatchObject({
      actor: 'another user',
      subject: 'you',
    });
    // No secret and no other person: not the Fantrax secret, no hashes, not the admin's id, no reset link.
    for (const absent of [
      seeded.fantraxSecret,
      admin.userId,
      admin.email,
      user.refreshToken,
      '$argon2id$',
      'resetUrl',
      'token_hash',
    ])
      expect(text).not.toContain(absent);
    const audit = await auditEntries(api.deps.pool, { action: 'data_exported', subject: user.userId });
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it("answers 404 for another user's id and 401 without a token", async () => {
    const user = await createUser(api);
    expect((await api.request('GET', `/api/v1/users/${admin.userId}/export`, { token: user.accessToken })).status).toBe(
      404,
    );
    expect((await api.request('GET', '/api/v1/users/me/export')).status).toBe(401);
  });
});

describe('account erasure', () => {
  it('refuses a wrong password with 401 and changes nothing', async () => {
    const user = await createUser(api);
    const res = await api.request('DELETE', '/api/v1/users/me', {
      token: user.accessToken,
      body: { password: 'not my password' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await api.request('GET', '/api/v1/users/me', { token: user.accessToken })).status).toBe(200);
  });

  it("refuses another user's id with 404", async () => {
    const user = await createUser(api);
    const res = await api.request('DELETE', `/api/v1/users/${admin.userId}`, {
      token: user.accessToken,
      body: { password: user.password },
    });
    expect(res.status).toBe(404);
  });

  it('leaves no trace of the account in any column of any table, keeps the audit trail under a pseudonym, and deletes the Stripe customer', async () => {
    const seeded = await seedAccount();
    const { user } = seeded;
    const pool = api.deps.pool;
    const bystander = await seedAccount();
    const needles = needlesOf(seeded);

    // The scan finds the seeded data before the erasure (so finding nothing afterwards means something).
    const before = await findValues(pool, needles);
    const where = (hits: typeof before) => hits.map((h) => `${h.table}.${h.column}:${h.needle}`);
    expect(where(before)).toEqual(
      expect.arrayContaining([
        'users.user_id:userId',
        'users.email:email',
        'users.stripe_customer_id:stripeCustomerId',
        'subscriptions.stripe_customer_id:stripeCustomerId',
        'stripe_events.stripe_customer_id:stripeCustomerId',
        'email_outbox.dedupe_key:userId',
        'email_outbox.payload:email',
        'audit_log.subject:userId',
        'audit_log.details:email',
        'fantrax_links.user_id:userId',
        'fantrax_syncs.workflow_id:userId',
        'watchlists.user_id:userId',
        'notification_settings.user_id:userId',
        'password_reset_tokens.user_id:userId',
        'refresh_tokens.user_id:userId',
        'email_unsubscribes.user_id:userId',
        'subscriptions.stripe_subscription_id:stripeSubscriptionId',
        'audit_log.subject:stripeSubscriptionId',
      ]),
    );
    // The Secret ID is only ever stored sealed.
    expect(before.filter((h) => h.needle === 'fantraxSecret')).toEqual([]);
    const auditBefore = (
      await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE actor = $1 OR subject = ANY($2)`,
        [user.userId, [user.userId, seeded.subscriptionId]],
      )
    ).rows[0]!.n;

    const res = await api.request('DELETE', '/api/v1/users/me', {
      token: user.accessToken,
      body: { password: user.password },
    });
    expect(res.status).toBe(204);

    // Stripe (stripe-mock) deleted the customer: nothing is left queued.
    expect((await pool.query(`SELECT last_error FROM stripe_customer_deletions`)).rows).toEqual([]);
    const after = await findValues(pool, needles);
    expect(after, `personal data left after erasure: ${where(after).join(', ')}`).toEqual([]);
    expect((await scannedColumns(pool)).length).toBeGreaterThan(100);

    // The audit trail stays, under the pseudonym, with personal details scrubbed but the harmless ones kept.
    const pseudonym = pseudonymFor(user.userId, await pseudonymPepper(api.deps.config));
    const trail = await pool.query<{
      actor: string;
      action: string;
      subject: string | null;
      details: Record<string, unknown>;
    }>(`SELECT actor, action, subject, details FROM audit_log WHERE actor = $1 OR subject = $1 ORDER BY audit_id`, [
      pseudonym,
    ]);
    expect(trail.rows.length).toBe(auditBefore + 1);
    expect(trail.rows.at(-1)).toEqual({
      actor: pseudonym,
      action: 'account_deleted',
      subject: pseudonym,
      details: { stripeCustomers: 1 },
    });
    expect(trail.rows.find((r) => r.action === 'user.set_role')).toMatchObject({
      actor: admin.userId,
      details: { from: 'free', to: 'premium', via: 'api' },
    });
    const note = await pool.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_log WHERE action = 'note' ORDER BY audit_id`,
    );
    expect(note.rows.map((r) => r.details)).toContainEqual({ count: 2 });

    // The tokens are dead.
    expect(
      (await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } })).status,
    ).toBe(401);
    expect(
      (await api.request('POST', '/api/v1/auth/login', { body: { email: user.email, password: user.password } }))
        .status,
    ).toBe(401);

    // Nobody else lost anything.
    const others = await findValues(pool, needlesOf(bystander));
    expect(where(others)).toEqual(
      expect.arrayContaining(['users.user_id:userId', 'users.email:email', 'watchlists.user_id:userId']),
    );
  });

  it('completes the erasure when Stripe is down, queues the customer deletion and a retry finishes it', async () => {
    const down = await createTestApi({ env: { STRIPE_API_URL: 'http://127.0.0.1:9' } });
    try {
      const user = await createUser(down);
      const customerId = `cus_${randomBytes(7).toString('hex')}`;
      await linkStripeCustomer(down.deps.pool, user.userId, customerId);
      const res = await down.request('DELETE', '/api/v1/users/me', {
        token: user.accessToken,
        body: { password: user.password },
      });
      expect(res.status).toBe(204);
      expect(await findValues(down.deps.pool, { userId: user.userId, email: user.email })).toEqual([]);
      const queued = await down.deps.pool.query<{ stripe_customer_id: string; attempts: number; last_error: string }>(
        `SELECT stripe_customer_id, attempts, last_error FROM stripe_customer_deletions`,
      );
      expect(queued.rows).toEqual([
        { stripe_customer_id: customerId, attempts: 1, last_error: expect.stringMatching(/Stripe/) },
      ]);
      // The retry, against a Stripe that answers (the run's stripe-mock), once the backoff has passed.
      const stripe = createStripeClient(api.deps.config);
      expect(await deleteDueStripeCustomers(down.deps.pool, stripe, new Date(Date.now() + 3_600_000))).toBe(0);
      expect((await down.deps.pool.query(`SELECT 1 FROM stripe_customer_deletions`)).rows).toEqual([]);
    } finally {
      await down.close();
    }
  });

  it(`stops password guessing through erasure after a few attempts (429)`, async () => {
    const user = await createUser(api);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await api.request('DELETE', '/api/v1/users/me', {
            token: user.accessToken,
            body: { password: `guess ${i} ${randomUUID()}` },
          })
        ).status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});
