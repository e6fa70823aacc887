// A new reader's whole journey in headless Chromium, with every service real and running: the site (built from the
// seeded world's published cards) with the API proxied on its origin, the API with Temporal, a worker running every
// workflow and activity, PostgreSQL, Redis, stripe-mock, the local Fantrax-shaped server and a local SMTP server.
// 1 register, 2 upgrade (the Checkout Session from stripe-mock, then the signed webhooks Stripe would send), 3 connect
// a Fantrax league, 4 see its recommendations, 5 watch a prospect, 6 get the e-mail after a publish moves him,
// 7 export, 8 delete. A screenshot of each step is kept in test-artifacts/.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createNotificationActivities } from '../activities/notifications.ts';
import { createPublishActivities } from '../activities/publish.ts';
import { startApiServer, type ApiServer } from '../api/server.ts';
import { auditEntries } from '../db/audit-log.ts';
import { publishedCards } from '../db/prospects.ts';
import { billingAccount } from '../db/subscriptions.ts';
import { userByEmail } from '../db/users.ts';
import { DEMO_SECRET_ID } from '../fantrax/local-world.ts';
import { formatKeyring, generateKey } from '../fantrax/secret-box.ts';
import { startLocalSmtpServer, type LocalSmtpServer, type ReceivedMessage } from '../infra/smtp-server.ts';
import { loadConfig, type Config } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import type { Prospect, Snapshot } from '../lib/snapshot.ts';
import { seedPublishedWorld, type PublishedWorld } from '../test/api-fixture.ts';
import { endSagas, startBillingWorker, testTemporalClient, type BillingWorker } from '../test/billing-worker.ts';
import { launchChromium } from '../test/browser.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { startEmptyFantraxServer } from '../test/fantrax.ts';
import { freePort } from '../test/ports.ts';
import { checkoutCompletedEvents, deliverWebhook } from '../billing/simulated-events.ts';
import { buildSite } from './build.ts';
import { serveSite, type SiteServer } from './serve.ts';
import { FIXTURE_PATH } from './test-fixtures/generate-snapshot.ts';

const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts');
/** Round trips through the API, a workflow and the outbox take a while on a loaded machine. */
const SLOW = { timeout: 30_000 };
const EMAIL = 'journey@example.com';
const PASSWORD = 'a long enough password';

