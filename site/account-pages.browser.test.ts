// The client-side pages in headless Chromium against a real API: the site (built from the seeded world's published
// cards) is served with the API proxied on its origin, so the refresh cookie is first-party. Sign up, reload (the
// session comes back through the HttpOnly cookie alone), watch a prospect, see and remove him on /watchlist/, log out
// and in; the compare page from its URL; Fantrax for a free account; a reset request; the data export and account
// deletion; and no token anywhere a script or a URL could leak it.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApiServer, type ApiServer } from '../api/server.ts';
import { publishedCards } from '../db/prospects.ts';
import { matchesOf, upsertMatches } from '../db/fantrax-matches.ts';
import { setRole, userByEmail } from '../db/users.ts';
import { DEMO_LEAGUE_ID, DEMO_SECRET_ID } from '../fantrax/local-world.ts';
import { formatKeyring, generateKey } from '../fantrax/secret-box.ts';
import { loadConfig, type Config } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import type { Prospect, Snapshot } from '../lib/snapshot.ts';
import { seedPublishedWorld, type PublishedWorld } from '../test/api-fixture.ts';
import { launchChromium } from '../test/browser.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { startEmptyFantraxServer, syncThroughActivities } from '../test/fantrax.ts';
import { buildSite } from './build.ts';
import { serveSite, type SiteServer } from './serve.ts';
import { FIXTURE_PATH } from './test-fixtures/generate-snapshot.ts';

const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts');
const VIEWPORT = { width: 1280, height: 900 };
/** API round trips (argon2 hashing, a refresh) take longer while other suites load the machine. */
const SLOW = { timeout: 15_000 };
const EMAIL = 'reader@example.com';
const PASSWORD = 'a long enough password';
/** A JWT's first bytes ({"alg" / {"typ"), wherever one might hide. */
const JWT = /eyJ[A-Za-z0-9_-]{10,}/;
/** The focused element's id (a string expression: the project has no DOM types). */
const FOCUSED = 'document.activeElement?.id ?? null';

/** Everything page script can read: both storages and the readable cookies (a string: the project has no DOM types). */
const READABLE_STORAGE = `(() => {
  const all = [document.cookie];
  for (const store of [localStorage, sessionStorage]) {
    for (let i = 0; i < store.length; i++) all.push(store.key(i) + '=' + store.getItem(store.key(i)));
  }
  return all.join('\\n');
})()`;

