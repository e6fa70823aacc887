import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../../db/audit-log.ts';
import { createTestApi, type TestApi } from '../../test/api.ts';
import { createUser, login } from '../../test/api-users.ts';
import { unreachableRedisUrl } from '../../test/redis.ts';
import { afterResponseSettled } from '../after-response.ts';
import { requestPasswordReset } from '../auth/password-reset.ts';
import { PASSWORD_RESET_IP_LIMIT } from './password-reset.ts';

let api: TestApi;
const now = new Date('2026-06-01T12:00:00Z');
beforeAll(async () => {
  api = await createTestApi({
    env: { API_TRUST_PROXY: '1', SITE_URL: 'https://rankings.example.test' },
    now: () => now,
  });
});
afterAll(async () => {
  await api?.close();
});

interface OutboxRow {
  user_id: string;
  kind: string;
  dedupe_key: string;
  payload: { resetUrl: string; expiresAt: string };
}
async function resetMails(userId: string): Promise<OutboxRow[]> {
  const { rows } = await api.deps.pool.query<OutboxRow>(
    `SELECT user_id, kind, dedupe_key, payload FROM email_outbox WHERE user_id = $1 AND kind = 'password_reset' ORDER BY email_id`,
    [userId],
  );
  return rows;
}
const tokenOf = (mail: OutboxRow) => new URL(mail.payload.resetUrl).searchParams.get('token')!;

describe('password reset', () => {
  it('answers a known and an unknown address alike, and queues a link only for the account', async () => {
    const user = await createUser(api);
    const known = await api.request('POST', '/api/v1/auth/password-reset', {
      body: { email: user.email.toUpperCase() },
      headers: { 'x-forwarded-for': '198.51.100.1' },
    });
    const unknown = await api.request('POST', '/api/v1/auth/password-reset', {
      body: { email: `nobody-${crypto.randomUUID()}@example.test` },
      headers: { 'x-forwarded-for': '198.51.100.1' },
    });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(await known.json()).toEqual(await unknown.json());
    await afterResponseSettled();
    const mails = await resetMails(user.userId);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.payload.resetUrl).toMatch(
      /^https:\/\/rankings\.example\.test\/account\/reset\/\?token=[A-Za-z0-9_-]{43}$/,
    );
    expect(mail.payload.expiresAt).toBe('2026-06-01T13:00:00.000Z');
    expect(mail.dedupe_key).toMatch(/^password_reset:[0-9a-f]{16}$/);
    // Only the hash is kept.
    const { rows } = await api.deps.pool.query(`SELECT 1 FROM password_reset_tokens WHERE token_hash = $1`, [
      tokenOf(mail),
    ]);
    expect(rows).toEqual([]);
  });

  it('answers before it makes the link, so the answer takes no longer for an address with an account', async () => {
    const user = await createUser(api);
    // While no reset token can be stored, an answer that waited for the account's link would hang.
    const blocker = await api.deps.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE password_reset_tokens IN EXCLUSIVE MODE');
      const answer = api.request('POST', '/api/v1/auth/password-reset', {
        body: { email: user.email },
        headers: { 'x-forwarded-for': '198.51.100.2' },
      });
      const timeout = new Promise<'waited for the link'>((r) => setTimeout(() => r('waited for the link'), 3000));
      const res = await Promise.race([answer, timeout]);
      expect(res).not.toBe('waited for the link');
      expect((res as Response).status).toBe(202);
    } finally {
      await blocker.query('COMMIT');
      blocker.release();
    }
    await afterResponseSettled();
    expect(await resetMails(user.userId)).toHaveLength(1);
  });

  it('sets the new password, spends the token, logs out every session and audits it without the token', async () => {
    const user = await createUser(api);
    const token = await requestPasswordReset(api.deps.pool, { userId: user.userId, siteUrl: 'http://x', now });
    const res = await api.request('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token, password: 'a brand new passphrase' },
    });
    expect(res.status).toBe(204);
    expect(
      (await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } })).status,
    ).toBe(401);
    await expect(login(api, user.email, user.password)).rejects.toThrow(/401/);
    await login(api, user.email, 'a brand new passphrase');
    const again = await api.request('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token, password: 'yet another passphrase' },
    });
    expect(again.status).toBe(400);
    const audit = await auditEntries(api.deps.pool, { action: 'password_reset', subject: user.userId });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toEqual({ tokensRevoked: 1 });
  });

  it('refuses an expired token, a token spent by a later reset, an unknown one and a weak password with 400', async () => {
    const user = await createUser(api);
    const expired = await requestPasswordReset(api.deps.pool, {
      userId: user.userId,
      siteUrl: 'http://x',
      now: new Date(now.getTime() - 3601_000),
    });
    const older = await requestPasswordReset(api.deps.pool, { userId: user.userId, siteUrl: 'http://x', now });
    const newer = await requestPasswordReset(api.deps.pool, { userId: user.userId, siteUrl: 'http://x', now });
    const confirm = (token: string, password = 'a fine new password') =>
      api.request('POST', '/api/v1/auth/password-reset/confirm', { body: { token, password } });
    expect((await confirm(expired)).status).toBe(400);
    expect((await confirm(older, 'short')).status).toBe(400);
    expect((await confirm('A'.repeat(43))).status).toBe(400);
    expect((await confirm(newer)).status).toBe(204);
    expect((await confirm(older)).status).toBe(400);
  });

  it(`throttles requests to ${PASSWORD_RESET_IP_LIMIT.limit} an hour per IP (429), and fails closed without Redis (503)`, async () => {
    const email = `nobody-${crypto.randomUUID()}@example.test`;
    for (let i = 0; i < PASSWORD_RESET_IP_LIMIT.limit; i++) {
      expect(
        (
          await api.request('POST', '/api/v1/auth/password-reset', {
            body: { email },
            headers: { 'x-forwarded-for': '198.51.100.9' },
          })
        ).status,
      ).toBe(202);
    }
    const refused = await api.request('POST', '/api/v1/auth/password-reset', {
      body: { email },
      headers: { 'x-forwarded-for': '198.51.100.9' },
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const offline = await createTestApi({ env: { REDIS_URL: await unreachableRedisUrl(), API_TRUST_PROXY: '1' } });
    try {
      const res = await offline.request('POST', '/api/v1/auth/password-reset', {
        body: { email },
        headers: { 'x-forwarded-for': '198.51.100.9' },
      });
      expect(res.status).toBe(503);
    } finally {
      await offline.close();
    }
  });
});
