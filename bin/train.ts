/**
 * `npm run train [-- --season 2026]`: runs weeklyRetraining now (features, a candidate model, promotion only if it
 * beats the champion, the rollback check, then a fresh publish) and prints what happened.
 */
import { parseArgs } from 'node:util';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { recentModelEvents } from '../db/models.ts';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { startLocalStack } from '../infra/local-stack.ts';
import type { weeklyRetraining } from '../workflows/weekly-retraining.ts';
import { runMain } from './main.ts';

await runMain(async (stack) => {
  const config = loadConfig();
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'train' });
  const { values } = parseArgs({ options: { season: { type: 'string' } } });
  const season = Number(values.season ?? config.sample.toSeason);
  const { client, pool } = await startLocalStack(config, log, stack, { worker: 'auto' });
  const handle = await client.workflow.start<typeof weeklyRetraining>('weeklyRetraining', {
    taskQueue: config.temporal.taskQueue,
    workflowId: `retrain-on-demand-${season}`,
    args: [{ fromSeason: config.sample.fromSeason, season }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
  console.log(`weeklyRetraining ${handle.workflowId} started; waiting...`);
  const result = await handle.result();
  for (const e of await recentModelEvents(pool, 24, 5))
    console.log(`${e.at.toISOString()}  ${e.modelVersion}  ${e.event}: ${e.reason}`);
  console.log(`serving ${result.modelVersion}; ${result.prospects} prospects ranked; site in ${result.siteDir}`);
});
