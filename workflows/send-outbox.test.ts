import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ActivityDeps } from '../activities/index.ts';
import { createNotificationActivities } from '../activities/notifications.ts';
import { createPublishActivities } from '../activities/publish.ts';
import { deleteUserRow } from '../db/data-rights.ts';
import { beginAttempt, claimDueEmails, enqueueEmail, markSent, outboxEmail, recordFailure } from '../db/outbox.ts';
import { addToWatchlist } from '../db/watchlists.ts';
import { startLocalSmtpServer, type LocalSmtpServer } from '../infra/smtp-server.ts';
import { createLogger } from '../lib/log.ts';
import { createMailer, messageIdDomain } from '../notifications/mailer.ts';
import { seedPublishedWorld, type PublishedWorld } from '../test/api-fixture.ts';
import { createTestApi, type TestApi } from '../test/api.ts';
import { createUser, type TestUser } from '../test/api-users.ts';
import { freePort } from '../test/ports.ts';
import { withPipelineWorker } from '../test/temporal.ts';
import type { sendOutbox } from './send-outbox.ts';
import type { weeklyDigest } from './weekly-digest.ts';

// The outbox drained by the real workflow on a real worker, into the smtp-server package listening in-process; the
// database and API are real too (the API signs the unsubscribe links' secret from the same data dir).
describe('sendOutbox', () => {
  let api: TestApi;
  let smtp: LocalSmtpServer;
  let dataDir: string;
  let deps: ActivityDeps;
  let world: PublishedWorld;
  let connection: Connection;
  let client: Client;
  /** Addresses the server refuses (451) this many more times. */
  const refusals = new Map<string, number>();

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'afwd-outbox-'));
    const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    smtp = await startLocalSmtpServer({
      port: await freePort(),
      dir: path.join(dataDir, 'mail'),
      log,
      refuseRecipient: (address) => {
        const left = refusals.get(address) ?? 0;
        if (left <= 0) return undefined;
        refusals.set(address, left - 1);
        return { responseCode: 451, message: '4.3.0 Try again later' };
      },
    });
    api = await createTestApi({
      env: {
        SMTP_URL: smtp.smtpUrl,
        AFWD_DATA_DIR: dataDir,
        LINK_SIGNING_SECRET: '',
        SITE_URL: 'https://site.example.test',
        API_PUBLIC_URL: 'https://api.example.test',
      },
    });
    deps = { pool: api.deps.pool, config: api.deps.config, log, mlbBaseUrl: 'http://127.0.0.1:9' };
    world = await seedPublishedWorld(api.deps.pool);
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
  });
  afterAll(async () => {
    await connection?.close();
    await api?.close();
    await smtp?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const drain = (taskQueue: string, input: Parameters<typeof sendOutbox>[0] = {}) =>
    client.workflow.execute<typeof sendOutbox>('sendOutbox', {
      taskQueue,
      workflowId: `drain-${Date.now()}-${Math.random()}`,
      args: [input],
    });
  const queued = async (
    user: TestUser,
    kind: 'welcome' | 'rank_move',
    dedupeKey: string,
    payload: Record<string, unknown> = {},
  ) => {
    await enqueueEmail(api.deps.pool, { userId: user.userId, kind, dedupeKey, payload });
    const { rows } = await api.deps.pool.query<{ email_id: number }>(
      `SELECT email_id FROM email_outbox WHERE dedupe_key = $1`,
      [dedupeKey],
    );
    return rows[0]!.email_id;
  };
  const to = (user: TestUser) => (m: { recipients: string[] }) => m.recipients.includes(user.email);

  it('sends a queued e-mail once with its fixed Message-ID: draining the same row again sends nothing', async () => {
    const user = await createUser(api);
    const emailId = await queued(user, 'welcome', `welcome:${user.userId}`);
    await withPipelineWorker('outbox', deps, async (taskQueue) => {
      expect(await drain(taskQueue)).toMatchObject({ sent: 1, retrying: 0, unconfirmed: 0 });
      expect(await drain(taskQueue)).toMatchObject({ sent: 0 });
    });
    const row = await outboxEmail(api.deps.pool, emailId);
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    // The same row handed to the send activity again (a duplicate drain): nothing goes out.
    const activities = createNotificationActivities(deps);
    const again = await new MockActivityEnvironment().run(
      (input: { emailId: number; maxAttempts: number; retryBaseSeconds: number }) => activities.sendEmail(input),
      { emailId, maxAttempts: 3, retryBaseSeconds: 1 },
    );
    expect(again).toBe('skipped');
    const received = (await smtp.messages()).filter(to(user));
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ subject: 'Welcome to A Fine Wine Dynasty', messageId: row!.messageId });
    expect(received[0]!.headers['list-unsubscribe']).toBeUndefined();
  });

  it('does not send again a message handed to SMTP by a drain that stopped before recording it', async () => {
    const user = await createUser(api);
    const emailId = await queued(user, 'welcome', `welcome:${user.userId}`);
    // An attempt that got as far as the hand-off and then died: claimed, attempt opened, sent, never marked.
    expect(
      await claimDueEmails(api.deps.pool, { limit: 50, messageIdDomain: messageIdDomain(deps.config.mail.from) }),
    ).toContain(emailId);
    expect(await beginAttempt(api.deps.pool, emailId)).toBe(true);
    const row = (await outboxEmail(api.deps.pool, emailId))!;
    const mailer = createMailer(deps.config.mail);
    await mailer.send({
      to: user.email,
      subject: 'Welcome to A Fine Wine Dynasty',
      text: 'hi',
      html: '<p>hi</p>',
      headers: {},
      messageId: row.messageId!,
    });
    mailer.close();
    await withPipelineWorker('outbox-rerun', deps, async (taskQueue) => {
      // The drain that follows finds the abandoned row (lease 0) with its attempt still open.
      expect(await drain(taskQueue, { claimLeaseSeconds: 0 })).toMatchObject({ sent: 0, unconfirmed: 1 });
    });
    expect(await outboxEmail(api.deps.pool, emailId)).toMatchObject({ status: 'unconfirmed', attempts: 1 });
    const received = (await smtp.messages()).filter(to(user));
    expect(received.map((m) => m.messageId)).toEqual([row.messageId]);
  });

  it('a row claimed again while its first drain is still sending is left to that drain, which records the outcome', async () => {
    const domain = messageIdDomain(deps.config.mail.from);
    const activities = createNotificationActivities(deps);
    type SendInput = { emailId: number; maxAttempts: number; retryBaseSeconds: number; leaseSeconds: number };
    const secondDrainSends = (emailId: number) =>
      new MockActivityEnvironment().run((input: SendInput) => activities.sendEmail(input), {
        emailId,
        maxAttempts: 3,
        retryBaseSeconds: 60,
        leaseSeconds: 1,
      });
    for (const outcome of ['sent', 'refused'] as const) {
      const user = await createUser(api);
      const emailId = await queued(user, 'welcome', `welcome:${user.userId}`);
      // The first drain claims the row, but its send starts only after the lease (1 s): a second drain claims it too.
      expect(await claimDueEmails(api.deps.pool, { limit: 50, messageIdDomain: domain, leaseSeconds: 1 })).toContain(
        emailId,
      );
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await claimDueEmails(api.deps.pool, { limit: 50, messageIdDomain: domain, leaseSeconds: 1 })).toContain(
        emailId,
      );
      // The first drain opens its attempt and is handing the message to SMTP when the second drain's send runs.
      expect(await beginAttempt(api.deps.pool, emailId)).toBe(true);
      expect(await secondDrainSends(emailId)).toBe('skipped');
      if (outcome === 'sent') {
        await markSent(api.deps.pool, emailId);
        expect(await outboxEmail(api.deps.pool, emailId)).toMatchObject({ status: 'sent', attempts: 1 });
      } else {
        // Refused: retried later, not lost as 'unconfirmed'.
        expect(
          await recordFailure(api.deps.pool, emailId, {
            error: '451 try later',
            permanent: false,
            maxAttempts: 3,
            retryBaseSeconds: 60,
          }),
        ).toBe('pending');
      }
      expect((await smtp.messages()).filter(to(user))).toEqual([]);
    }
  });

  it('retries with backoff while the SMTP server refuses, then delivers once', async () => {
    const user = await createUser(api);
    const emailId = await queued(user, 'welcome', `welcome:${user.userId}`);
    refusals.set(user.email, 2);
    await withPipelineWorker('outbox-retry', deps, async (taskQueue) => {
      expect(await drain(taskQueue, { retryBaseSeconds: 1, waitForRetriesSeconds: 10 })).toMatchObject({
        retrying: 2,
        sent: 1,
        failed: 0,
      });
    });
    const row = await outboxEmail(api.deps.pool, emailId);
    expect(row).toMatchObject({ status: 'sent', attempts: 3 });
    expect(row!.lastError).toBeNull();
    expect((await smtp.messages()).filter(to(user))).toHaveLength(1);
  });

  it('gives up after the last attempt, keeping the reason without the address', async () => {
    const user = await createUser(api);
    const emailId = await queued(user, 'welcome', `welcome:${user.userId}`);
    refusals.set(user.email, 5);
    await withPipelineWorker('outbox-give-up', deps, async (taskQueue) => {
      expect(await drain(taskQueue, { retryBaseSeconds: 1, waitForRetriesSeconds: 10, maxAttempts: 2 })).toMatchObject({
        retrying: 1,
        failed: 1,
        sent: 0,
      });
    });
    const row = await outboxEmail(api.deps.pool, emailId);
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(row!.lastError).toMatch(/451/);
    expect(row!.lastError).not.toContain(user.email);
    refusals.delete(user.email);
  });

  it('cancels the mail of an account deleted before it went out', async () => {
    const user = await createUser(api);
    const emailId = await queued(user, 'welcome', `welcome:${user.userId}`);
    await deleteUserRow(api.deps.pool, user.userId);
    await withPipelineWorker('outbox-gone', deps, async (taskQueue) => {
      expect(await drain(taskQueue)).toMatchObject({ cancelled: 1, sent: 0 });
    });
    expect(await outboxEmail(api.deps.pool, emailId)).toMatchObject({
      status: 'cancelled',
      userId: null,
      lastError: 'the account is gone',
    });
    expect((await smtp.messages()).filter(to(user))).toEqual([]);
  });

  it('e-mails a watcher after a publish moves his prospect, and the unsubscribe link stops that kind only', async () => {
    const user = await createUser(api);
    await addToWatchlist(api.deps.pool, user.userId, world.ids.newcomer, 50);
    await withPipelineWorker('outbox-publish', deps, async (taskQueue) => {
      // The publish step's own activities: the rank moves recorded for the new snapshot, then the e-mails queued
      // and the drain started on this worker's queue.
      const publish = createPublishActivities(deps);
      await new MockActivityEnvironment().run(
        (input: { rankingSnapshotId: string }) => publish.recordRankMoves(input),
        { rankingSnapshotId: world.current.id },
      );
      const notify = createNotificationActivities(deps);
      const env = new MockActivityEnvironment({ taskQueue }, { client });
      expect(
        await env.run((input: { rankingSnapshotId: string }) => notify.notifyRankMoves(input), {
          rankingSnapshotId: world.current.id,
        }),
      ).toEqual({ queued: 1 });
      const mail = await smtp.waitFor(to(user), 30_000);
      expect(mail.subject).toMatch(/moved in the rankings/);
      const newcomer = world.players.find((p) => p.id === world.ids.newcomer)!;
      expect(mail.text).toContain(newcomer.name);
      expect(mail.text).toContain(`entered the rankings at #${world.current.predictions.get(newcomer.id)!.rank}`);
      expect(mail.text).toMatch(/https:\/\/site\.example\.test\/prospects\/[a-z0-9-]+\//);
      expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      const link = /^<(.+)>$/.exec(mail.headers['list-unsubscribe'] ?? '')![1]!;
      expect(link).toMatch(/^https:\/\/api\.example\.test\/api\/v1\/notifications\/unsubscribe\?token=/);

      // One click, as a mail client does it (RFC 8058).
      const url = new URL(link);
      const res = await api.request('POST', `${url.pathname}${url.search}`, {
        rawBody: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ kind: 'rank_move', unsubscribed: true });

      // The next snapshot's rank-move mail is cancelled; the weekly digest still comes.
      const next = await queued(user, 'rank_move', `rank_move:${user.userId}:rs-next`, {
        snapshotId: 'rs-next',
        moves: [{ playerId: newcomer.id, name: newcomer.name, slug: null, previousRank: 50, newRank: 1 }],
      });
      expect(await drain(taskQueue)).toMatchObject({ cancelled: 1, sent: 0 });
      expect(await outboxEmail(api.deps.pool, next)).toMatchObject({ status: 'cancelled' });
      const digest = await client.workflow.execute<typeof weeklyDigest>('weeklyDigest', {
        taskQueue,
        workflowId: `digest-${Date.now()}`,
        args: [{ isoWeek: '2026-W49' }],
      });
      expect(digest.queued).toBeGreaterThanOrEqual(1);
      const weekly = await smtp.waitFor((m) => to(user)(m) && m.subject.includes('2026-W49'), 30_000);
      expect(weekly.text).toContain(newcomer.name);
      expect(weekly.headers['list-unsubscribe']).toMatch(/token=/);
    });
    expect(
      (await smtp.messages())
        .filter(to(user))
        .map((m) => m.subject)
        .filter((s) => /moved/.test(s)),
    ).toHaveLength(1);
    // LINK_SIGNING_SECRET unset: the secret was generated once into the data dir, readable by its owner only.
    expect((await stat(path.join(dataDir, 'secrets', 'link-signing-secret'))).mode & 0o777).toBe(0o600);
  });
});
