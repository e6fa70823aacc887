/**
 * The API in a process of its own for the load test under the daily pipeline: the server `npm run api` starts
 * (api/server.ts), as bench/api-server-process.ts runs it, plus a memory reporter over the IPC channel. Under 1,000
 * connections /metrics answers late or not at all (it queues behind every other request), so the heap is read here
 * instead: on each `memory` message the process answers its resident set, heap used, and the heap used right after
 * each full (major) garbage collection since the last answer, read in a PerformanceObserver callback that V8 runs
 * just after the collection: the live heap, which is what a leak grows. The observer adds one callback per
 * collection (a few a second) and no flags: the API's own behaviour is unchanged.
 */
import { PerformanceObserver, constants, monitorEventLoopDelay, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';
import { startApiServer } from '../api/server.ts';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';

export interface MemoryReport {
  /** ms since this process started. */
  atMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** Full collections since the last report: when (ms since start) and the heap used just after. */
  afterMajorGc: { atMs: number; heapUsedBytes: number }[];
  /** How late the event loop ran since the last report (ms): time the process could not turn to any request. */
  eventLoopDelay: { p50: number; p99: number; max: number };
}

const config = loadConfig({ ...process.env, API_HOST: '127.0.0.1', API_PORT: '0' });
if (!config.databaseUrl || !config.redis.url) throw new Error('loadtest-api-process needs DATABASE_URL and REDIS_URL');
const log = createLogger({ level: config.logLevel, name: 'api', async: true });
const api = await startApiServer(config, log);

let afterMajorGc: MemoryReport['afterMajorGc'] = [];
const gc = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (
      (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR
    )
      continue;
    afterMajorGc.push({ atMs: entry.startTime + entry.duration, heapUsedBytes: v8.getHeapStatistics().used_heap_size });
  }
});
gc.observe({ entryTypes: ['gc'] });
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

process.on('message', (message: { type?: string }) => {
  if (message.type !== 'memory') return;
  const report: MemoryReport = {
    atMs: performance.now(),
    rssBytes: process.memoryUsage.rss(),
    heapUsedBytes: v8.getHeapStatistics().used_heap_size,
    afterMajorGc,
    eventLoopDelay: {
      p50: loopDelay.percentile(50) / 1e6,
      p99: loopDelay.percentile(99) / 1e6,
      max: loopDelay.max / 1e6,
    },
  };
  afterMajorGc = [];
  loopDelay.reset();
  process.send?.(report);
});
process.send?.({ url: api.url });

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  gc.disconnect();
  loopDelay.disable();
  void api.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
