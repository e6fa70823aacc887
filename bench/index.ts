/**
 * `npm run bench [-- backfill ...]`: runs the benchmarks and prints their figures. Figures, not pass/fail:
 * the README quotes them with this command. Brings up its own Temporal dev server and a local PostgreSQL cluster
 * (or BENCH_DATABASE_URL's server).
 */
import { createLogger } from '../lib/log.ts';
import { benchApi } from './api.ts';
import { benchBackfill } from './backfill.ts';
import { benchLoad } from './load.ts';
import { benchMemory } from './memory.ts';
import { benchSite } from './site.ts';
import { benchTraining } from './training.ts';
import { benchTracing } from './tracing.ts';
import { startEphemeralTemporal } from '../test/ephemeral-temporal.ts';
import { stopUnlessShared, testCluster } from '../test/shared-cluster.ts';
import type { BenchContext } from './context.ts';

const benches: Record<string, (ctx: BenchContext) => Promise<void>> = {
  load: benchLoad,
  backfill: benchBackfill,
  training: benchTraining,
  site: benchSite,
  memory: benchMemory,
  api: benchApi,
  tracing: benchTracing,
};

const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = chosen.filter((name) => !(name in benches));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
const log = createLogger({ level: 'warn', name: 'bench' });
const local = process.env.BENCH_DATABASE_URL ? undefined : await testCluster(log);
const temporal = await startEphemeralTemporal();
const ctx: BenchContext = {
  adminDatabaseUrl: process.env.BENCH_DATABASE_URL ?? local!.adminUrl,
  temporalAddress: temporal.address,
};
console.log(`machine: ${(await import('node:os')).cpus().length} cores, Node ${process.versions.node}`);
try {
  for (const name of chosen.length ? chosen : Object.keys(benches)) {
    console.log(`\n${name}`);
    await benches[name]!(ctx);
  }
} finally {
  await temporal.teardown();
  // Test runs may use the same cluster meanwhile: stop it only if none does.
  await stopUnlessShared(local);
}
