/**
 * Runs the chaos scenarios named on its command line, one after the other, in a process group of its own: started
 * by chaos/index.ts, which kills the whole group (this process, its workers, servers and clusters) when a scenario
 * runs past its time limit. Reports each scenario's start and verdict to its parent over the IPC channel.
 * Expects CHAOS_DATABASE_URL and CHAOS_SEED from the parent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../lib/random.ts';
import { SCENARIOS } from './scenarios.ts';
import type { ChaosCheck } from './scenario.ts';

export type RunnerMessage =
  { type: 'start'; name: string; timeLimitMs: number; workDir: string } | { type: 'done'; name: string; ok: boolean };

const send = (message: RunnerMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
const adminDatabaseUrl = process.env.CHAOS_DATABASE_URL!;
const seed = Number(process.env.CHAOS_SEED);

for (const name of process.argv.slice(2)) {
  const scenario = SCENARIOS.find((s) => s.name === name)!;
  console.log(`\n== ${scenario.name}: ${scenario.summary}`);
  const workDir = mkdtempSync(path.join(os.tmpdir(), `afwd-chaos-${scenario.name}-`));
  await send({ type: 'start', name, timeLimitMs: scenario.timeLimitMs, workDir });
  const started = performance.now();
  const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);
  let checks: ChaosCheck[] = [];
  let failure: string | undefined;
  try {
    checks = await scenario.run({
      step: (message) => console.log(`  [${elapsed()} s] ${message}`),
      adminDatabaseUrl,
      workDir,
      seed,
      random: mulberry32(seed),
    });
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  } finally {
    if (process.env.CHAOS_KEEP !== '1') rmSync(workDir, { recursive: true, force: true });
  }
  for (const check of checks)
    console.log(`  ${check.ok ? 'PASS' : 'FAIL'} ${check.what}${check.detail ? ` (${check.detail})` : ''}`);
  if (failure) console.log(`  FAIL the scenario stopped: ${failure}`);
  else if (!checks.length) console.log('  FAIL the scenario verified nothing');
  await send({ type: 'done', name, ok: !failure && checks.length > 0 && checks.every((c) => c.ok) });
}
// Exit rather than wait for the event loop to drain: a timer or loop a scenario left running would keep this process
// (and the supervisor waiting on it) alive forever. Every message was sent (each `send` waited for its delivery).
process.exit(0);
