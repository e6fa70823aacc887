/**
 * `npm run pipeline -- [--from 2010] [--to 2026] [--refresh]`: starts runPipeline (or attaches to the running one
 * with the same seasons) and prints its result; runs a worker in-process when none is polling.
 */
import { parseArgs } from 'node:util';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { initTracing } from '../lib/tracing.ts';
import { startLocalStack } from '../infra/local-stack.ts';
import { assertPipelineInput, pipelineWorkflowId } from '../workflows/ids.ts';
import type { runPipeline } from '../workflows/run-pipeline.ts';
import { accounting } from './accounting.ts';
import { runMain } from './main.ts';

await runMain(async (stack) => {
  const config = loadConfig();
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'pipeline' });
  const tracing = initTracing({ serviceName: 'afwd-pipeline', config, log });
  stack.push('tracing', () => tracing.shutdown());
  const { values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' }, refresh: { type: 'boolean', default: false } },
  });
  const input = {
    fromSeason: Number(values.from ?? config.sample.fromSeason),
    toSeason: Number(values.to ?? config.sample.toSeason),
    refresh: values.refresh ?? false,
  };
  assertPipelineInput(input);
  const { client } = await startLocalStack(config, log, stack, { worker: 'auto' });
  const handle = await client.workflow.start<typeof runPipeline>('runPipeline', {
    taskQueue: config.temporal.taskQueue,
    workflowId: pipelineWorkflowId(input),
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
  console.log(`runPipeline ${handle.workflowId} started; waiting for it to finish...`);
  const result = await handle.result();
  console.log(
    `${accounting(result.backfill)}\nModel ${result.modelVersion}; ${result.prospects} prospects ranked; site in ${result.siteDir}`,
  );
});