describe("a new reader's journey, from sign-up to deletion", () => {
  let dir: string;
  let db: TestDatabase;
  let world: PublishedWorld;
  let cards: Prospect[];
  let config: Config;
  let fantrax: Awaited<ReturnType<typeof startEmptyFantraxServer>>;
  let smtp: LocalSmtpServer;
  let worker: BillingWorker;
  let temporal: Awaited<ReturnType<typeof testTemporalClient>>;
  let api: ApiServer;
  let site: SiteServer;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  let tab: Page;
  let userId: string;
  let customerId: string;
  const consoleErrors: string[] = [];
  const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', name: 'journey' });
  const toReader = (m: ReceivedMessage) => m.recipients.includes(EMAIL);
  const shot = (name: string) => tab.screenshot({ path: join(ARTIFACTS, `journey-${name}.png`), fullPage: true });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'afwd-journey-'));
    db = await createTestDatabase();
    world = await seedPublishedWorld(db.pool);
    const byId = await publishedCards(
      db.pool,
      world.current.id,
      world.players.map((p) => p.id),
    );
    cards = [...byId.values()].sort((a, b) => a.rank - b.rank);
    const fixture = JSON.parse(await readFile(FIXTURE_PATH, 'utf8')) as Snapshot;
    await writeFile(
      join(dir, 'snapshot.json'),
      JSON.stringify({
        ...fixture,
        snapshotId: world.current.id,
        previousSnapshotId: world.older.id,
        prospects: cards,
        movers: { risers: [], fallers: [] },
      } satisfies Snapshot),
    );
    fantrax = await startEmptyFantraxServer();
    await fantrax.populate(db.pool);
    smtp = await startLocalSmtpServer({ port: await freePort(), log });
    const taskQueue = `journey-${Date.now()}-${Math.random()}`;
    config = loadConfig({
      ...process.env,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: db.url,
      REDIS_URL: inject('redisUrl'),
      REDIS_KEY_PREFIX: `afwd-journey-${process.pid}:`,
      TEMPORAL_TASK_QUEUE: taskQueue,
      STRIPE_API_URL: inject('stripeMockUrl'),
      FANTRAX_API_URL: fantrax.url,
      FANTRAX_SECRET_KEYS: formatKeyring({ keys: [generateKey('k1')] }),
      SMTP_URL: smtp.smtpUrl,
      LINK_SIGNING_SECRET: 'journey-link-signing-secret-of-enough-length',
      AFWD_DATA_DIR: dir,
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      API_TRUST_PROXY: '1',
    });
    worker = await startBillingWorker({ pool: db.pool, config, taskQueue });
    temporal = await testTemporalClient();
    [api, , browser] = await Promise.all([
      startApiServer(config, log, { pool: db.pool, temporal: { client: temporal.client, taskQueue } }),
      buildSite({ snapshotPath: join(dir, 'snapshot.json'), outDir: join(dir, 'site') }),
      launchChromium(),
      mkdir(ARTIFACTS, { recursive: true }),
    ]);
    site = await serveSite({ root: join(dir, 'site'), apiUrl: api.url });
    // "localhost": where Chromium keeps Secure cookies over plain HTTP.
    origin = site.url.replace('127.0.0.1', 'localhost');
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Stripe's own payment page is out of reach here; the browser's arrival there is what the test checks.
    await context.route(/^https:\/\/checkout\.stripe\.com\//, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>Stripe Checkout</title>' }),
    );
    context.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.page()?.url()}: ${message.text()}`);
    });
    context.on('weberror', (error) => consoleErrors.push(error.error().message));
    tab = await context.newPage();
  }, 240_000);

  afterAll(async () => {
    await endSagas(temporal?.client, customerId ? [customerId] : []);
    await browser?.close();
    await site?.close();
    await api?.close();
    await worker?.stop();
    await temporal?.close();
    await smtp?.close();
    await fantrax?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('1. registers', async () => {
    await tab.goto(`${origin}/account/`);
    await tab.locator('#signup-email').fill(EMAIL);
    await tab.locator('#signup-password').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => tab.locator('[data-email]').textContent(), SLOW).toBe(EMAIL);
    expect(await tab.locator('[data-role]').textContent()).toBe('Free');
    userId = (await userByEmail(db.pool, EMAIL))!.userId;
    await shot('1-registered');
  }, 60_000);

  it('2. upgrades through Stripe Checkout; the signed webhooks make him premium and bring the welcome e-mail', async () => {
    // Read the API's answer on its way to the page (the page leaves for Stripe at once, taking the body with it).
    let session: { sessionId: string; url: string } | undefined;
    await tab.route('**/api/v1/billing/checkout', async (route) => {
      const response = await route.fetch();
      session = (await response.json()) as { sessionId: string; url: string };
      await route.fulfill({ response });
    });
    await tab.getByRole('button', { name: 'Upgrade to premium' }).click();
    await tab.waitForURL(/^https:\/\/checkout\.stripe\.com\//, SLOW);
    await tab.unroute('**/api/v1/billing/checkout');
    expect(session?.sessionId).toMatch(/^cs_/);
    expect(tab.url()).toBe(session!.url);

    // What Stripe sends once the payment page is done, signed with the endpoint's secret.
    customerId = (await billingAccount(db.pool, userId))!.customerId!;
    expect(customerId).toMatch(/^cus_/);
    for (const event of checkoutCompletedEvents({ userId, customerId, subscriptionId: 'sub_journey' })) {
      const res = await deliverWebhook(api.url, event);
      expect(res.status, await res.clone().text()).toBe(200);
    }
    await expect.poll(async () => (await userByEmail(db.pool, EMAIL))?.role, SLOW).toBe('premium');
    const welcome = await smtp.waitFor((m) => toReader(m) && /Welcome/.test(m.subject), 60_000);
    expect(welcome.subject).toBe('Welcome to A Fine Wine Dynasty premium');

    // Back from Checkout: the page's refresh brings a token with the new role.
    await tab.goto(`${origin}/account/?checkout=success`);
    await expect.poll(() => tab.locator('[data-role]').textContent(), SLOW).toBe('Premium');
    await shot('2-premium');
  }, 120_000);

  it('3. connects his Fantrax league on the local Fantrax server, and 4. sees its recommendations', async () => {
    await tab.goto(`${origin}/fantrax/`);
    await tab.getByLabel('Fantrax Secret ID').fill(DEMO_SECRET_ID);
    await tab.getByRole('button', { name: 'Connect' }).click();
    await expect
      .poll(() => tab.locator('[data-connect] [data-status]').textContent(), SLOW)
      .toMatch(/^Connected: 1 league found/);
    await shot('3-fantrax-connected');

    // The connection started the fantraxSync workflow on the worker; its recommendations are computed once the
    // rosters are stored, and the page shows them on its next load.
    const farm = tab.getByRole('region', { name: 'Your farm system' });
    await expect
      .poll(
        async () => {
          await tab.reload({ waitUntil: 'networkidle' });
          return farm.locator('li').count();
        },
        { timeout: 90_000, interval: 1000 },
      )
      .toBeGreaterThan(0);
    expect(await tab.locator('[data-connection-text]').textContent()).toMatch(/^Connected\. Last synced/);
    for (const heading of [
      'Free agents worth a claim',
      'Hold or sell: your prospects who moved',
      'Close to graduating',
    ]) {
      await tab.getByRole('heading', { name: heading }).waitFor(SLOW);
    }
    expect(await tab.getByRole('region', { name: 'Free agents worth a claim' }).locator('li').count()).toBeGreaterThan(
      0,
    );
    await shot('4-recommendations');
  }, 150_000);

  it('5. watches a prospect, and 6. gets the e-mail after a rankings publish moves him', async () => {
    // The prospect who moved most between the two published snapshots.
    const moved = cards.filter((c) => c.trend !== null).sort((a, b) => Math.abs(b.trend!) - Math.abs(a.trend!))[0]!;
    expect(Math.abs(moved.trend!)).toBeGreaterThanOrEqual(10);
    await tab.goto(`${origin}/prospects/${moved.slug}/`);
    const star = tab.getByRole('button', { name: /Watch/ });
    await star.waitFor(SLOW);
    await star.click();
    await expect.poll(() => star.getAttribute('aria-pressed'), SLOW).toBe('true');
    await shot('5-watching');

    // The publish step's last activities for that snapshot, as workflows/publish-rankings.ts runs them: the rank
    // moves recorded, then the rank-move e-mails queued and the outbox drain started on the worker.
    const deps = { pool: db.pool, config, log, mlbBaseUrl: 'http://127.0.0.1:1' };
    await new MockActivityEnvironment().run(
      (input: { rankingSnapshotId: string }) => createPublishActivities(deps).recordRankMoves(input),
      { rankingSnapshotId: world.current.id },
    );
    const env = new MockActivityEnvironment({ taskQueue: config.temporal.taskQueue }, { client: temporal.client });
    const notify = createNotificationActivities(deps);
    const notified = await env.run<[{ rankingSnapshotId: string }], { queued: number }, typeof notify.notifyRankMoves>(
      (input) => notify.notifyRankMoves(input),
      { rankingSnapshotId: world.current.id },
    );
    expect(notified.queued).toBe(1);
    const mail = await smtp.waitFor((m) => toReader(m) && /moved in the rankings/.test(m.subject), 60_000);
    expect(mail.subject).toBe(`${moved.name} moved in the rankings`);
    expect(mail.text).toContain(`/prospects/${moved.slug}/`);
    expect(mail.headers['list-unsubscribe']).toMatch(/token=/);
    await tab.goto(`${origin}/watchlist/`);
    await tab.locator('[data-rows] tr', { hasText: moved.name }).waitFor(SLOW);
    await shot('6-watchlist-after-email');
  }, 120_000);

  it('7. exports his data', async () => {
    await tab.goto(`${origin}/account/data/`);
    const exportButton = tab.getByRole('button', { name: 'Download my data' });
    await exportButton.waitFor(SLOW);
    const [download] = await Promise.all([tab.waitForEvent('download'), exportButton.click()]);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as Record<string, unknown> & {
      profile: { email: string; role: string };
    };
    expect(exported.profile).toMatchObject({ email: EMAIL, role: 'premium' });
    const text = JSON.stringify(exported);
    // What the journey left behind: the subscription, the league, the watched prospect, the e-mails sent.
    for (const expected of ['sub_journey', 'afwd-demo-league', 'rank_move']) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain(DEMO_SECRET_ID);
    await shot('7-exported');
  }, 60_000);

  it('8. deletes his account: nothing personal is left, the audit trail keeps only a pseudonym', async () => {
    await tab.getByLabel('Your password, to confirm').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Delete my account' }).click();
    await expect
      .poll(() => tab.locator('[data-page-status]').textContent(), SLOW)
      .toBe('Your account is deleted. Thank you for reading.');
    await shot('8-deleted');
    expect(await userByEmail(db.pool, EMAIL)).toBeNull();
    // The Stripe customer was deleted at stripe-mock, so nothing waits in the retry queue.
    const { rows: pending } = await db.pool.query(`SELECT 1 FROM stripe_customer_deletions`);
    expect(pending).toEqual([]);
    const audit = await auditEntries(db.pool);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'login',
        'payment_state_changed',
        'fantrax_connected',
        'data_exported',
        'account_deleted',
      ]),
    );
    const trail = JSON.stringify(audit);
    for (const personal of [userId, EMAIL, customerId]) expect(trail).not.toContain(personal);
    // Refusals the pages handle are logged by the browser too: 401 (an expired token, refreshed), 404 (a league's
    // recommendations before its first sync). Anything else is a page error.
    expect(consoleErrors.filter((e) => !/status of 40[134]/.test(e))).toEqual([]);
  }, 60_000);
});
