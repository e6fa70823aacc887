import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRankMoves } from './notifications.ts';
import { queueRankMoveEmails, queueWeeklyDigests } from './notification-emails.ts';
import { notificationSettings, saveNotificationSettings, unsubscribe } from './notification-settings.ts';
import {
  beginAttempt,
  cancelEmail,
  claimDueEmails,
  enqueueEmail,
  markSent,
  markUnconfirmed,
  outboxEmail,
  recordFailure,
  secondsUntilNextDue,
} from './outbox.ts';
import { createUser } from './users.ts';
import { addToWatchlist } from './watchlists.ts';
import { seedPublishedWorld, type PublishedWorld } from '../test/api-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';

const domain = 'afinewinedynasty.test';

describe('the e-mail outbox', () => {
  let db: TestDatabase;
  let world: PublishedWorld;
  const newUser = async (name: string) =>
    (await createUser(db.pool, { email: `${name}-${Math.random()}@example.test`, passwordHash: 'x' }))!;

  beforeAll(async () => {
    db = await createTestDatabase();
    world = await seedPublishedWorld(db.pool);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('claims due rows once (SKIP LOCKED), fixing a Message-ID that every later attempt keeps', async () => {
    expect(await secondsUntilNextDue(db.pool)).toBeNull();
    const user = await newUser('claim');
    for (let i = 0; i < 6; i++)
      await enqueueEmail(db.pool, { userId: user, kind: 'welcome', dedupeKey: `claim:${user}:${i}` });
    expect(await enqueueEmail(db.pool, { userId: user, kind: 'welcome', dedupeKey: `claim:${user}:0` })).toBe(false);
    const [a, b] = await Promise.all([
      claimDueEmails(db.pool, { limit: 4, messageIdDomain: domain }),
      claimDueEmails(db.pool, { limit: 4, messageIdDomain: domain }),
    ]);
    const claimed = [...a, ...b];
    expect(claimed).toHaveLength(6);
    expect(new Set(claimed).size).toBe(6);
    expect(await claimDueEmails(db.pool, { limit: 4, messageIdDomain: domain })).toEqual([]);

    const id = claimed[0]!;
    const first = await outboxEmail(db.pool, id);
    expect(first).toMatchObject({ status: 'sending', attempts: 0, wanted: true });
    expect(first!.messageId).toMatch(new RegExp(`^<[0-9a-f-]{36}@${domain.replace(/\./g, '\\.')}>$`));
    // A temporary refusal: back to pending with backoff, the same Message-ID.
    expect(await beginAttempt(db.pool, id)).toBe(true);
    expect(await beginAttempt(db.pool, id)).toBe(false);
    expect(
      await recordFailure(db.pool, id, {
        error: '451 try later',
        permanent: false,
        maxAttempts: 3,
        retryBaseSeconds: 60,
      }),
    ).toBe('pending');
    const retried = await outboxEmail(db.pool, id);
    expect(retried).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: '451 try later',
      attemptStartedAt: null,
      messageId: first!.messageId,
    });
    expect(await secondsUntilNextDue(db.pool)).toBeGreaterThan(50);
    // Not due yet.
    expect(await claimDueEmails(db.pool, { limit: 10, messageIdDomain: domain })).toEqual([]);
    // A lease of 0: every 'sending' row counts as abandoned and is taken again (the sender then decides).
    expect((await claimDueEmails(db.pool, { limit: 10, messageIdDomain: domain, leaseSeconds: 0 })).sort()).toEqual(
      claimed.filter((c) => c !== id).sort(),
    );
  });

  it('gives up after the last attempt or on a permanent refusal, and never reopens a sent or unconfirmed row', async () => {
    const user = await newUser('give-up');
    await enqueueEmail(db.pool, { userId: user, kind: 'welcome', dedupeKey: `give-up:${user}:a` });
    await enqueueEmail(db.pool, { userId: user, kind: 'welcome', dedupeKey: `give-up:${user}:b` });
    await enqueueEmail(db.pool, { userId: user, kind: 'welcome', dedupeKey: `give-up:${user}:c` });
    const [a, b, c] = await claimDueEmails(db.pool, { limit: 3, messageIdDomain: domain, leaseSeconds: 3600 });
    await beginAttempt(db.pool, a!);
    expect(
      await recordFailure(db.pool, a!, { error: 'refused', permanent: false, maxAttempts: 1, retryBaseSeconds: 0 }),
    ).toBe('failed');
    await beginAttempt(db.pool, b!);
    expect(
      await recordFailure(db.pool, b!, { error: '550 no', permanent: true, maxAttempts: 5, retryBaseSeconds: 0 }),
    ).toBe('failed');
    await beginAttempt(db.pool, c!);
    await markSent(db.pool, c!);
    expect(await outboxEmail(db.pool, c!)).toMatchObject({ status: 'sent', attempts: 1, attemptStartedAt: null });
    expect(await cancelEmail(db.pool, c!, 'too late')).toBe(false);
    await markUnconfirmed(db.pool, c!, 'no');
    expect((await outboxEmail(db.pool, c!))!.status).toBe('sent');
    expect(await claimDueEmails(db.pool, { limit: 10, messageIdDomain: domain, leaseSeconds: 0 })).not.toContain(c);
  });

  it('keeps no password-reset link (a usable token) on a row once it is sent, given up, cancelled or in doubt', async () => {
    const user = await newUser('reset');
    const resetUrl = 'https://site.test/account/reset/#token=abc';
    for (const k of ['sent', 'failed', 'unconfirmed', 'cancelled']) {
      await enqueueEmail(db.pool, {
        userId: user,
        kind: 'password_reset',
        dedupeKey: `reset:${user}:${k}`,
        payload: { resetUrl, expiresAt: '2030-01-01T00:00:00Z' },
      });
    }
    const [sent, failed, unconfirmed, cancelled] = await claimDueEmails(db.pool, {
      limit: 4,
      messageIdDomain: domain,
      leaseSeconds: 3600,
    });
    await beginAttempt(db.pool, sent!);
    await markSent(db.pool, sent!);
    await beginAttempt(db.pool, failed!);
    await recordFailure(db.pool, failed!, { error: '550 no', permanent: true, maxAttempts: 5, retryBaseSeconds: 0 });
    await beginAttempt(db.pool, unconfirmed!);
    await markUnconfirmed(db.pool, unconfirmed!, 'in doubt');
    await cancelEmail(db.pool, cancelled!, 'the account is gone');
    for (const id of [sent, failed, unconfirmed, cancelled]) {
      expect((await outboxEmail(db.pool, id!))!.payload).toEqual({ expiresAt: '2030-01-01T00:00:00Z' });
    }
  });

  it('queues one rank-move e-mail per watcher and snapshot, listing only moves past his threshold', async () => {
    const { older, current, ids } = world;
    await recordRankMoves(db.pool, {
      snapshotId: current.id,
      previousRunId: older.predictionRunId,
      places: 1,
      top: 100,
    });
    const moved = [...current.predictions]
      .filter(([id]) => older.predictions.has(id))
      .map(([id, p]) => ({ id, places: Math.abs(older.predictions.get(id)!.rank - p.rank) }))
      .filter((m) => m.places > 0)
      .sort((x, y) => y.places - x.places);
    const big = moved[0]!;
    const small = moved.find((m) => m.places < big.places && m.places < 10)!;
    expect(big.places).toBeGreaterThanOrEqual(10);

    const watcher = await newUser('watcher');
    const picky = await newUser('picky');
    const off = await newUser('off');
    for (const user of [watcher, picky, off]) {
      for (const id of [big.id, small.id, ids.newcomer]) await addToWatchlist(db.pool, user, id, 50);
    }
    await saveNotificationSettings(db.pool, watcher, {
      rankMove: true,
      weeklyDigest: true,
      rankMoveThreshold: small.places,
    });
    await saveNotificationSettings(db.pool, picky, {
      rankMove: true,
      weeklyDigest: true,
      rankMoveThreshold: big.places + 1,
    });
    await saveNotificationSettings(db.pool, off, { rankMove: false, weeklyDigest: true, rankMoveThreshold: 1 });

    expect(await queueRankMoveEmails(db.pool, current.id)).toBe(2);
    expect(await queueRankMoveEmails(db.pool, current.id)).toBe(0);
    const { rows } = await db.pool.query<{
      user_id: string;
      payload: { moves: { playerId: number; slug: string; previousRank: number | null; newRank: number }[] };
    }>(`SELECT user_id, payload FROM email_outbox WHERE kind = 'rank_move' AND dedupe_key LIKE 'rank_move:%:' || $1`, [
      current.id,
    ]);
    const byUser = new Map(rows.map((r) => [r.user_id, r.payload.moves]));
    expect(byUser.has(off)).toBe(false);
    expect(
      byUser
        .get(watcher)!
        .map((m) => m.playerId)
        .sort(),
    ).toEqual([big.id, small.id, ids.newcomer].sort());
    // Above the biggest move: only the newcomer (entering the rankings always counts).
    expect(byUser.get(picky)!.map((m) => m.playerId)).toEqual([ids.newcomer]);
    const bigMove = byUser.get(watcher)!.find((m) => m.playerId === big.id)!;
    expect(bigMove).toMatchObject({
      previousRank: older.predictions.get(big.id)!.rank,
      newRank: current.predictions.get(big.id)!.rank,
    });
    expect(bigMove.slug).toMatch(/^[a-z0-9-]+$/);
  });

  it('queues a weekly digest per user with a watchlist, once a week, and an unsubscribe turns the kind off and cancels what waits', async () => {
    const reader = await newUser('reader');
    await addToWatchlist(db.pool, reader, world.ids.joseRamirez, 50);
    const queued = await queueWeeklyDigests(db.pool, '2026-W49');
    expect(queued).toBeGreaterThanOrEqual(1);
    expect(await queueWeeklyDigests(db.pool, '2026-W49')).toBe(0);
    const { rows } = await db.pool.query<{
      email_id: number;
      payload: { items: { playerId: number; rank: number }[] };
    }>(`SELECT email_id, payload FROM email_outbox WHERE dedupe_key = $1`, [`weekly_digest:${reader}:2026-W49`]);
    expect(rows[0]!.payload.items).toEqual([
      expect.objectContaining({
        playerId: world.ids.joseRamirez,
        rank: world.current.predictions.get(world.ids.joseRamirez)!.rank,
      }),
    ]);

    expect(await notificationSettings(db.pool, reader)).toEqual({
      rankMove: true,
      weeklyDigest: true,
      rankMoveThreshold: 10,
    });
    expect(await unsubscribe(db.pool, reader, 'weekly_digest')).toBe(true);
    expect(await notificationSettings(db.pool, reader)).toEqual({
      rankMove: true,
      weeklyDigest: false,
      rankMoveThreshold: 10,
    });
    expect(await outboxEmail(db.pool, rows[0]!.email_id)).toMatchObject({ status: 'cancelled', wanted: false });
    expect(await queueWeeklyDigests(db.pool, '2026-W50')).toBe(queued - 1);
    expect(await unsubscribe(db.pool, '00000000-0000-4000-8000-000000000000', 'rank_move')).toBe(false);
  });
});
