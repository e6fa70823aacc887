// Builds the fixture snapshot with Astro + Pagefind and checks the files: pages, markup for search, SEO, offline.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../lib/snapshot.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../api/auth/passwords.ts';
import { buildSite, type BuildSiteResult } from './build.ts';
import { compareCard, prospectIndex, type IndexRow } from './compare-data.ts';
import { organizations, positions } from './derive.ts';
import { FIXTURE_PATH } from './test-fixtures/generate-snapshot.ts';

describe('rankings site build', () => {
  let dir: string;
  let snapshot: Snapshot;
  let built: BuildSiteResult;
  let variant: BuildSiteResult;
  let badBuild: unknown;
  let progressLines = 0;

  // Builds are the slow part (a few seconds each), so all three run at once, which also proves concurrent builds
  // into different outDirs keep their data apart.
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'afwd-site-test-'));
    snapshot = JSON.parse(await readFile(FIXTURE_PATH, 'utf8')) as Snapshot;
    const variantSnapshot = structuredClone(snapshot);
    variantSnapshot.model.version = 'variant-9.9.9';
    variantSnapshot.asOfSeason = 2026;
    // No outcome known yet for the variant's model: the methodology page must say so rather than show figures.
    variantSnapshot.methodology.monitoring!.calibration = {
      status: 'not-enough-data',
      reason: '0 known outcomes; live calibration needs at least 50',
      outcomes: 0,
      positives: 0,
      asOfSeasons: [],
      ece: null,
      brier: null,
      auc: null,
      reliability: [],
    };
    await writeFile(join(dir, 'variant.json'), JSON.stringify(variantSnapshot));
    const bad = structuredClone(snapshot) as unknown as { prospects: Array<Record<string, unknown>> };
    bad.prospects[3]!.confidence = 'Very High';
    await writeFile(join(dir, 'bad.json'), JSON.stringify(bad));

    [built, variant, badBuild] = await Promise.all([
      buildSite({ snapshotPath: FIXTURE_PATH, outDir: join(dir, 'out'), onProgress: () => progressLines++ }),
      buildSite({
        snapshotPath: join(dir, 'variant.json'),
        outDir: join(dir, 'variant'),
        rankingsPageSize: 15,
        siteUrl: 'https://prospects.example',
      }),
      buildSite({ snapshotPath: join(dir, 'bad.json'), outDir: join(dir, 'bad') }).then(
        () => undefined,
        (error: unknown) => error,
      ),
    ]);
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const page = (...path: string[]) => readFile(join(built.outDir, ...path), 'utf8');

  it('reports what it built', () => {
    expect(built.outDir).toBe(join(dir, 'out'));
    const orgs = new Set(snapshot.prospects.flatMap((p) => (p.organization ? [p.organization.id] : []))).size;
    const positionCount = new Set(snapshot.prospects.map((p) => p.position)).size;
    // Rankings, prospects, organizations (+ index), positions (+ index), movers, methodology, offline, 404, and the
    // client-side pages: account, reset, data, watchlist, fantrax, compare.
    expect(built.pages).toBe(1 + snapshot.prospects.length + orgs + 1 + positionCount + 1 + 4 + 6);
    expect(built.durationMs).toBeGreaterThan(0);
    expect(progressLines).toBeGreaterThan(5);
    console.info(`site build: ${built.pages} pages in ${built.durationMs} ms (variant ${variant.durationMs} ms)`);
  });

  it('lists every prospect on the rankings page, with the data the filters use', async () => {
    const html = await page('index.html');
    expect(html).toMatch(/<html lang="en">/);
    for (const p of snapshot.prospects) {
      expect(html).toContain(`<a href="/prospects/${p.slug}/">${p.name.replaceAll("'", '&#39;')}</a>`);
    }
    const first = snapshot.prospects[0]!;
    expect(html).toContain(
      `<tr data-pos="${first.position}" data-org="${first.organization!.id}" data-lvl="${first.level}" ` +
        `data-eta="${first.eta}" data-kind="h" data-p="${first.probability}" data-rw="${first.dynasty.roleWeight}" ` +
        `data-y="${first.dynasty.yearsToEta}">`,
    );
    expect(html).toContain('83.0%');
    expect(html).toContain('Unaffiliated');
    expect(html).toContain('xgb-fixture-2.0.0');
    expect(html).toMatch(/data through the <strong>2025<\/strong> season/);
    // Controls are in the page but hidden until rankings.js runs.
    expect(html).toMatch(/<form class="controls" data-controls="rankings" aria-label="[^"]+" hidden>/);
    expect(html).toContain('<label for="f-pos">Position</label>');
    expect(html).toContain('data-discount="0.3"');
    // Rankings page stays out of the search index: results should land on prospect pages.
    expect(html).not.toContain('data-pagefind-body');
    expect(html).not.toContain('class="pagination"');
  });

  it('writes a page per prospect with charts, explanation and Pagefind markup', async () => {
    for (const p of snapshot.prospects) {
      const html = await page('prospects', p.slug, 'index.html');
      const name = p.name.replaceAll("'", '&#39;');
      expect(html).toContain(`<h1 data-pagefind-meta="title">${name}</h1>`);
      expect(html).toContain('data-pagefind-body');
      expect(html).toContain(`data-pagefind-filter="type:${p.isPitcher ? 'Pitcher' : 'Hitter'}"`);
      expect(html).toContain(`data-pagefind-filter="organization">${p.organization?.name ?? 'Unaffiliated'}<`);
      expect(html).toContain(`data-pagefind-filter="position">${p.position}<`);
      expect(html).toContain(`data-pagefind-filter="level">${p.level}<`);
      if (p.eta === null) expect(html).not.toContain('data-pagefind-filter="eta"');
      else expect(html).toContain(`data-pagefind-filter="eta">${p.eta}<`);
      expect(html).toContain(`data-pagefind-sort="rank:${p.rank}"`);
      expect(html).toContain('id="shap-waterfall-title"');
      expect(html).toContain('What the confidence rests on');
      for (const line of p.narrative) expect(html).toContain(line.replaceAll("'", '&#39;'));
      expect(html).toContain(`<link rel="canonical" href="http://localhost:4321/prospects/${p.slug}/">`);
      expect(html).toContain('<meta property="og:type" content="profile">');
      // Rates chart per rate with stats, probability and rank charts with history.
      const charts = html.match(/<svg class="chart/g) ?? [];
      expect(charts.length).toBe(1 + (p.stats.length > 0 ? 3 : 0) + (p.history.length > 0 ? 2 : 0));
    }
    const pitcher = snapshot.prospects.find((p) => p.name === 'Tobias Quintrell')!;
    const pitcherHtml = await page('prospects', pitcher.slug, 'index.html');
    expect(pitcherHtml).toContain('Pitching by season and level');
    expect(pitcherHtml).not.toContain('Hitting by season and level');
    expect(pitcherHtml).toContain('HR% by age');
    const rookie = snapshot.prospects.find((p) => p.stats.length === 0)!;
    expect(await page('prospects', rookie.slug, 'index.html')).toContain('No minor-league stat lines yet.');
  });

  it('writes organization, position, movers and methodology pages', async () => {
    const orgs = organizations(snapshot.prospects);
    const index = await page('organizations', 'index.html');
    for (const org of orgs) {
      expect(index).toContain(`<a href="/organizations/${org.slug}/">${org.name}</a>`);
      const html = await page('organizations', org.slug, 'index.html');
      expect(html).toContain(`Farm system <strong>#${org.rank}</strong>`);
      for (const p of org.prospects) expect(html).toContain(`/prospects/${p.slug}/`);
    }
    for (const pos of positions(snapshot.prospects)) {
      const html = await page('positions', pos.slug, 'index.html');
      expect(html).toContain(`${pos.plural} (${pos.code})`);
      expect(html.match(/<tr>\s*<td class="num">/g)?.length ?? 0).toBe(pos.prospects.length);
    }
    const movers = await page('movers', 'index.html');
    for (const m of [...snapshot.movers.risers, ...snapshot.movers.fallers]) {
      expect(movers).toContain(`/prospects/${m.slug}/`);
      if (m.factor) expect(movers).toContain(m.factor.label);
    }
    expect(movers).toContain('No single factor stands out');
    const methodology = await page('methodology', 'index.html');
    expect(methodology).toContain('Held-out metrics');
    // Says which cohorts trained, which stopped and calibrated, and which were held out.
    const { backtest } = snapshot.methodology;
    expect(methodology).toMatch(
      new RegExp(`through ${backtest!.trainThrough}.*calibrated on the ${backtest!.validationSeason} cohort`, 's'),
    );
    expect(methodology).toContain(`${backtest!.testSeasons.join(' and ')} cohorts`);
    expect(methodology).toContain('id="reliability-title"');
    for (const f of snapshot.methodology.featureCatalog) expect(methodology).toContain(`<code>${f.name}</code>`);
    for (const s of snapshot.methodology.sources) expect(methodology).toContain(s.source);
    expect(methodology).toContain('Stale');
    // Monitoring: the features that drifted most, with the thresholds, and live calibration with its outcome count.
    const { monitoring } = snapshot.methodology;
    expect(methodology).toContain('id="monitoring-heading"');
    for (const d of monitoring!.drift.top) expect(methodology).toContain(`<td class="num">${d.psi.toFixed(3)}</td>`);
    expect(methodology).toMatch(/Below 0.1 a feature is stable; 0.1 to\s+0.25 is a moderate shift/);
    expect(methodology).toContain('Major shift');
    // The alert's baseline: the model's first monitored day, and each feature's PSI then ('—' when not measured).
    expect(methodology).toMatch(
      /alert watches how far each PSI has risen since the model began serving, on\s+October 2, 2025/,
    );
    expect(methodology).toContain('PSI on October 2, 2025</th>');
    const baselineCells = [
      ...methodology.matchAll(/<\/code><\/th>\s*<td class="num">([^<]*)<\/td>\s*<td class="num">([^<]*)<\/td>/g),
    ];
    expect(baselineCells.map((m) => [m[1], m[2]])).toEqual(
      monitoring!.drift.top.map((d) => [
        d.psi.toFixed(3),
        d.baselinePsi === null || d.baselinePsi === undefined ? '—' : d.baselinePsi.toFixed(3),
      ]),
    );
    expect(baselineCells[0]!.slice(1)).toEqual(['0.310', '0.290']);
    expect(baselineCells.at(-1)![2]).toBe('—');
    expect(methodology).toContain(`<strong>${monitoring!.calibration.ece}</strong>`);
    expect(methodology).toContain('1,240');
    expect(methodology).toContain('Live reliability');
    expect(methodology).not.toContain('Not enough outcomes yet');
    const variantMethodology = await readFile(join(variant.outDir, 'methodology', 'index.html'), 'utf8');
    expect(variantMethodology).toContain('<strong>Not enough outcomes yet</strong>');
    expect(variantMethodology).not.toContain('Live reliability');
  });

  it('emits the compare data and the client-side pages, which stay out of search and the sitemap', async () => {
    const index = JSON.parse(await page('data', 'prospects.json')) as IndexRow[];
    expect(index).toEqual(prospectIndex(snapshot.prospects));
    for (const p of snapshot.prospects) {
      expect(JSON.parse(await page('data', 'prospects', `${p.playerId}.json`))).toEqual(compareCard(p));
    }
    const sitemap = await page('sitemap.xml');
    for (const path of ['account/', 'account/reset/', 'account/data/', 'watchlist/', 'fantrax/', 'compare/']) {
      const html = await page(...path.split('/').filter(Boolean), 'index.html');
      expect(html, path).toContain('data-no-js');
      expect(html, path).not.toContain('data-pagefind-body');
      if (path !== 'compare/') {
        expect(html, path).toContain('<meta name="robots" content="noindex">');
        expect(sitemap).not.toContain(`/${path}<`);
      }
    }
    // The forms ask for what the API accepts.
    const account = await page('account', 'index.html');
    expect(account).toContain(`minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}"`);
    expect(await page('account', 'reset', 'index.html')).toContain('<meta name="referrer" content="no-referrer">');
    // The nav links every page to the compare page and the account.
    expect(await page('index.html')).toMatch(
      /<a href="\/compare\/"[^>]*>Compare<\/a>[\s\S]*<a href="\/account\/"[^>]*>Account<\/a>/,
    );
    expect(await page('sw.js')).toContain("url.pathname.startsWith('/api/')");
  });

  it('writes the sitemap, robots.txt, manifest, icons and service worker', async () => {
    const sitemap = await page('sitemap.xml');
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    const htmlPages = (await readdir(built.outDir, { recursive: true }))
      .filter((f) => f.endsWith('index.html') && !/^(offline|account|watchlist|fantrax)\//.test(f))
      .map((f) => `http://localhost:4321/${f.replace(/index\.html$/, '')}`);
    expect(new Set(locs)).toEqual(new Set(htmlPages));
    expect(await page('robots.txt')).toContain('Sitemap: http://localhost:4321/sitemap.xml');
    const manifest = JSON.parse(await page('manifest.webmanifest')) as { start_url: string; icons: { src: string }[] };
    expect(manifest.start_url).toBe('/');
    for (const icon of manifest.icons) expect(existsSync(join(built.outDir, icon.src))).toBe(true);
    const sw = await page('sw.js');
    expect(sw).toMatch(/const PRECACHE = \["\/","\/offline\/","\/_astro\/[^"]+\.css"/);
    expect(sw).toContain('"/rankings.js"');
    expect(await page('offline', 'index.html')).toContain('<meta name="robots" content="noindex">');
  });

  it('writes the Pagefind bundle (prospects, organizations and positions) and a 404 page', async () => {
    expect(existsSync(join(built.outDir, 'pagefind', 'pagefind.js'))).toBe(true);
    const entry = JSON.parse(await page('pagefind', 'pagefind-entry.json')) as {
      languages: Record<string, { page_count: number }>;
    };
    const orgs = organizations(snapshot.prospects).length;
    const positionCount = positions(snapshot.prospects).length;
    expect(entry.languages.en?.page_count).toBe(snapshot.prospects.length + orgs + positionCount);
    expect(await page('404.html')).toContain('Page not found');
  });

  it('pages the rankings and uses the configured origin', async () => {
    const variantPage = (...path: string[]) => readFile(join(variant.outDir, ...path), 'utf8');
    const home = await variantPage('index.html');
    expect(home).toContain('variant-9.9.9');
    expect(home).toContain('Ranks 1–15 of 40');
    expect(home).toContain('<a href="/rankings/3/">31–40</a>');
    expect(home).toContain('<link rel="canonical" href="https://prospects.example/">');
    const third = await variantPage('rankings', '3', 'index.html');
    expect(third.match(/<tr data-pos=/g)).toHaveLength(10);
    expect(third).toContain('<span aria-current="page">31–40</span>');
    expect(await variantPage('sitemap.xml')).toContain('<loc>https://prospects.example/rankings/2/</loc>');
    expect(await page('index.html')).not.toContain('variant-9.9.9');
  });

  it('fails on a malformed snapshot, naming the problem', () => {
    expect(badBuild).toBeInstanceOf(Error);
    const message = (badBuild as Error).message;
    expect(message).toContain('astro build failed');
    expect(message).toContain('bad.json');
    expect(message).toMatch(/prospects\[3\]\.confidence/);
  });

  it('refuses an outDir that would wipe the sources', async () => {
    await expect(buildSite({ snapshotPath: FIXTURE_PATH, outDir: join(import.meta.dirname, '..') })).rejects.toThrow(
      /contains the site sources/,
    );
  });

  it('stops when aborted or when onProgress throws', async () => {
    const outDir = join(dir, 'stopped');
    await expect(buildSite({ snapshotPath: FIXTURE_PATH, outDir, signal: AbortSignal.abort() })).rejects.toThrow(
      /abort/i,
    );
    const stop = new Error('heartbeat cancelled');
    await expect(
      buildSite({
        snapshotPath: FIXTURE_PATH,
        outDir,
        onProgress: () => {
          throw stop;
        },
      }),
    ).rejects.toBe(stop);
  });

  it('stops a build in flight on abort, with every process it started', async () => {
    const outDir = join(dir, 'cancelled');
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    const started = performance.now();
    const build = buildSite({
      snapshotPath: FIXTURE_PATH,
      outDir,
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    });
    await expect(build).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(15_000);
    // Every process of the build carries its output folder in its environment: none may be left.
    const leftovers: string[] = [];
    for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
      const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
      if (environ.includes(`AFWD_SITE_OUT_DIR=${outDir}\0`)) leftovers.push(pid);
    }
    expect(leftovers).toEqual([]);
  });
});
