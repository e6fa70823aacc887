/**
 * `npm run backfill -- --from 2010 --to 2025 [--refresh] [--levels 11,12] [--source DIR | --source landing:URL]`:
 * starts backfillHistory (or attaches to the running one), shows live progress until it finishes, then prints the
 * accounting. Brings up the local stack (and a worker, when none is polling) so it works on its own.
 *
 * `--source` serves a recorded archive directory, or replays a landing zone, from a local server for this run; it
 * takes precedence over MLB_STATS_API_URL, which stays the worker's default source for every other run.
 */
import { parseArgs } from 'node:util';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { ConfigError, loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { startLocalStack } from '../infra/local-stack.ts';
import { describeSourceSpec, parseSourceSpec, type SourceSpec } from '../infra/source-spec.ts';
import {
  backfillWorkflowId,
  type BackfillInput,
  type BackfillProgress,
  type backfillHistory,
} from '../workflows/backfill-history.ts';
import { accounting } from './accounting.ts';
import { runMain } from './main.ts';

function bar(p: BackfillProgress): string {
  const width = 30;
  const filled = Math.round((p.seasonsDone / Math.max(1, p.seasonsTotal)) * width);
  return (
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.seasonsDone}/${p.seasonsTotal} seasons · ` +
    `${p.rowsLoaded} loaded · ${p.rowsQuarantined} quarantined · ${p.httpRequests} requests`
  );
}

await runMain(async (stack) => {
  const started = performance.now();
  const config = loadConfig();
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'backfill' });
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      refresh: { type: 'boolean', default: false },
      levels: { type: 'string' },
      source: { type: 'string' },
    },
  });
  let source: SourceSpec | undefined;
  try {
    source = values.source === undefined ? undefined : parseSourceSpec(values.source);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const input: BackfillInput = {
    fromSeason: Number(values.from ?? config.sample.fromSeason),
    toSeason: Number(values.to ?? config.sample.toSeason),
    refresh: values.refresh ?? false,
    ...(values.levels ? { sportIds: values.levels.split(',').map(Number) } : {}),
  };
  if (!Number.isInteger(input.fromSeason) || !Number.isInteger(input.toSeason) || input.fromSeason > input.toSeason) {
    throw new Error(`--from and --to must be seasons with from <= to, got ${values.from} and ${values.to}`);
  }
  if (input.sportIds?.some((id) => !Number.isInteger(id) || id <= 0))
    throw new Error(`--levels must list sport ids such as 11,12, got "${values.levels}"`);
  if (source && config.mlb.baseUrl)
    console.log(
      `--source given: this run reads ${describeSourceSpec(source)}, not MLB_STATS_API_URL (${config.mlb.baseUrl})`,
    );
  const probe = await startLocalStack(config, log, stack, { worker: 'auto', ...(source ? { source } : {}) });
  if (source) {
    input.sourceUrl = probe.mlbBaseUrl;
    console.log(`source: ${describeSourceSpec(source)}, served at ${probe.mlbBaseUrl}/api/v1`);
  }
  const workflowId = backfillWorkflowId(input);
  const handle = await probe.client.workflow.start<typeof backfillHistory>('backfillHistory', {
    taskQueue: config.temporal.taskQueue,
    workflowId,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
  console.log(
    `backfillHistory ${workflowId}: ${probe.temporalUiUrl}/namespaces/${config.temporal.namespace}/workflows/${workflowId}`,
  );
  const tty = process.stdout.isTTY;
  let last = -1;
  const timer = setInterval(() => {
    handle.query<BackfillProgress>('progress').then(
      (p) => {
        if (tty) process.stdout.write(`\r${bar(p)}`);
        else if (p.seasonsDone !== last) console.log(bar(p));
        last = p.seasonsDone;
      },
      () => undefined,
    );
  }, 1000);
  stack.push('progress', () => clearInterval(timer));
  const result = await handle.result();
  clearInterval(timer);
  if (tty) process.stdout.write(`\r${bar(result)}\n`);
  console.log(`\n${accounting(result)}`);
  // Includes bringing up the stack; attaching to a run already in progress measures only the rest of it.
  console.log(`Wall time:      ${((performance.now() - started) / 1000).toFixed(1)} s`);
});
