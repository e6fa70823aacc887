/**
 * Benchmark of a full-scale backfill from an empty database: 15 seasons (plus 5 MLB-only lead seasons) from the
 * sample source served by its own process, ingested by a worker in its own process (so its memory is its own).
 * Prints wall time, HTTP requests, rows, load throughput and the worker's peak resident memory.
 */
import type { BackfillProgress, backfillHistory } from '../workflows/backfill-history.ts';
import type { BenchContext } from './context.ts';
import { FROM, TO, peakRssMiB, startWorkerProcess } from './worker-process.ts';

export async function benchBackfill(ctx: BenchContext): Promise<void> {
  const { client, taskQueue, pid, stop } = await startWorkerProcess(ctx, {
    databasePrefix: 'afwd_bench',
    dataDirPrefix: 'afwd-bench-',
    taskQueuePrefix: 'bench',
  });
  try {
    const started = performance.now();
    const result: BackfillProgress = await client.workflow.execute<typeof backfillHistory>('backfillHistory', {
      taskQueue,
      workflowId: taskQueue,
      args: [{ fromSeason: FROM, toSeason: TO }],
    });
    const seconds = (performance.now() - started) / 1000;
    const rss = await peakRssMiB(pid);
    console.log(`  backfill ${FROM}-${TO} (+5 MLB-only lead seasons), scale 1, empty database:`);
    console.log(`    wall time                 ${seconds.toFixed(1)} s`);
    console.log(`    HTTP requests             ${result.httpRequests}`);
    console.log(
      `    rows fetched              ${result.rowsFetched} = ${result.rowsLoaded} loaded + ${result.rowsQuarantined} quarantined + ${result.duplicatesMerged} merged`,
    );
    console.log(
      `    load throughput           ${Math.round(result.rowsLoaded / (result.writeMs / 1000))} rows/s (${result.rowsLoaded} lines in ${(result.writeMs / 1000).toFixed(2)} s of load transactions)`,
    );
    console.log(`    worker peak RSS           ${rss.toFixed(0)} MiB`);
    const again = performance.now();
    const rerun: BackfillProgress = await client.workflow.execute<typeof backfillHistory>('backfillHistory', {
      taskQueue,
      workflowId: `${taskQueue}-rerun`,
      args: [{ fromSeason: FROM, toSeason: TO }],
    });
    console.log(
      `    re-run                    ${((performance.now() - again) / 1000).toFixed(1)} s, ${rerun.httpRequests} HTTP requests, ${rerun.rowsNew} rows new`,
    );
  } finally {
    await stop();
  }
}
