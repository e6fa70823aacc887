/**
 * Chaos scenario `worker-sigkill`: a full backfill while its worker process is SIGKILLed 10 times at random moments
 * (a fresh worker started after each), compared table by table with the same backfill run uninterrupted.
 */
import type { ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import type { ChaosCheck, ChaosScenario } from './scenario.ts';
import { attemptSummary, isWorking, seasonsDone, whatItIsDoing } from './support/pipeline-history.ts';
import { rigReference } from './support/pipeline-reference.ts';
import { checksumSensitivity } from './support/pipeline-scratch.ts';
import { BACKFILL, SEASONS, killWorker, openRig, startBackfill, startRigWorker } from './support/pipeline-rig.ts';
import { verifyAgainstReference } from './support/pipeline-verify.ts';
import { scratchDatabase } from './support/scratch-database.ts';
import { sleep } from './support/wait.ts';
import type { BackfillProgress } from '../workflows/backfill-history.ts';

const KILLS = 10;

export const workerSigkill: ChaosScenario = {
  name: 'worker-sigkill',
  summary: `${KILLS} SIGKILLs of the worker during a backfill ${BACKFILL.fromSeason}-${BACKFILL.toSeason}: the database equals an uninterrupted run's, table by table`,
  // Reference (~1 min) + the broken run: each kill leaves the activities in flight to their heartbeat timeout (30 s
  // fetch, 1 min load) before they are retried, so ten kills add 5-10 minutes.
  timeLimitMs: 18 * 60_000,
  async run(ctx) {
    const rig = await openRig(ctx.workDir);
    const db = await scratchDatabase(ctx.adminDatabaseUrl, 'sigkill', { poolMax: 2 });
    const workers = new Set<ChildProcess>();
    try {
      const reference = await rigReference(rig, ctx);
      const taskQueue = `chaos-sigkill-${ctx.seed}-${Date.now()}`;
      const startWorker = () =>
        startRigWorker(rig, { databaseUrl: db.url, taskQueue, dir: ctx.workDir }, (w) => workers.add(w));

      let worker = await startWorker();
      const handle = await startBackfill(rig.client, taskQueue, taskQueue);
      const started = performance.now();
      const at = () => ((performance.now() - started) / 1000).toFixed(1);
      ctx.step(`backfill ${handle.workflowId} started on worker pid ${worker.pid} into ${db.name}`);
      let finished = false;
      const outcome = handle
        .result()
        .then(
          (result) => ({ result: result as BackfillProgress }),
          (error: unknown) => ({ error }),
        )
        .finally(() => {
          finished = true;
        });

      // Where the kills land: kill i at a number of seasons done drawn at random within the i-th tenth of 0 to
      // SEASONS - 2 (stratified, so they spread over the run; the last still finds two seasons to break). A kill waits
      // until the run has that many seasons done and the fresh worker is running an activity (a killed worker's
      // activities come back only after their heartbeat timeout), then a random beat of up to a season's share of the
      // uninterrupted run, so it hits a worker mid-activity.
      const span = SEASONS - 2;
      const levels = Array.from({ length: KILLS }, (_, i) => Math.floor(((i + ctx.random()) * span) / KILLS));
      ctx.step(`kills planned at seasons done: ${levels.join(', ')}`);
      const beatMs = (reference.seconds * 1000) / SEASONS;
      let kills = 0;
      for (const level of levels) {
        const identity = `${worker.pid}@${hostname()}`;
        while (
          !finished &&
          !(
            (await seasonsDone(rig.client, handle.workflowId)) >= level &&
            (await isWorking(rig.client, handle.workflowId, identity))
          )
        ) {
          await sleep(250);
        }
        await Promise.race([sleep(beatMs * ctx.random()), outcome]);
        if (finished) break;
        const doing = await whatItIsDoing(rig.client, handle.workflowId);
        const pid = worker.pid;
        await killWorker(worker);
        kills += 1;
        ctx.step(`kill ${kills}/${KILLS} at ${at()} s: SIGKILL worker pid ${pid} while ${doing}`);
        worker = await startWorker();
      }
      const ended = await outcome;
      if ('error' in ended) throw ended.error;
      const seconds = Number(at());
      ctx.step(`backfill finished after ${seconds} s on worker pid ${worker.pid}`);
      for (const w of workers) await killWorker(w);

      const attempts = await attemptSummary(rig.client, handle.workflowId);
      const { checks, checksums } = await verifyAgainstReference({
        client: rig.client,
        workflowId: handle.workflowId,
        result: ended.result,
        db,
        reference,
      });
      const killCheck: ChaosCheck = {
        what: `the worker was SIGKILLed ${KILLS} times during the run, a fresh one started after each`,
        ok: kills === KILLS,
        detail: `${kills} kills over ${seconds} s (uninterrupted: ${reference.seconds.toFixed(1)} s), seed ${ctx.seed}; ${attempts.retried} of ${attempts.activities} activities completed on a retry (max attempt ${attempts.maxAttempt})`,
      };
      // The copy needs the database to itself.
      await db.pool.end();
      const sensitivity = await checksumSensitivity(ctx.adminDatabaseUrl, db.name, checksums);
      const sensitivityCheck: ChaosCheck = {
        what: 'the checksums see one changed value (in a scratch copy) and ignore an excluded column',
        ok:
          sensitivity.afterValueChange.length === 1 &&
          sensitivity.afterValueChange[0]!.startsWith('player_season_stats:') &&
          sensitivity.afterExcludedChange.length === 0,
        detail: `hits of line ${sensitivity.changed} + 1: ${sensitivity.afterValueChange.join('; ') || 'no table differed'}; loaded_at of every line - 1 day: ${sensitivity.afterExcludedChange.length} tables differed`,
      };
      return [killCheck, ...checks, sensitivityCheck];
    } finally {
      for (const w of workers) await killWorker(w);
      await db.drop();
      await rig.close();
    }
  },
};
