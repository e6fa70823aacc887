/**
 * Chaos scenario `site-build-failure`: a published world of 60 prospects; the real publishing activities
 * (activities/publish.ts publishSnapshot and publishSite, run in @temporalio/testing's activity environment) publish
 * a first ranking snapshot: Astro builds it and `site/current` is switched to it; the site is served as `npm start`
 * serves it (site/serve.ts, root re-read per request). A second publish then writes its snapshot, whose file is
 * broken before the build reads it (one prospect's probability becomes a string: what a corrupt write would leave),
 * and builds it while the site is polled continuously.
 *
 * Verified: the second publishSite failed, with an error naming the snapshot and what is wrong with it; `current`
 * still names the first build and the second snapshot is not marked published; every request to the site during and
 * after the failed build answered 200 with the first build's bytes (the home page and a prospect's page).
 */
import { readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createPublishActivities } from '../activities/publish.ts';
import { seedApiWorld } from '../bench/api-world.ts';
import { upsertRankingSnapshot } from '../db/rankings.ts';
import { dataPaths, loadConfig } from '../lib/config.ts';
import { withTransaction } from '../lib/db.ts';
import { serveSite } from '../site/serve.ts';
import type { ChaosCheck, ChaosScenario } from './scenario.ts';
import { capturingLogger } from './support/logging.ts';
import { scratchDatabase } from './support/scratch-database.ts';
import { sleep } from './support/wait.ts';
import { Teardown } from './support/teardown.ts';

const PROSPECTS = 60;

/** One publish as the workflow runs it: the snapshot, then (after `beforeBuild`) the site, in an activity context. */
async function publish(
  activities: ReturnType<typeof createPublishActivities>,
  input: { predictionRunId: string; rankingSnapshotId: string },
  attempt: string,
  beforeBuild?: (snapshotPath: string) => Promise<void>,
) {
  // The failure is reported by the scenario's checks; the environment's own logger would print it again, in full.
  const options = { logger: new DefaultLogger('ERROR') };
  const info = {
    activityId: `publish-${attempt}`,
    workflowExecution: { workflowId: `chaos-publish-${attempt}`, runId: attempt },
    attempt: 1,
  };
  const snapshot: Awaited<ReturnType<typeof activities.publishSnapshot>> = await new MockActivityEnvironment(
    info,
    options,
  ).run((i: typeof input) => activities.publishSnapshot(i), input);
  await beforeBuild?.(snapshot.snapshotPath);
  const site: Awaited<ReturnType<typeof activities.publishSite>> = await new MockActivityEnvironment(info, options).run(
    (i: { rankingSnapshotId: string; snapshotPath: string }) => activities.publishSite(i),
    { rankingSnapshotId: input.rankingSnapshotId, snapshotPath: snapshot.snapshotPath },
  );
  return site;
}

