/**
 * Benchmark of a full-scale backfill from an empty database: 15 seasons (plus 5 MLB-only lead seasons) from the
 * sample source served by its own process, ingested by a worker in its own process (so its memory is its own).
 * Prints wall time, HTTP requests, rows, load throughput and the worker's peak resident memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { REPO_ROOT } from '../lib/config.ts';
import type { BackfillProgress, backfillHistory } from '../workflows/backfill-history.ts';
import type { BenchContext } from './context.ts';

export const FROM = 2011;
export const TO = 2025;

export async function startSampleProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'sources/sample/main.ts'), '--port', '0', '--scale', '1', '--from', String(FROM), '--to', String(TO)], { stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: child.stdout })) {
    const match = /on (http:\/\/[\d.]+:\d+)\/api\/v1/.exec(line);
    if (match?.[1]) {
      console.log(`  ${line}`);
      return { url: match[1], child };
    }
  }
  throw new Error('the sample server did not start');
}

export async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

export async function benchBackfill(ctx: BenchContext): Promise<void> {
  const database = `afwd_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ctx.adminDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(ctx.adminDatabaseUrl);
  url.pathname = `/${database}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'afwd-bench-'));
  const sample = await startSampleProcess();
  const taskQueue = `bench-${Date.now()}`;
  const worker = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/worker.ts')], {
    env: { ...process.env, DATABASE_URL: url.toString(), TEMPORAL_ADDRESS: ctx.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, MLB_STATS_API_URL: sample.url, AFWD_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  try {
    const client = new Client({ connection });
    const started = performance.now();
    const result: BackfillProgress = await client.workflow.execute<typeof backfillHistory>('backfillHistory', {
      taskQueue, workflowId: taskQueue, args: [{ fromSeason: FROM, toSeason: TO }],
    });
    const seconds = (performance.now() - started) / 1000;
    const rss = await peakRssMiB(worker.pid!);
    console.log(`  backfill ${FROM}-${TO} (+5 MLB-only lead seasons), scale 1, empty database:`);
    console.log(`    wall time                 ${seconds.toFixed(1)} s`);
    console.log(`    HTTP requests             ${result.httpRequests}`);
    console.log(`    rows fetched              ${result.rowsFetched} = ${result.rowsLoaded} loaded + ${result.rowsQuarantined} quarantined + ${result.duplicatesMerged} merged`);
    console.log(`    load throughput           ${Math.round(result.rowsLoaded / (result.writeMs / 1000))} rows/s (${result.rowsLoaded} lines in ${(result.writeMs / 1000).toFixed(2)} s of load transactions)`);
    console.log(`    worker peak RSS           ${rss.toFixed(0)} MiB`);
    const again = performance.now();
    const rerun: BackfillProgress = await client.workflow.execute<typeof backfillHistory>('backfillHistory', {
      taskQueue, workflowId: `${taskQueue}-rerun`, args: [{ fromSeason: FROM, toSeason: TO }],
    });
    console.log(`    re-run                    ${((performance.now() - again) / 1000).toFixed(1)} s, ${rerun.httpRequests} HTTP requests, ${rerun.rowsNew} rows new`);
  } finally {
    await connection.close();
    worker.kill('SIGTERM');
    sample.child.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await rm(dataDir, { recursive: true, force: true });
  }
}