describe('account pages against the API in a browser', () => {
  let dir: string;
  let db: TestDatabase;
  let world: PublishedWorld;
  let cards: Prospect[];
  let api: ApiServer;
  let config: Config;
  let fantrax: Awaited<ReturnType<typeof startEmptyFantraxServer>>;
  let site: SiteServer;
  /** The site as the browser sees it: "localhost", where Chromium keeps Secure cookies over plain HTTP. */
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  const consoleErrors: string[] = [];
  const requested: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'afwd-account-pages-'));
    db = await createTestDatabase();
    world = await seedPublishedWorld(db.pool);
    // The site is built from the same published cards the API serves, so ids, ranks and moves agree.
    const byId = await publishedCards(
      db.pool,
      world.current.id,
      world.players.map((p) => p.id),
    );
    cards = [...byId.values()].sort((a, b) => a.rank - b.rank);
    const fixture = JSON.parse(await readFile(FIXTURE_PATH, 'utf8')) as Snapshot;
    const snapshot: Snapshot = {
      ...fixture,
      snapshotId: world.current.id,
      previousSnapshotId: world.older.id,
      prospects: cards,
      movers: { risers: [], fallers: [] },
    };
    await writeFile(join(dir, 'snapshot.json'), JSON.stringify(snapshot));
    // The local Fantrax-shaped server, its demo league rostering the seeded players.
    fantrax = await startEmptyFantraxServer();
    await fantrax.populate(db.pool);
    config = loadConfig({
      ...process.env,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: db.url,
      REDIS_URL: inject('redisUrl'),
      REDIS_KEY_PREFIX: `afwd-account-pages-${process.pid}:`,
      STRIPE_API_URL: inject('stripeMockUrl'),
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      // The site's server is the proxy in front: the reader's address comes in X-Forwarded-For.
      API_TRUST_PROXY: '1',
      FANTRAX_API_URL: fantrax.url,
      FANTRAX_SECRET_KEYS: formatKeyring({ keys: [generateKey('k1')] }),
    });
    [api, , browser] = await Promise.all([
      startApiServer(config, createLogger({ level: config.logLevel, name: 'account-pages' }), { pool: db.pool }),
      buildSite({ snapshotPath: join(dir, 'snapshot.json'), outDir: join(dir, 'site') }),
      launchChromium(),
      mkdir(ARTIFACTS, { recursive: true }),
    ]);
    site = await serveSite({ root: join(dir, 'site'), apiUrl: api.url });
    origin = site.url.replace('127.0.0.1', 'localhost');
    context = await browser.newContext({ viewport: VIEWPORT });
    context.on('request', (request) => requested.push(request.url()));
    context.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.page()?.url()}: ${message.text()}`);
    });
    context.on('weberror', (error) => consoleErrors.push(error.error().message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await api?.close();
    await fantrax?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const open = async (path: string, tabContext = context): Promise<Page> => {
    const tab = await tabContext.newPage();
    await tab.goto(`${origin}${path}`);
    return tab;
  };
  // Not cookies(origin): that lists what a request to "/" would carry, and the cookie is scoped to /api/v1/auth.
  const refreshCookie = async () =>
    (await context.cookies(`${origin}/api/v1/auth/refresh`)).find((c) => c.name === 'afwd_refresh');

  it('signs up, and a reload restores the session through the HttpOnly cookie alone', async () => {
    const tab = await open('/account/');
    await tab.locator('#signup-email').fill(EMAIL);
    await tab.locator('#signup-password').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => tab.locator('[data-email]').textContent(), SLOW).toBe(EMAIL);
    expect(await tab.locator('[data-role]').textContent()).toBe('Free');
    await tab.getByRole('button', { name: 'Upgrade to premium' }).waitFor(SLOW);
    expect(await tab.locator('[data-page-status]').textContent()).toMatch(/Welcome/);
    // The form just used is hidden with its view: focus goes to the new view's heading, not the page's body.
    expect(await tab.evaluate(FOCUSED)).toBe('you-heading');

    const cookie = await refreshCookie();
    expect(cookie).toMatchObject({ httpOnly: true, path: '/api/v1/auth', sameSite: 'Strict' });

    await tab.reload();
    await expect.poll(() => tab.locator('[data-email]').textContent(), SLOW).toBe(EMAIL);
    expect(await tab.getByRole('heading', { name: 'Log in' }).isVisible()).toBe(false);
    // The refresh rotated the token in the cookie.
    expect((await refreshCookie())?.value).not.toBe(cookie?.value);
    await tab.screenshot({ path: join(ARTIFACTS, 'site-account.png'), fullPage: true });
    await tab.close();
  }, 60_000);

  it('watches a prospect from his page, lists him on /watchlist/ with rank and move, and removes him there', async () => {
    const top = cards[0]!;
    const tab = await open(`/prospects/${top.slug}/`);
    const star = tab.getByRole('button', { name: /Watch/ });
    await star.waitFor(SLOW);
    expect(await tab.getByRole('link', { name: 'Log in to watch' }).isVisible()).toBe(false);
    expect(await star.getAttribute('aria-pressed')).toBe('false');
    await star.click();
    await expect.poll(() => star.getAttribute('aria-pressed'), SLOW).toBe('true');
    expect(await tab.locator('[data-watch-status]').textContent()).toBe(`${top.name} is on your watchlist.`);
    await tab.reload();
    await expect
      .poll(() => tab.getByRole('button', { name: /Watching/ }).getAttribute('aria-pressed'), SLOW)
      .toBe('true');

    await tab.goto(`${origin}/watchlist/`);
    const row = tab.locator('[data-rows] tr', { hasText: top.name });
    await row.waitFor(SLOW);
    expect(await row.locator('td').first().textContent()).toBe(`#${top.rank}`);
    expect(await row.getByRole('link', { name: top.name }).getAttribute('href')).toBe(`/prospects/${top.slug}/`);
    const moveText = (await row.locator('td').nth(1).textContent())!.replace(/\s+/g, ' ').trim();
    if (top.trend === null) expect(moveText).toBe('new');
    else if (top.trend > 0) expect(moveText).toBe(`▲ ${top.trend} places up`);
    else if (top.trend < 0) expect(moveText).toBe(`▼ ${-top.trend} places down`);
    await tab.screenshot({ path: join(ARTIFACTS, 'site-watchlist.png'), fullPage: true });

    await row.getByRole('button', { name: `Remove ${top.name}` }).click();
    await expect.poll(() => tab.locator('[data-rows] tr').count(), SLOW).toBe(0);
    expect(await tab.locator('[data-page-status]').textContent()).toBe(`${top.name} is off your watchlist.`);
    await tab.reload();
    await tab.locator('[data-empty]').waitFor(SLOW);
    await tab.close();
  }, 60_000);

  it('logs out (a reload stays signed out), then logs in with the form', async () => {
    const tab = await open('/account/');
    await tab.getByRole('button', { name: 'Log out' }).click();
    await tab.getByRole('heading', { name: 'Log in' }).waitFor(SLOW);
    expect(await tab.evaluate(FOCUSED)).toBe('login-heading');
    expect(await refreshCookie()).toBeUndefined();
    // A reload, with a ?next= that the browser would read as another site: logging in must stay here.
    // ("/..//evil.example/" resolves to the path "//evil.example/", a host to the browser.)
    await tab.goto(`${origin}/account/?next=${encodeURIComponent('/..//evil.example/')}`);
    await tab.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await tab.locator('[data-email]').isVisible()).toBe(false);
    const hostile = [
      '/..//evil.example/',
      '/.//evil.example',
      '/a/..//evil.example/x',
      '/%2e%2e//evil.example',
      '/\t/evil.example/',
      '//evil.example',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
    ];
    const read = (values: string[]) =>
      tab.evaluate(`import('/session.js')
      .then((m) => ${JSON.stringify(values)}.map((v) => m.nextPath('?next=' + encodeURIComponent(v))))`);
    expect(await read(hostile)).toEqual(hostile.map(() => null));
    expect(await read(['/watchlist/?a=1#b', '/x/../fantrax/'])).toEqual(['/watchlist/?a=1#b', '/fantrax/']);

    await tab.locator('#login-email').fill(EMAIL);
    await tab.locator('#login-password').fill('not the password');
    await tab.getByRole('button', { name: 'Log in' }).click();
    await expect
      .poll(() => tab.locator('[data-login] [data-status]').textContent(), SLOW)
      .toBe('The email or password is wrong.');
    // An error is an alert (assertive), not a polite status.
    expect(await tab.locator('[data-login]').getByRole('alert').textContent()).toBe('The email or password is wrong.');
    expect(await tab.locator('[data-login] [data-status]').getAttribute('aria-live')).toBe('assertive');
    await tab.locator('#login-password').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => tab.locator('[data-email]').textContent(), SLOW).toBe(EMAIL);
    expect(await tab.evaluate(FOCUSED)).toBe('you-heading');
    expect(new URL(tab.url()).origin).toBe(origin);
    await tab.close();
  }, 60_000);

  it('sends a signed-out reader to log in from the star, and his pages never call the API', async () => {
    const reader = await browser.newContext({ viewport: VIEWPORT });
    const calls: string[] = [];
    reader.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) calls.push(request.url());
    });
    const p = cards[1]!;
    const tab = await open(`/prospects/${p.slug}/`, reader);
    await tab.getByRole('link', { name: 'Log in to watch' }).click();
    await tab.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(new URL(tab.url()).searchParams.get('next')).toBe(`/prospects/${p.slug}/`);
    await tab.goto(`${origin}/watchlist/`);
    await tab.getByRole('link', { name: 'Log in' }).waitFor();
    expect(calls).toEqual([]);
    await reader.close();
  }, 30_000);

  it('compares three prospects from the URL, adds a fourth by name and removes one', async () => {
    const reader = await browser.newContext({ viewport: VIEWPORT });
    const calls: string[] = [];
    reader.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) calls.push(request.url());
    });
    const [a, b, c, d] = [cards[0]!, cards[4]!, cards[9]!, cards[14]!];
    const tab = await open(`/compare/?ids=${a.playerId},${b.playerId},${c.playerId}`, reader);
    const heads = tab.locator('[data-head] th[data-player] a');
    await expect.poll(() => heads.allTextContents(), SLOW).toEqual([a.name, b.name, c.name]);
    const probability = tab.locator('tr', { has: tab.getByRole('rowheader', { name: 'Probability' }) }).locator('td');
    expect(await probability.allTextContents()).toEqual([a, b, c].map((p) => `${(p.probability * 100).toFixed(1)}%`));
    const factors = tab
      .locator('tr', { has: tab.getByRole('rowheader', { name: 'What moves the estimate' }) })
      .locator('td')
      .first();
    expect(await factors.textContent()).toContain(a.factors[0]!.label);

    await tab.getByLabel('Add a prospect').fill(d.name.split(' ')[1]!.slice(0, 5));
    await tab.getByRole('button', { name: new RegExp(`^Add ${d.name}`) }).click();
    await expect.poll(() => heads.allTextContents(), SLOW).toEqual([a.name, b.name, c.name, d.name]);
    expect(new URL(tab.url()).search).toBe(`?ids=${[a, b, c, d].map((p) => p.playerId).join(',')}`);
    expect(await tab.getByLabel('Add a prospect').isDisabled()).toBe(true);
    await tab.screenshot({ path: join(ARTIFACTS, 'site-compare.png'), fullPage: true });

    await tab.getByRole('button', { name: `Remove ${b.name}` }).click();
    await expect.poll(() => heads.allTextContents(), SLOW).toEqual([a.name, c.name, d.name]);
    expect(new URL(tab.url()).search).toBe(`?ids=${[a, c, d].map((p) => p.playerId).join(',')}`);
    await tab.reload();
    await expect.poll(() => heads.allTextContents(), SLOW).toEqual([a.name, c.name, d.name]);
    // Static data only: it works on a host without the API.
    expect(calls).toEqual([]);
    await reader.close();
  }, 60_000);

  it('compare: an id the rankings lack leaves the URL; a card that failed to load stays there, to try again', async () => {
    const reader = await browser.newContext({ viewport: VIEWPORT });
    const [a, b] = [cards[0]!, cards[1]!];
    const unknown = 999_999_999;
    const tab = await reader.newPage();
    // The static host answers b's card with a 500 (an overloaded CDN): he is still in the rankings.
    await tab.route(`**/data/prospects/${b.playerId}.json`, (route) => route.fulfill({ status: 500, body: 'oops' }));
    await tab.goto(`${origin}/compare/?ids=${a.playerId},${b.playerId},${unknown}`);
    const status = tab.locator('[data-status]');
    await expect.poll(() => status.textContent(), SLOW).toMatch(/could not be loaded/);
    expect(await status.textContent()).toBe(
      `No prospect with id ${unknown} in these rankings. The prospect with id ${b.playerId}` +
        ' could not be loaded: reload the page to try again. Add another prospect to compare.',
    );
    expect(await status.getAttribute('role')).toBe('alert');
    expect(await tab.locator('[data-head] th[data-player] a').allTextContents()).toEqual([a.name]);
    expect(new URL(tab.url()).search).toBe(`?ids=${a.playerId},${b.playerId}`);

    await tab.unroute(`**/data/prospects/${b.playerId}.json`);
    await tab.reload();
    await expect
      .poll(() => tab.locator('[data-head] th[data-player] a').allTextContents(), SLOW)
      .toEqual([a.name, b.name]);
    await reader.close();
  }, 30_000);

  it('refreshes once and retries when a call is answered 401 (an access token that expired)', async () => {
    const tab = await context.newPage();
    const refreshes: string[] = [];
    tab.on('request', (request) => {
      if (request.url().endsWith('/api/v1/auth/refresh')) refreshes.push(request.headers()['x-requested-with'] ?? '');
    });
    // Fault injection on the wire, as test/fault-proxy.ts does for the database: the first watchlist read is refused
    // the way the API refuses an expired token; everything else reaches the real API.
    let refused = 0;
    await tab.route('**/api/v1/users/me/watchlist', async (route) => {
      if (refused++ > 0) return route.continue();
      await route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Unauthorized',
          status: 401,
          detail: 'The access token has expired.',
        }),
      });
    });
    await tab.goto(`${origin}/watchlist/`);
    await tab.locator('[data-empty]').waitFor(SLOW);
    expect(refused).toBe(2);
    // One on page load, one after the 401; each with the header the cookie needs.
    expect(refreshes).toEqual(['afwd-web', 'afwd-web']);
    expect(await tab.locator('[data-page-status]').textContent()).toBe('');
    await tab.close();
  }, 30_000);

  it("sends Upgrade to Stripe Checkout (stripe-mock's session URL)", async () => {
    const tab = await context.newPage();
    // Stripe's page itself is out of reach here: answer for it, and check the browser went there.
    await tab.route(/^https:\/\//, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>Stripe Checkout</title>' }),
    );
    await tab.goto(`${origin}/account/`);
    const checkout = tab.waitForRequest((request) => request.url().endsWith('/api/v1/billing/checkout'));
    await tab.getByRole('button', { name: 'Upgrade to premium' }).click();
    expect((await checkout).method()).toBe('POST');
    await tab.waitForURL(/^https:\/\//, SLOW);
    expect(await tab.title()).toBe('Stripe Checkout');
    await tab.close();
  }, 30_000);

  it('shows a free account what Fantrax adds, and asks for a reset link', async () => {
    const tab = await open('/fantrax/');
    await tab.getByRole('heading', { name: 'A premium feature' }).waitFor(SLOW);
    expect(await tab.getByLabel('Fantrax Secret ID').isVisible()).toBe(false);
    await tab.goto(`${origin}/account/reset/`);
    await tab.locator('#reset-email').fill(EMAIL);
    await tab.getByRole('button', { name: 'Send the link' }).click();
    await expect
      .poll(() => tab.locator('[data-request] [data-status]').textContent(), SLOW)
      .toMatch(/^If the address has an account/);
    await tab.close();
  }, 30_000);

  it("connects Fantrax as a premium member: the league's recommendations and a match correction", async () => {
    const member = await browser.newContext({ viewport: VIEWPORT });
    const tab = await open('/account/', member);
    await tab.locator('#signup-email').fill('premium@example.com');
    await tab.locator('#signup-password').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Sign up' }).click();
    await tab.locator('[data-email]').waitFor(SLOW);
    // As `npm run users -- set-role` would (Stripe's webhook does it in production); the next refresh carries it.
    const user = (await userByEmail(db.pool, 'premium@example.com'))!;
    await setRole(db.pool, user.userId, 'premium');

    await tab.goto(`${origin}/fantrax/`);
    await tab.getByRole('heading', { name: 'Connection' }).waitFor(SLOW);
    await tab.getByLabel('Fantrax Secret ID').fill('not-a-secret-we-know');
    // The call held on the wire: the button stays disabled until it is answered (no second submit meanwhile).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await tab.route('**/api/v1/fantrax/connection', async (route) => {
      await held;
      await route.continue();
    });
    const connectButton = tab.getByRole('button', { name: 'Connect', exact: true });
    await connectButton.click();
    await expect.poll(() => connectButton.isDisabled(), SLOW).toBe(true);
    release();
    const status = tab.locator('[data-connect] [data-status]');
    await expect.poll(() => status.getAttribute('class'), SLOW).toContain('error');
    expect(await connectButton.isDisabled()).toBe(false);
    await tab.unroute('**/api/v1/fantrax/connection');
    await tab.getByLabel('Fantrax Secret ID').fill(DEMO_SECRET_ID);
    await tab.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => status.textContent(), SLOW).toMatch(/^Connected: 1 league found/);
    expect(await tab.getByLabel('Fantrax Secret ID').inputValue()).toBe('');

    // The sync the connection starts, run through the real activities (this API has no Temporal worker).
    await syncThroughActivities(db.pool, config, user.userId);
    // One match more to review than the demo world's noise gives: a sure one, as the matcher would store a doubtful one.
    const sure = (await matchesOf(db.pool, user.userId, { label: 'certain' })).find((m) => m.playerId !== null)!;
    await upsertMatches(db.pool, user.userId, [
      {
        fantraxId: sure.fantraxId,
        fantraxName: sure.fantraxName,
        fantraxTeam: sure.fantraxTeam,
        fantraxPosition: sure.fantraxPosition,
        playerId: sure.playerId,
        confidence: 0.6,
        label: 'uncertain',
      },
    ]);
    const toReview = await matchesOf(db.pool, user.userId, { label: 'uncertain' });
    await tab.reload();
    const league = tab.getByLabel('League', { exact: true });
    await league.waitFor(SLOW);
    expect(await league.inputValue()).toBe(DEMO_LEAGUE_ID);
    for (const heading of [
      'Your farm system',
      'Free agents worth a claim',
      'Hold or sell: your prospects who moved',
      'Close to graduating',
    ]) {
      await tab.getByRole('heading', { name: heading }).waitFor(SLOW);
    }
    const farm = tab.getByRole('region', { name: 'Your farm system' });
    expect(await farm.locator('li').count()).toBeGreaterThan(0);
    expect(await farm.locator('li a').first().getAttribute('href')).toMatch(/^\/prospects\/[a-z0-9-]+\/$/);
    const claims = tab.getByRole('region', { name: 'Free agents worth a claim' });
    expect(await claims.locator('li').count()).toBeGreaterThan(0);
    await tab.screenshot({ path: join(ARTIFACTS, 'site-fantrax.png'), fullPage: true });

    // Every match to review has a correction form; the one made doubtful above is confirmed by typing his id.
    await expect.poll(() => tab.locator('form.match').count(), SLOW).toBe(toReview.length);
    const match = tab.locator('form.match', { hasText: sure.fantraxName });
    await match.getByLabel('The right player').fill(String(sure.playerId));
    await match.getByRole('button', { name: 'Save the match' }).click();
    await expect.poll(() => match.locator('[role="status"]').textContent(), SLOW).toMatch(/^Saved/);
    expect(
      (await matchesOf(db.pool, user.userId, { label: 'corrected' })).map((m) => [m.fantraxId, m.playerId]),
    ).toEqual([[sure.fantraxId, sure.playerId]]);
    await member.close();
  }, 90_000);

  it('kept every token out of storage, readable cookies and URLs, and logged no errors', async () => {
    const tab = await open('/account/');
    await tab.locator('[data-email]').waitFor(SLOW);
    const readable = await tab.evaluate<string>(READABLE_STORAGE);
    expect(readable).not.toMatch(JWT);
    expect(readable).not.toContain('afwd_refresh');
    const cookie = await refreshCookie();
    expect(cookie?.httpOnly).toBe(true);
    expect(readable).not.toContain(cookie!.value);
    expect(requested.filter((url) => JWT.test(url) || /[?&](token|access_token|refresh_token)=/i.test(url))).toEqual(
      [],
    );
    await tab.close();
    expect(consoleErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  }, 30_000);

  it('downloads the account data as a JSON file and deletes the account with the password', async () => {
    const tab = await open('/account/data/');
    const exportButton = tab.getByRole('button', { name: 'Download my data' });
    await exportButton.waitFor(SLOW);
    const [download] = await Promise.all([tab.waitForEvent('download'), exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(/^afwd-data-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as { profile: { email: string } };
    expect(exported.profile.email).toBe(EMAIL);
    expect(await tab.locator('[data-export-status]').textContent()).toBe('Your data is downloading.');

    await tab.getByLabel('Your password, to confirm').fill('not the password');
    await tab.getByRole('button', { name: 'Delete my account' }).click();
    const status = tab.locator('[data-delete] [data-status]');
    await expect.poll(() => status.getAttribute('class'), SLOW).toContain('error');
    await tab.getByLabel('Your password, to confirm').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Delete my account' }).click();
    await expect
      .poll(() => tab.locator('[data-page-status]').textContent(), SLOW)
      .toBe('Your account is deleted. Thank you for reading.');
    // Gone: the session does not come back, and the password no longer logs in.
    await tab.goto(`${origin}/account/`);
    await tab.locator('#login-email').fill(EMAIL);
    await tab.locator('#login-password').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Log in' }).click();
    await expect
      .poll(() => tab.locator('[data-login] [data-status]').textContent(), SLOW)
      .toBe('The email or password is wrong.');
    await tab.close();
  }, 60_000);
});
