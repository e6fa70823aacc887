/**
 * Chaos scenario `source-throttle`: the sample source (scale 0.1) behind a proxy that throttles and flaps
 * (chaos/support/api-flaky-source.ts: bursts of 429s with a Retry-After of 1-2 s, of 503s and of connection resets,
 * on half the requests of each faulty burst, at most 2 faults per URL); a backfill of four seasons runs through it on a
 * real worker and Temporal dev server, after another ran straight from the source into a second database.
 *
 * Verified: the throttled backfill completes with the clean run's data (row counts and content checksums of the
 * reference and stat tables, db/checksums.ts, without the volatile columns); every retry of a URL answered 429 came after its
 * Retry-After had elapsed; and under a pipeline that has published before, a source whose pitching stats stay down
 * (503 every time) makes `runPipeline` fail with an error naming the request, its status and the retries spent, without
 * starting its publish child: the published rankings (snapshot rows, published cards, the site's `current` link, here
 * a stand-in build folder) untouched.
 */
import { mkdir, readlink, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { seedApiWorld } from '../bench/api-world.ts';
import { dataPaths, loadConfig } from '../lib/config.ts';
import { withTransaction } from '../lib/db.ts';
import { startSampleServer } from '../sources/sample/server.ts';
import { generateUniverse } from '../sources/sample/universe.ts';
import type { backfillHistory, BackfillProgress } from '../workflows/backfill-history.ts';
import type { runPipeline } from '../workflows/run-pipeline.ts';
import type { ChaosCheck, ChaosScenario } from './scenario.ts';
import { createFaultPlan, retryAfterCheck, startFlakySource } from './support/api-flaky-source.ts';
import { checksumDifferences, tableChecksums } from '../db/checksums.ts';
import { startTemporal, withWorker } from './support/in-process-worker.ts';
import { capturingLogger } from './support/logging.ts';
import { scratchDatabase, type ScratchDatabase } from './support/scratch-database.ts';
import { Teardown } from './support/teardown.ts';

const BACKFILL = { fromSeason: 2015, toSeason: 2018, mlbLeadSeasons: 0 } as const;
/** runPipeline needs six seasons; its backfill adds five MLB-only lead seasons before them. */
const PIPELINE = { fromSeason: 2013, toSeason: 2018 } as const;
const UNIVERSE = { seed: 11, fromSeason: 2008, toSeason: 2018, scale: 0.1 } as const;
const STAT_TABLES = [
  'organizations',
  'affiliates',
  'players',
  'draft_picks',
  'player_season_stats',
  'player_bio_versions',
  'data_flags',
  'quarantine',
];
/** Columns that name a run rather than the data: when a row was written, and ids drawn from sequences. */
const VOLATILE_COLUMNS = [
  'updated_at',
  'loaded_at',
  'created_at',
  'fetched_at',
  'received_at',
  'detected_at',
  'resolved_at',
  'flagged_at',
  'batch_id',
  'quarantine_id',
  'flag_id',
  'version_id',
];
const PUBLISHED_TABLES = [
  'ranking_snapshots',
  'published_prospects',
  'prediction_runs',
  'predictions',
  'models',
  'feature_snapshots',
];

/** A failure and its causes, one `Name[type]: message` each, for a check's detail. */
function failureChain(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e instanceof Error && parts.length < 6; e = e.cause) {
    const type = e instanceof ApplicationFailure ? `[${e.type}]` : '';
    parts.push(`${e.name}${type}: ${e.message.replace(/\s+/g, ' ').slice(0, 200)}`);
  }
  return parts.join(' <- ');
}

const kinds = (log: { kind: string }[]) => {
  const counts = new Map<string, number>();
  for (const r of log) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
};

