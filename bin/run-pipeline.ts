/**
 * `npm run pipeline -- [--from 2010] [--to 2026]`: starts runPipeline (or attaches to the running one with the
 * same seasons) and prints its result. Needs a worker: `npm start` or `npm run worker`.
 */
import { parseArgs } from 'node:util';
import { Client, Connection, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { loadConfig } from '../lib/config.ts';
import { assertPipelineInput, pipelineWorkflowId } from '../workflows/ids.ts';
import type { runPipeline } from '../workflows/run-pipeline.ts';
import { runMain } from './main.ts';

await runMain(async (stack) => {
  const config = loadConfig();
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
  const input = { fromSeason: Number(values.from ?? config.sample.fromSeason), toSeason: Number(values.to ?? config.sample.toSeason) };
  assertPipelineInput(input);
  const connection = await Connection.connect({ address: config.temporal.address });
  stack.push('client', () => connection.close());
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const handle = await client.workflow.start<typeof runPipeline>('runPipeline', {
    taskQueue: config.temporal.taskQueue, workflowId: pipelineWorkflowId(input), args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
  console.log(`runPipeline ${handle.workflowId} started; waiting for it to finish...`);
  console.log(JSON.stringify(await handle.result(), null, 2));
});
