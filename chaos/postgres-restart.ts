/**
 * Chaos scenario `postgres-restart`: the backfill's PostgreSQL cluster (one of the scenario's own) stopped with an
 * immediate shutdown mid-load and started again a few seconds later; the activities that failed meanwhile are retried
 * and the database ends equal to an uninterrupted run's.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureLocalPostgres, type LocalPostgres } from '../infra/postgres.ts';
import { freePort } from '../test/ports.ts';
import type { ChaosScenario } from './scenario.ts';
import { attemptSummary, whatItIsDoing } from './support/pipeline-history.ts';
import { rigReference } from './support/pipeline-reference.ts';
import { BACKFILL, killWorker, openRig, startBackfill, startRigWorker } from './support/pipeline-rig.ts';
import { verifyAgainstReference } from './support/pipeline-verify.ts';
import { quietLog } from './support/logging.ts';
import { scratchDatabase } from './support/scratch-database.ts';
import { sleep, untilGone } from './support/wait.ts';
import type { BackfillProgress } from '../workflows/backfill-history.ts';

/** SIGQUIT to the postmaster: PostgreSQL's immediate shutdown (no checkpoint; crash recovery at the next start). */
async function immediateShutdown(dataDir: string): Promise<number> {
  const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster pid in ${dataDir}/postmaster.pid`);
  process.kill(pid, 'SIGQUIT');
  await untilGone(pid, 100);
  return pid;
}

export const postgresRestart: ChaosScenario = {
  name: 'postgres-restart',
  summary: `PostgreSQL stopped (immediate shutdown) mid-load of a backfill ${BACKFILL.fromSeason}-${BACKFILL.toSeason} and started again: the run completes, retried, with the uninterrupted run's data`,
  // The reference run (when no scenario made it yet, ~1.5 min), the cluster's first start (initdb, ~10 s), the
  // broken run and the retries' backoff (up to 30 s between attempts).
  timeLimitMs: 8 * 60_000,
  async run(ctx) {
    const rig = await openRig(ctx.workDir);
    const dataDir = path.join(ctx.workDir, 'postgres');
    const port = await freePort();
    let cluster: LocalPostgres | undefined;
    const workers: ChildProcess[] = [];
    try {
      const reference = await rigReference(rig, ctx);
      cluster = await ensureLocalPostgres({ dir: dataDir, port, log: quietLog });
      if (!cluster.owned) throw new Error(`port ${port} already served a cluster: not ours to stop`);
      ctx.step(`own PostgreSQL cluster started in ${dataDir} on 127.0.0.1:${port}`);
      const db = await scratchDatabase(cluster.adminUrl, 'pgrestart', { poolMax: 2 });
      try {
        const taskQueue = `chaos-pgrestart-${ctx.seed}-${Date.now()}`;
        const worker = await startRigWorker(rig, { databaseUrl: db.url, taskQueue, dir: ctx.workDir }, (w) =>
          workers.push(w),
        );
        const handle = await startBackfill(rig.client, taskQueue, taskQueue);
        const started = performance.now();
        const at = () => ((performance.now() - started) / 1000).toFixed(1);
        ctx.step(`backfill ${handle.workflowId} started on worker pid ${worker.pid} into ${db.name}`);

        // Mid-load: as soon as the load of a full season (minor leagues included: the longest loads, a second or
        // two) is seen running, so only a short random beat; the other seasons' fetches write to the landing zone.
        const fullSeasonLoad = /season-(\d+) loadSeason/;
        for (const deadline = Date.now() + 5 * 60_000; ; await sleep(100)) {
          const doing = await whatItIsDoing(rig.client, handle.workflowId);
          if (doing.split('; ').some((part) => Number(fullSeasonLoad.exec(part)?.[1]) >= BACKFILL.fromSeason)) break;
          if (Date.now() > deadline) throw new Error(`no season load seen in 5 minutes (${doing})`);
        }
        await sleep(250 * ctx.random());
        const doing = await whatItIsDoing(rig.client, handle.workflowId);
        const pid = await immediateShutdown(dataDir);
        const down = performance.now();
        ctx.step(`at ${at()} s: PostgreSQL postmaster pid ${pid} stopped (SIGQUIT, immediate shutdown) while ${doing}`);
        const outageMs = 3000 + 4000 * ctx.random();
        await sleep(outageMs);
        cluster = await ensureLocalPostgres({ dir: dataDir, port, log: quietLog });
        ctx.step(
          `at ${at()} s: PostgreSQL started again after ${((performance.now() - down) / 1000).toFixed(1)} s down (crash recovery)`,
        );

        const result = (await handle.result()) as BackfillProgress;
        ctx.step(
          `backfill finished after ${at()} s on the same worker (pid ${worker.pid}, ${worker.exitCode === null ? 'still running' : `exited ${worker.exitCode}`})`,
        );
        const workerSurvived = worker.exitCode === null && worker.signalCode === null;
        await killWorker(worker);
        const attempts = await attemptSummary(rig.client, handle.workflowId);
        const { checks } = await verifyAgainstReference({
          client: rig.client,
          workflowId: handle.workflowId,
          result,
          db,
          reference,
        });
        return [
          ...checks,
          {
            what: 'the activities the outage failed were retried (attempts > 1 in the workflow history)',
            ok: attempts.retried > 0 && attempts.maxAttempt > 1,
            detail: `${attempts.retried} of ${attempts.activities} activities completed on a later attempt (${attempts.retries.join(', ')}), max attempt ${attempts.maxAttempt}`,
          },
          {
            what: 'the worker process rode out the outage (no restart needed)',
            ok: workerSurvived,
            detail: `worker pid ${worker.pid} ${workerSurvived ? 'ran through' : 'had exited'}`,
          },
        ];
      } finally {
        for (const w of workers) await killWorker(w);
        await db.drop().catch(() => undefined);
      }
    } finally {
      for (const w of workers) await killWorker(w);
      await cluster?.stop();
      await rig.close();
    }
  },
};
