/**
 * Memory of the model steps at full scale: 15 seasons (2011-2025, plus the MLB-only lead seasons) of the sample at
 * scale 1 are backfilled by a worker in its own process, then `publishRankings` runs on that worker, and the worker's
 * peak resident memory is read per stage (features, training, inference, publishing). The peak (VmHWM) is reset
 * when a stage starts (`/proc/<pid>/clear_refs`), so each figure is that stage's own; stages are followed through the
 * workflow's AfwdStage search attribute, polled every half second, so a stage's figure may include the first half
 * second of the next. The site build runs in a child process of its own and is not counted.
 */
import { writeFile } from 'node:fs/promises';
import type { backfillHistory } from '../workflows/backfill-history.ts';
import type { publishRankings } from '../workflows/publish-rankings.ts';
import type { BenchContext } from './context.ts';
import { FROM, TO, peakRssMiB, residentMiB, startWorkerProcess } from './worker-process.ts';

/** The target the issue sets for features, training and inference at this scale. */
const LIMIT_MIB = 2048;

async function resetPeak(pid: number): Promise<void> {
  // Writing 5 resets VmHWM to the current resident size (Linux 4.0+).
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}

export async function benchMemory(ctx: BenchContext): Promise<void> {
  const { client, taskQueue, pid, stop } = await startWorkerProcess(ctx, {
    databasePrefix: 'afwd_bench_mem',
    dataDirPrefix: 'afwd-bench-mem-',
    taskQueuePrefix: 'bench-mem',
  });
  try {
    let started = performance.now();
    await client.workflow.execute<typeof backfillHistory>('backfillHistory', {
      taskQueue,
      workflowId: `${taskQueue}-backfill`,
      args: [{ fromSeason: FROM, toSeason: TO }],
    });
    console.log(
      `  backfill ${FROM}-${TO} at scale 1: ${((performance.now() - started) / 1000).toFixed(1)} s; worker peak RSS ${(await peakRssMiB(pid)).toFixed(0)} MiB`,
    );

    await resetPeak(pid);
    const baseline = await residentMiB(pid);
    started = performance.now();
    // A date after the 2025 season: every loaded season is finished, and the rankings are as of 2025.
    const handle = await client.workflow.start<typeof publishRankings>('publishRankings', {
      taskQueue,
      workflowId: `${taskQueue}-publish`,
      args: [{ fromSeason: FROM, toSeason: TO, today: `${TO + 1}-01-15` }],
    });
    const stages: { stage: string; seconds: number; peakMiB: number }[] = [];
    let current = 'starting';
    let since = performance.now();
    const close = async (next: string) => {
      stages.push({ stage: current, seconds: (performance.now() - since) / 1000, peakMiB: await peakRssMiB(pid) });
      await resetPeak(pid);
      current = next;
      since = performance.now();
    };
    const finished = handle.result().then(() => true);
    for (let done = false; !done;) {
      done = await Promise.race([finished, new Promise<false>((r) => setTimeout(() => r(false), 500))]);
      const stage = ((await handle.describe()).searchAttributes.AfwdStage as string[] | undefined)?.[0] ?? current;
      if (done) await close('done');
      else if (stage !== current) await close(stage);
    }
    const result = await handle.result();
    console.log(
      `  publishRankings ${FROM}-${TO} (as of ${result.scoringSeason}, ${result.prospects} prospects ranked): ${((performance.now() - started) / 1000).toFixed(1)} s; worker resident at start ${baseline.toFixed(0)} MiB`,
    );
    for (const s of stages.filter((x) => x.stage !== 'starting' && x.stage !== 'done')) {
      console.log(
        `    ${s.stage.padEnd(12)} peak RSS ${s.peakMiB.toFixed(0).padStart(5)} MiB  (${s.seconds.toFixed(1)} s)`,
      );
    }
    const modelSteps = stages.filter((s) => ['features', 'training', 'inference'].includes(s.stage));
    const peak = modelSteps.reduce((m, s) => Math.max(m, s.peakMiB), 0);
    console.log(
      `    features + training + inference: peak ${peak.toFixed(0)} MiB, ${peak < LIMIT_MIB ? 'under' : 'OVER'} the ${LIMIT_MIB} MiB limit`,
    );
  } finally {
    await stop();
  }
}