export const sourceThrottle: ChaosScenario = {
  name: 'source-throttle',
  summary:
    "the source throttles (429 + Retry-After) and flaps (503s, resets): the backfill equals a clean run's; a source that stays down stops the pipeline, nothing published",
  // Temporal ~5 s, two backfills of four seasons ~35 s each (the throttled one waits out its 429s and backoffs),
  // the broken pipeline ~150 s (a season's first stats page that never answers is tried 6 times by the client in each
  // of the fetch activity's 8 attempts, with Temporal's backoff of up to a minute between them); margin for a load.
  timeLimitMs: 420_000,
  async run(ctx) {
    const checks: ChaosCheck[] = [];
    const down = new Teardown();
    try {
      const temporal = await startTemporal();
      down.push('temporal', () => temporal.stop());
      const connection = await Connection.connect({ address: temporal.address });
      down.push('temporal client', () => connection.close());
      const client = new Client({ connection });
      const started = performance.now();
      const sample = await startSampleServer({ universe: generateUniverse(UNIVERSE) });
      down.push('sample source', () => sample.close());
      ctx.step(
        `Temporal dev server ${temporal.address}; sample source ${sample.url} (seasons ${UNIVERSE.fromSeason}-${UNIVERSE.toSeason}, scale ${UNIVERSE.scale}, generated in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
      );

      const backfill = async (
        name: string,
        sourceUrl: string,
      ): Promise<{ db: ScratchDatabase; progress: BackfillProgress; seconds: number }> => {
        const db = await scratchDatabase(ctx.adminDatabaseUrl, `source_${name}`);
        down.push(`database ${name}`, () => db.drop());
        const config = loadConfig({
          DATABASE_URL: db.url,
          AFWD_DATA_DIR: path.join(ctx.workDir, name),
          LOG_LEVEL: 'warn',
        });
        const t0 = performance.now();
        const progress = await withWorker(
          temporal.address,
          { pool: db.pool, config, log: capturingLogger('warn').log, mlbBaseUrl: sourceUrl },
          (taskQueue) =>
            client.workflow
              .execute<typeof backfillHistory>('backfillHistory', {
                taskQueue,
                workflowId: `chaos-backfill-${name}-${ctx.seed}`,
                args: [BACKFILL],
              })
              .catch((error: unknown) => {
                const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
                throw new Error(
                  `the ${name} backfill failed: ${cause ? `${cause.message}${cause.cause instanceof Error ? ` (${cause.cause.message})` : ''}` : String(error)}`,
                );
              }),
        );
        return { db, progress, seconds: (performance.now() - t0) / 1000 };
      };

      // One after the other: the loads are CPU-bound, and together on two cores they took longer (82 s against 66 s).
      const clean = await backfill('clean', sample.url);
      ctx.step(
        `clean backfill ${BACKFILL.fromSeason}-${BACKFILL.toSeason}: ${clean.progress.rowsLoaded} rows loaded, ${clean.progress.httpRequests} requests, ${clean.seconds.toFixed(1)} s`,
      );
      const flaky = await startFlakySource(
        sample.url,
        createFaultPlan({
          random: () => ctx.random(),
          share: 0.5,
          burstLength: 6,
          maxFaultsPerUrl: 2,
          retryAfterSeconds: [1, 2],
        }),
      );
      down.push('flaky source', () => flaky.close());
      const throttled = await backfill('throttled', flaky.url);
      ctx.step(
        `throttled backfill through ${flaky.url}: ${throttled.progress.rowsLoaded} rows loaded, ${throttled.progress.httpRequests} requests, ${throttled.seconds.toFixed(1)} s; the source saw ${flaky.log.length} requests: ${kinds(flaky.log)}`,
      );

      const cleanSums = await tableChecksums(clean.db.pool, { tables: STAT_TABLES, exclude: VOLATILE_COLUMNS });
      const throttledSums = await tableChecksums(throttled.db.pool, { tables: STAT_TABLES, exclude: VOLATILE_COLUMNS });
      const differences = checksumDifferences(cleanSums, throttledSums);
      const faults = flaky.log.filter((r) => r.kind !== 'pass');
      checks.push({
        what: `the throttled backfill completed with the clean run's data: ${STAT_TABLES.length} tables equal by row count and content checksum`,
        ok:
          differences.length === 0 &&
          throttled.progress.seasonsDone === BACKFILL.toSeason - BACKFILL.fromSeason + 1 &&
          throttled.progress.breaches.length === 0 &&
          faults.length >= 10 &&
          ['busy', 'unavailable', 'reset'].every((k) => faults.some((f) => f.kind === k)),
        detail: `${differences.length ? `differ: ${differences.join('; ')}` : cleanSums.map((s) => `${s.table} ${s.rows} ${s.checksum.slice(0, 8)}`).join(', ')}; faults injected: ${kinds(faults)}; seasons ${throttled.progress.seasonsDone}, breaches ${throttled.progress.breaches.length}`,
      });
      const ra = retryAfterCheck(flaky.log);
      checks.push({
        what: 'Retry-After was honoured: no retry of a URL answered 429 reached the source before its Retry-After elapsed',
        ok: ra.checked > 0 && ra.early.length === 0,
        detail: `${ra.checked} 429s retried, ${ra.early.length} early${
          ra.early.length
            ? ` (${ra.early
                .slice(0, 3)
                .map((e) => `${e.url} after ${e.waitedMs.toFixed(0)} of ${e.askedMs} ms`)
                .join('; ')})`
            : ''
        }; shortest margin ${ra.minMarginMs.toFixed(0)} ms; ${ra.othersDuringWaits} requests for other URLs (other seasons' fetches) meanwhile`,
      });

      // A source whose pitching stats stay down, under a pipeline that has published before.
      const db = await scratchDatabase(ctx.adminDatabaseUrl, 'source_broken');
      down.push('database broken', () => db.drop());
      await withTransaction(db.pool, (c) => seedApiWorld(c, { count: 50, seed: 5 }));
      const config = loadConfig({
        DATABASE_URL: db.url,
        AFWD_DATA_DIR: path.join(ctx.workDir, 'broken'),
        LOG_LEVEL: 'warn',
      });
      const paths = dataPaths(config);
      const previousBuild = path.join(paths.siteBuilds, 'rs-previous');
      await mkdir(previousBuild, { recursive: true });
      await writeFile(path.join(previousBuild, 'index.html'), '<!doctype html><title>previous build</title>');
      await symlink(previousBuild, paths.siteCurrent);
      const publishedBefore = await tableChecksums(db.pool, { tables: PUBLISHED_TABLES, exclude: VOLATILE_COLUMNS });
      const broken = await startFlakySource(
        sample.url,
        () => ({ kind: 'pass' }),
        (url) => url.startsWith('/api/v1/stats') && url.includes('group=pitching'),
      );
      down.push('broken source', () => broken.close());
      const workflowId = `chaos-pipeline-broken-${ctx.seed}`;
      ctx.step(
        `published state seeded (${publishedBefore.map((s) => `${s.table} ${s.rows}`).join(', ')}; site/current -> ${path.basename(previousBuild)}); runPipeline ${PIPELINE.fromSeason}-${PIPELINE.toSeason} against a source whose pitching stats answer 503 every time`,
      );
      const t0 = performance.now();
      const outcome = await withWorker(
        temporal.address,
        { pool: db.pool, config, log: capturingLogger('error').log, mlbBaseUrl: broken.url },
        (taskQueue) =>
          client.workflow.execute<typeof runPipeline>('runPipeline', { taskQueue, workflowId, args: [PIPELINE] }).then(
            () => null,
            (e: unknown) => e,
          ),
      );
      const seconds = (performance.now() - t0) / 1000;
      // Down for good: either the data-quality breaker trips (a lost page after the first) or the fetch gives up.
      const chain = failureChain(outcome);
      const causes: Error[] = [];
      for (let e = outcome; e instanceof Error; e = e.cause) causes.push(e);
      const leaf = [...causes].reverse().find((e) => e instanceof ApplicationFailure) ?? causes.at(-1);
      const activity = causes.find((e): e is ActivityFailure => e instanceof ActivityFailure);
      ctx.step(`runPipeline ended after ${seconds.toFixed(1)} s: ${chain}`);
      const publishChild = await client.workflow
        .getHandle(`${workflowId}/publish`)
        .describe()
        .then(
          () => 'started',
          (e: Error) => (/not found/i.test(e.message) ? 'never started' : e.message),
        );
      const publishedAfter = await tableChecksums(db.pool, { tables: PUBLISHED_TABLES, exclude: VOLATILE_COLUMNS });
      const loaded = Number(
        (await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM player_season_stats')).rows[0]?.n,
      );
      const current = await readlink(paths.siteCurrent);
      const brokenRequests = broken.log.filter((r) => r.kind === 'broken').length;
      const breach = causes.find(
        (e): e is ApplicationFailure => e instanceof ApplicationFailure && e.type === 'DataQualityBreach',
      );
      const gaveUp =
        leaf instanceof ApplicationFailure &&
        leaf.type === 'MlbStatsApiError' &&
        /group=pitching.*HTTP 503, giving up after \d+ attempts/.test(leaf.message) &&
        activity?.retryState === 'MAXIMUM_ATTEMPTS_REACHED';
      checks.push({
        what: 'a source that stays down stops the pipeline with a clear error: the request that failed, its status and the retries spent (or a data-quality breach naming the lost responses)',
        ok:
          outcome instanceof WorkflowFailedError &&
          (gaveUp || (breach !== undefined && /lost after retries/.test(breach.message))),
        detail: `after ${seconds.toFixed(1)} s: ${leaf ? `${leaf.name}${leaf instanceof ApplicationFailure ? `[${leaf.type}]` : ''}: "${leaf.message.slice(0, 220)}"` : String(outcome)}${activity ? `; activity ${activity.activityType} ${activity.retryState}` : ''}; ${brokenRequests} requests answered 503`,
      });
      const publishedDiff = checksumDifferences(publishedBefore, publishedAfter);
      checks.push({
        what: 'nothing was published: no publish child, no stat rows loaded, the published rankings and site link unchanged',
        ok: publishChild === 'never started' && loaded === 0 && publishedDiff.length === 0 && current === previousBuild,
        detail: `publish child ${publishChild}; player_season_stats ${loaded} rows; ${publishedDiff.length ? `changed: ${publishedDiff.join('; ')}` : `${PUBLISHED_TABLES.length} published tables equal by checksum`}; site/current -> ${path.relative(paths.siteBuilds, current)}`,
      });
      return checks;
    } finally {
      await down.run();
    }
  },
};
