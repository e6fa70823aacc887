/**
 * `npm run bench -- tracing`: the per-request cost of the API's request span (api/middleware/tracing.ts). Each mode
 * runs three times, each in a fresh process (bench/tracing-process.ts): no middleware, the middleware with tracing
 * not set up (no-op spans), spans recorded without export, and spans exported over OTLP/HTTP to a loopback collector.
 * Prints wall and CPU microseconds per request; CPU time is the steadier figure on a shared machine.
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchContext } from './context.ts';
import { TRACING_MODES, type TracingMode } from './tracing-process.ts';

const PROCESS = fileURLToPath(new URL('./tracing-process.ts', import.meta.url));
const RUNS = 3;
const LABELS: Record<TracingMode, string> = {
  none: 'no tracing middleware',
  noop: 'middleware, tracing not set up (no-op spans)',
  spans: 'middleware, spans recorded, no export',
  export: 'middleware, spans exported over OTLP/HTTP',
};

const range = (values: number[]) => `${Math.min(...values).toFixed(1)}-${Math.max(...values).toFixed(1)}`;

export async function benchTracing(_ctx: BenchContext): Promise<void> {
  console.log(
    `  100,000 in-process requests per run, ${RUNS} runs per mode, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at start`,
  );
  for (const mode of TRACING_MODES) {
    const runs: { wallUs: number; cpuUs: number; posts?: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { stdout } = await promisify(execFile)(process.execPath, [PROCESS, mode], { timeout: 300_000 });
      runs.push(JSON.parse(stdout.trim().split('\n').at(-1)!) as { wallUs: number; cpuUs: number; posts?: number });
    }
    const posts = runs.map((r) => r.posts).filter((p) => p !== undefined);
    console.log(
      `  ${LABELS[mode].padEnd(46)} CPU ${range(runs.map((r) => r.cpuUs))} µs/request, wall ${range(runs.map((r) => r.wallUs))} µs/request` +
        (posts.length ? ` (${posts.join(', ')} POSTs to the collector)` : ''),
    );
  }
  console.log(`  load average ${loadavg()[0]!.toFixed(1)} at end`);
}