export const siteBuildFailure: ChaosScenario = {
  name: 'site-build-failure',
  summary:
    'a site build fails on a broken snapshot: the publish fails clearly, `current` keeps the previous build, which keeps serving 200s',
  // Two Astro builds of 60 prospects (10-15 s each measured, ~30 s in all) and the seeding; margin for a busy machine.
  timeLimitMs: 150_000,
  async run(ctx) {
    const checks: ChaosCheck[] = [];
    const down = new Teardown();
    try {
      const db = await scratchDatabase(ctx.adminDatabaseUrl, 'site');
      down.push('database', () => db.drop());
      const world = await withTransaction(db.pool, (client) =>
        seedApiWorld(client, { count: PROSPECTS, seed: ctx.seed % 1000 }),
      );
      const config = loadConfig({
        DATABASE_URL: db.url,
        AFWD_DATA_DIR: path.join(ctx.workDir, 'data'),
        LOG_LEVEL: 'warn',
      });
      const paths = dataPaths(config);
      const activities = createPublishActivities({
        pool: db.pool,
        config,
        log: capturingLogger('warn').log,
        mlbBaseUrl: '',
      });
      const [first, second] = ['rs-chaos-1', 'rs-chaos-2'];
      await upsertRankingSnapshot(db.pool, {
        snapshotId: first,
        predictionRunId: world.predictionRunId,
        path: '',
        prospectCount: 0,
      });
      await upsertRankingSnapshot(db.pool, {
        snapshotId: second,
        predictionRunId: world.predictionRunId,
        path: '',
        prospectCount: 0,
      });

      let t0 = performance.now();
      const good = await publish(
        activities,
        { predictionRunId: world.predictionRunId, rankingSnapshotId: first },
        'first',
      );
      const firstTarget = await readlink(paths.siteCurrent);
      ctx.step(
        `first publish: ${good.pages} pages built into ${path.basename(good.siteDir)} in ${((performance.now() - t0) / 1000).toFixed(1)} s; current -> ${path.basename(firstTarget)}`,
      );

      const site = await serveSite({ root: () => paths.siteCurrent });
      down.push('site server', () => site.close());
      const prospectPage = (await readdir(path.join(good.siteDir, 'prospects'))).sort()[0];
      const pages = ['/', `/prospects/${prospectPage}/`];
      const expected = new Map<string, string>();
      for (const page of pages) {
        const file = path.join(good.siteDir, page, 'index.html');
        expected.set(page, await readFile(file, 'utf8'));
        const res = await fetch(`${site.url}${page}`);
        if (res.status !== 200 || (await res.text()) !== expected.get(page))
          throw new Error(`${site.url}${page} does not serve ${file} before the failure`);
      }
      ctx.step(`site served at ${site.url} from current; polling ${pages.join(' and ')} continuously`);

      const answers = { total: 0, ok: 0, wrong: [] as string[], during: 0, after: 0 };
      let building = false;
      let polling = true;
      const poll = (async () => {
        for (let i = 0; polling; i++) {
          const page = pages[i % pages.length]!;
          const during = building;
          const res = await fetch(`${site.url}${page}`).then(
            async (r) => ({ status: r.status, body: await r.text() }),
            (e: Error) => ({ status: 0, body: e.message }),
          );
          answers.total++;
          if (during) answers.during++;
          else answers.after++;
          if (res.status === 200 && res.body === expected.get(page)) answers.ok++;
          else if (answers.wrong.length < 5) answers.wrong.push(`${page}: ${res.status} ${res.body.slice(0, 80)}`);
          await sleep(20);
        }
      })();

      t0 = performance.now();
      let brokenAt = '';
      const failure = await publish(
        activities,
        { predictionRunId: world.predictionRunId, rankingSnapshotId: second },
        'second',
        async (snapshotPath) => {
          const snapshot = JSON.parse(await readFile(snapshotPath, 'utf8')) as {
            prospects: { playerId: number; probability: unknown }[];
          };
          const victim = snapshot.prospects[Math.floor(ctx.random() * snapshot.prospects.length)]!;
          victim.probability = 'corrupt';
          brokenAt = `prospect ${victim.playerId}'s probability`;
          await writeFile(snapshotPath, JSON.stringify(snapshot));
          ctx.step(`second snapshot written, then broken (${brokenAt} set to "corrupt"); building`);
          building = true;
        },
      ).then(
        () => null,
        (e: unknown) => e as Error,
      );
      building = false;
      const buildSeconds = (performance.now() - t0) / 1000;
      ctx.step(
        `second publishSite ${failure ? 'failed' : 'succeeded'} after ${buildSeconds.toFixed(1)} s${failure ? `: ${failure.message.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`,
      );
      await sleep(2000);
      polling = false;
      await poll;

      const current = await readlink(paths.siteCurrent);
      const { rows } = await db.pool.query<{ snapshot_id: string; published: boolean }>(
        'SELECT snapshot_id, published_at IS NOT NULL AS published FROM ranking_snapshots WHERE snapshot_id = ANY($1) ORDER BY snapshot_id',
        [[first, second]],
      );
      const message = failure?.message ?? '';
      checks.push({
        what: 'the second publish failed with a clear error naming the snapshot and what is wrong in it',
        ok: failure !== null && /snapshot/i.test(message) && /probability/.test(message),
        detail: failure
          ? `after ${buildSeconds.toFixed(1)} s: "${message.replace(/\s+/g, ' ').slice(0, 300)}"`
          : 'it succeeded',
      });
      checks.push({
        what: '`current` still names the first build, and only the first snapshot is marked published',
        ok:
          current === firstTarget &&
          rows.map((r) => `${r.snapshot_id}:${r.published}`).join(',') === `${first}:true,${second}:false`,
        detail: `current -> ${path.basename(current)}; ${rows.map((r) => `${r.snapshot_id} ${r.published ? 'published' : 'not published'}`).join(', ')}`,
      });
      checks.push({
        what: "every request to the site during and after the failed build answered 200 with the first build's bytes",
        ok: answers.during >= 10 && answers.after >= 10 && answers.ok === answers.total && answers.wrong.length === 0,
        detail: `${answers.ok} of ${answers.total} requests (${answers.during} during the build, ${answers.after} after) answered 200 with the first build's page${answers.wrong.length ? `; wrong: ${answers.wrong.join('; ')}` : ''}`,
      });
      return checks;
    } finally {
      await down.run();
    }
  },
};
