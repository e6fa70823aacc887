/**
 * Chaos scenario `temporal-restart`: the Temporal dev server SIGKILLed mid-backfill and started again on the same
 * SQLite file and port; the worker and the client reconnect, and the run continues where it was (same run id, the
 * seasons already loaded not fetched again) to the uninterrupted run's result and data.
 */
import type { ChildProcess } from 'node:child_process';
import type { Client } from '@temporalio/client';
import type { ChaosScenario } from './scenario.ts';
import { batchHealth } from './support/pipeline-batches.ts';
import { attemptSummary, whatItIsDoing } from './support/pipeline-history.ts';
import { rigReference } from './support/pipeline-reference.ts';
import { BACKFILL, SEASONS, killWorker, openRig, startBackfill, startRigWorker } from './support/pipeline-rig.ts';
import { verifyAgainstReference } from './support/pipeline-verify.ts';
import { scratchDatabase } from './support/scratch-database.ts';
import { sleep } from './support/wait.ts';
import type { BackfillProgress } from '../workflows/backfill-history.ts';

/** The run's result, asking again while the server is away (the long poll fails when its connection drops). */
async function resultThroughOutage(client: Client, workflowId: string, runId: string): Promise<BackfillProgress> {
  for (const deadline = Date.now() + 10 * 60_000; ; await sleep(1000)) {
    try {
      return (await client.workflow.getHandle(workflowId, runId, { followRuns: false }).result()) as BackfillProgress;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Only a lost connection is waited out; a failed workflow is the scenario's failure.
      if (!/UNAVAILABLE|unavailable|connect|ECONNREFUSED|DEADLINE/i.test(message) || Date.now() > deadline) throw error;
    }
  }
}

/** Seasons whose child the parent's history shows completed. */
async function completedSeasons(client: Client, workflowId: string): Promise<number[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const ids = (history.events ?? []).flatMap(
    (e) => e.childWorkflowExecutionCompletedEventAttributes?.workflowExecution?.workflowId ?? [],
  );
  return ids.map((id) => Number(/season-(\d+)$/.exec(id)?.[1])).sort((a, b) => a - b);
}

export const temporalRestart: ChaosScenario = {
  name: 'temporal-restart',
  summary: `the Temporal dev server SIGKILLed mid-backfill ${BACKFILL.fromSeason}-${BACKFILL.toSeason} and restarted on its file: the run continues to the uninterrupted run's result and data`,
  // The reference run (when no scenario made it yet, ~1.5 min), the broken run, and the activities in flight at the
  // kill, whose completions the dead server lost: they are retried after their heartbeat timeout (30 s / 1 min).
  timeLimitMs: 8 * 60_000,
  async run(ctx) {
    const rig = await openRig(ctx.workDir);
    const db = await scratchDatabase(ctx.adminDatabaseUrl, 'temporal', { poolMax: 2 });
    const workers: ChildProcess[] = [];
    try {
      const reference = await rigReference(rig, ctx);
      const taskQueue = `chaos-temporal-${ctx.seed}-${Date.now()}`;
      const worker = await startRigWorker(rig, { databaseUrl: db.url, taskQueue, dir: ctx.workDir }, (w) =>
        workers.push(w),
      );
      const handle = await startBackfill(rig.client, taskQueue, taskQueue);
      const runId = handle.firstExecutionRunId;
      const started = performance.now();
      const at = () => ((performance.now() - started) / 1000).toFixed(1);
      ctx.step(`backfill ${handle.workflowId} (run ${runId}) started on worker pid ${worker.pid} into ${db.name}`);

      // Mid-run: a third to two thirds of the seasons in (drawn at random), then a random beat so the kill lands
      // inside whatever runs.
      const want = Math.floor(SEASONS / 3 + (ctx.random() * SEASONS) / 3);
      let before: number[] = [];
      for (const deadline = Date.now() + 5 * 60_000; before.length < want; await sleep(250)) {
        before = await completedSeasons(rig.client, handle.workflowId);
        if (Date.now() > deadline) throw new Error(`only ${before.length} seasons done after 5 minutes`);
      }
      await sleep(2000 * ctx.random());
      before = await completedSeasons(rig.client, handle.workflowId);
      const doing = await whatItIsDoing(rig.client, handle.workflowId);
      const pid = await rig.temporal.kill();
      const down = performance.now();
      ctx.step(
        `at ${at()} s: SIGKILL Temporal dev server pid ${pid} while ${doing}; seasons already done: ${before.join(', ')}`,
      );
      await sleep(2000 + 3000 * ctx.random());
      await rig.temporal.restart();
      ctx.step(
        `at ${at()} s: Temporal dev server started again on ${rig.temporal.address} and the same file (pid ${rig.temporal.pid()}) after ${((performance.now() - down) / 1000).toFixed(1)} s down`,
      );

      const result = await resultThroughOutage(rig.client, handle.workflowId, runId);
      ctx.step(
        `backfill finished after ${at()} s on the same worker (pid ${worker.pid}, ${worker.exitCode === null ? 'still running' : `exited ${worker.exitCode}`})`,
      );
      const workerSurvived = worker.exitCode === null && worker.signalCode === null;
      await killWorker(worker);

      const described = await rig.client.workflow.getHandle(handle.workflowId).describe();
      const attempts = await attemptSummary(rig.client, handle.workflowId);
      const health = await batchHealth(db.pool);
      const refetched = before.filter((season) => (health.attemptsBySeason.get(season) ?? 0) !== 1);
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
          what: 'the run continued rather than restarted: the same run id, one child per season, seasons done before the kill not fetched again',
          ok:
            described.runId === runId &&
            attempts.childStarts === SEASONS &&
            attempts.distinctChildren === SEASONS &&
            before.length > 0 &&
            refetched.length === 0,
          detail: `run id ${described.runId === runId ? 'unchanged' : `changed to ${described.runId}`}; ${attempts.childStarts} child starts for ${attempts.distinctChildren} seasons; seasons ${before.join(', ')} done before the kill, ${refetched.length ? `refetched: ${refetched.join(', ')}` : 'each fetched by one batch'}; ${attempts.retried} activities retried (${attempts.retries.join(', ') || 'none'})`,
        },
        {
          what: 'the worker and the client reconnected to the restarted server (the worker process was not restarted)',
          ok: workerSurvived,
          detail: `worker pid ${worker.pid} ${workerSurvived ? 'ran through' : 'had exited'}; the client read the result through the outage`,
        },
      ];
    } finally {
      for (const w of workers) await killWorker(w);
      await db.drop();
      await rig.close();
    }
  },
};
