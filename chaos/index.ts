/**
 * `npm run chaos [-- scenario ...]`: breaks the system on purpose, loopback only, and prints what each scenario did
 * and what it verified. Exits 1 when any check fails or a scenario errors or runs past its time limit.
 * PostgreSQL: the project-local test cluster (or CHAOS_DATABASE_URL, a server URL whose user may create databases);
 * every other service a scenario needs it starts itself on free loopback ports. CHAOS_SEED repeats a run.
 *
 * The scenarios run in a child process (chaos/runner.ts) leading a process group of its own, so a scenario past its
 * time limit, or Ctrl-C, is ended with everything it started (workers, dev servers, clusters: one SIGKILL to the
 * group), and the remaining scenarios go on in a fresh child. The databases a child created (named with its pid,
 * chaos/support/scratch-database.ts) are dropped when it ends, whatever ended it. A child still running
 * `EXIT_GRACE_MS` after its last verdict (a scenario left a timer or loop behind) is ended the same way.
 */
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { stopUnlessShared, testCluster } from '../test/shared-cluster.ts';
import type { RunnerMessage } from './runner.ts';
import { SCENARIOS } from './scenarios.ts';
import { dropRunnerDatabases } from './support/scratch-database.ts';

const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = chosen.filter((name) => !SCENARIOS.some((s) => s.name === name));
if (unknown.length) {
  console.error(`unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
const log = createLogger({ level: 'warn', name: 'chaos' });
const local = process.env.CHAOS_DATABASE_URL ? undefined : await testCluster(log);
const adminDatabaseUrl = process.env.CHAOS_DATABASE_URL ?? local!.adminUrl;

interface Result {
  name: string;
  ok: boolean;
  seconds: number;
}

/** How long a child may take to exit after its last verdict (it exits as soon as the message is sent). */
const EXIT_GRACE_MS = 10_000;

/**
 * Runs `names` in one child until it finishes them or one runs past its limit (or the child dies): returns the
 * verdicts it reached, failing the scenario it was in.
 */
function runChild(names: string[], interrupted: { stop?: () => void }): Promise<Result[]> {
  return new Promise((resolve) => {
    const results: Result[] = [];
    const child = fork(path.join(REPO_ROOT, 'chaos', 'runner.ts'), names, {
      detached: true,
      env: { ...process.env, CHAOS_DATABASE_URL: adminDatabaseUrl, CHAOS_SEED: String(seed) },
    });
    let current: { name: string; workDir: string; started: number; timer: NodeJS.Timeout } | undefined;
    let verdict: string | undefined;
    let grace: NodeJS.Timeout | undefined;
    const killGroup = (why: string) => {
      verdict ??= why;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    };
    interrupted.stop = () => killGroup('interrupted (Ctrl-C)');
    child.on('message', (message: RunnerMessage) => {
      if (message.type === 'start') {
        const limit = message.timeLimitMs;
        current = {
          name: message.name,
          workDir: message.workDir,
          started: performance.now(),
          timer: setTimeout(
            () => killGroup(`ran past its time limit of ${limit / 1000} s: ended with everything it started`),
            limit,
          ),
        };
      } else if (current) {
        clearTimeout(current.timer);
        results.push({ name: message.name, ok: message.ok, seconds: (performance.now() - current.started) / 1000 });
        current = undefined;
        if (results.length === names.length) {
          grace = setTimeout(() => {
            console.log(
              `  the runner (pid ${child.pid}) was still running ${EXIT_GRACE_MS / 1000} s after its last verdict: ended with its group`,
            );
            killGroup('ended after its last verdict');
          }, EXIT_GRACE_MS);
        }
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(grace);
      if (current) {
        clearTimeout(current.timer);
        console.log(`  FAIL ${current.name} ${verdict ?? `its process ended (${signal ?? `exit ${code}`})`}`);
        results.push({ name: current.name, ok: false, seconds: (performance.now() - current.started) / 1000 });
        if (process.env.CHAOS_KEEP !== '1') rmSync(current.workDir, { recursive: true, force: true });
      }
      // A group member the runner started may outlive it (a server between its kill and its exit): end the group.
      killGroup('ended');
      // Then its databases, which its teardown did not reach if it was killed: left, they would keep
      // stopUnlessShared from ever stopping the shared cluster.
      dropRunnerDatabases(adminDatabaseUrl, child.pid!)
        .then(
          (dropped) => {
            if (dropped.length) console.log(`  dropped what the runner left: ${dropped.join(', ')}`);
          },
          (error: unknown) =>
            console.error(`  could not drop the databases of runner ${child.pid}: ${(error as Error).message}`),
        )
        .finally(() => resolve(results));
    });
  });
}

console.log(`chaos: seed ${seed} (CHAOS_SEED=${seed} repeats this run)`);
const results: Result[] = [];
const interrupted: { stop?: () => void; yes?: boolean } = {};
process.once('SIGINT', () => {
  interrupted.yes = true;
  interrupted.stop?.();
});
try {
  let remaining = SCENARIOS.map((s) => s.name).filter((name) => !chosen.length || chosen.includes(name));
  while (remaining.length && !interrupted.yes) {
    results.push(...(await runChild(remaining, interrupted)));
    remaining = remaining.filter((name) => !results.some((r) => r.name === name));
  }
} finally {
  await stopUnlessShared(local);
}
console.log('\nsummary');
for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'} ${r.name.padEnd(24)} ${r.seconds.toFixed(1)} s`);
process.exit(!interrupted.yes && results.every((r) => r.ok) ? 0 : 1);
