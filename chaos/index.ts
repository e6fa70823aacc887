/**
 * `npm run chaos [-- scenario ...]`: breaks the system on purpose, loopback only, and prints what each scenario did
 * and what it verified. Exits 1 when any check fails or a scenario errors or runs past its time limit.
 * PostgreSQL: the project-local test cluster (or CHAOS_DATABASE_URL, a server URL whose user may create databases);
 * every other service a scenario needs it starts itself on free loopback ports. CHAOS_SEED repeats a run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { mulberry32 } from '../lib/random.ts';
import { ensureLocalPostgres } from '../infra/postgres.ts';
import { stopUnlessShared } from '../test/shared-cluster.ts';
import { SCENARIOS } from './scenarios.ts';
import type { ChaosCheck } from './scenario.ts';

const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = chosen.filter((name) => !SCENARIOS.some((s) => s.name === name));
if (unknown.length) {
  console.error(`unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
const log = createLogger({ level: 'warn', name: 'chaos' });
const local = process.env.CHAOS_DATABASE_URL
  ? undefined
  : await ensureLocalPostgres({ dir: path.join(REPO_ROOT, '.data', 'postgres-test'), port: Number(process.env.TEST_PG_PORT ?? 54330), log });
const adminDatabaseUrl = process.env.CHAOS_DATABASE_URL ?? local!.adminUrl;

console.log(`chaos: seed ${seed} (CHAOS_SEED=${seed} repeats this run)`);
const results: { name: string; ok: boolean; seconds: number }[] = [];
try {
  for (const scenario of SCENARIOS.filter((s) => !chosen.length || chosen.includes(s.name))) {
    console.log(`\n== ${scenario.name}: ${scenario.summary}`);
    const workDir = mkdtempSync(path.join(os.tmpdir(), `afwd-chaos-${scenario.name}-`));
    const started = performance.now();
    const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);
    let checks: ChaosCheck[] = [];
    let failure: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      checks = await Promise.race([
        scenario.run({
          step: (message) => console.log(`  [${elapsed()} s] ${message}`),
          adminDatabaseUrl, workDir, seed, random: mulberry32(seed),
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`ran past its time limit of ${scenario.timeLimitMs / 1000} s`)), scenario.timeLimitMs);
        }),
      ]);
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timer);
      if (process.env.CHAOS_KEEP !== '1') rmSync(workDir, { recursive: true, force: true });
    }
    for (const check of checks) console.log(`  ${check.ok ? 'PASS' : 'FAIL'} ${check.what}${check.detail ? ` (${check.detail})` : ''}`);
    if (failure) console.log(`  FAIL the scenario stopped: ${failure}`);
    if (!failure && !checks.length) failure = 'verified nothing';
    const ok = !failure && checks.every((c) => c.ok);
    results.push({ name: scenario.name, ok, seconds: (performance.now() - started) / 1000 });
  }
} finally {
  await stopUnlessShared(local);
}
console.log('\nsummary');
for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'} ${r.name.padEnd(24)} ${r.seconds.toFixed(1)} s`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
