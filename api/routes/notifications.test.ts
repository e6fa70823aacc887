import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueEmail, outboxEmail } from '../../db/outbox.ts';
import { unsubscribeToken } from '../../notifications/links.ts';
import { createTestApi, type TestApi } from '../../test/api.ts';
import { createUser, type TestUser } from '../../test/api-users.ts';

const secret = 'notifications-route-test-secret-of-32-chars-or-more';

describe('notification routes', () => {
  let api: TestApi;
  let user: TestUser;
  beforeAll(async () => {
    api = await createTestApi({ env: { LINK_SIGNING_SECRET: secret } });
    user = await createUser(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers the defaults, then saves settings and cancels queued mail of a kind turned off', async () => {
    const defaults = await api.request('GET', '/api/v1/users/me/notifications', { token: user.accessToken });
    expect(await defaults.json()).toEqual({ rankMove: true, weeklyDigest: true, rankMoveThreshold: 10 });
    await enqueueEmail(api.deps.pool, {
      userId: user.userId,
      kind: 'weekly_digest',
      dedupeKey: `weekly_digest:${user.userId}:2026-W01`,
      payload: { isoWeek: '2026-W01', snapshotId: null, items: [] },
    });
    const saved = await api.request('PUT', `/api/v1/users/${user.userId}/notifications`, {
      token: user.accessToken,
      body: { rankMove: true, weeklyDigest: false, rankMoveThreshold: 25 },
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ rankMove: true, weeklyDigest: false, rankMoveThreshold: 25 });
    const { rows } = await api.deps.pool.query<{ email_id: number }>(
      `SELECT email_id FROM email_outbox WHERE dedupe_key = $1`,
      [`weekly_digest:${user.userId}:2026-W01`],
    );
    expect(await outboxEmail(api.deps.pool, rows[0]!.email_id)).toMatchObject({ status: 'cancelled' });
    const unknownField = await api.request('PUT', '/api/v1/users/me/notifications', {
      token: user.accessToken,
      body: { rankMove: true, weeklyDigest: true, rankMoveThreshold: 5, welcome: false },
    });
    expect(unknownField.status).toBe(400);
  });

  it('shows what a link stops without changing anything on GET, and unsubscribes on POST', async () => {
    const token = unsubscribeToken(secret, { userId: user.userId, kind: 'rank_move' });
    const path = `/api/v1/notifications/unsubscribe?token=${token}`;
    const page = await api.request('GET', path, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('Unsubscribe from rank-move alerts?');
    expect(html).toContain(`<form method="post" action="?token=${token}">`);
    expect(await (await api.request('GET', path)).json()).toEqual({ kind: 'rank_move', unsubscribed: false });

    const done = await api.request('POST', path, { headers: { accept: 'text/html' } });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('You will no longer receive rank-move alerts.');
    expect(await (await api.request('GET', path)).json()).toEqual({ kind: 'rank_move', unsubscribed: true });
    const settings = await api.request('GET', '/api/v1/users/me/notifications', { token: user.accessToken });
    expect(await settings.json()).toMatchObject({ rankMove: false });
    // Again: still fine (mail clients may repeat the one-click POST).
    expect((await api.request('POST', path)).status).toBe(200);
  });

  it('answers 400 problems to a tampered, foreign or missing token', async () => {
    const other = unsubscribeToken(`${secret}-elsewhere`, { userId: user.userId, kind: 'weekly_digest' });
    const tampered = unsubscribeToken(secret, { userId: user.userId, kind: 'rank_move' }).replace(
      'rank_move',
      'weekly_digest',
    );
    for (const path of [`?token=${other}`, `?token=${tampered}`, '?token=x', '']) {
      const res = await api.request('POST', `/api/v1/notifications/unsubscribe${path}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect(
      await (await api.request('GET', '/api/v1/users/me/notifications', { token: user.accessToken })).json(),
    ).toMatchObject({ weeklyDigest: false });
  });
});
