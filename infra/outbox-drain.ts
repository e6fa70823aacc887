/**
 * Asks for the outbox to be drained now (after something was queued), from the API or an activity: one drain with a
 * fixed workflow id, started when none runs, and otherwise signalled so it takes one more pass before it ends.
 */
import type { Client } from '@temporalio/client';
import { outboxDrainWorkflowId, outboxQueuedSignal, type sendOutbox } from '../workflows/send-outbox.ts';

/**
 * @example await startOutboxDrain(deps.temporal.client, deps.temporal.taskQueue);
 * @returns the run id of the drain that will send it.
 */
export async function startOutboxDrain(client: Client, taskQueue: string): Promise<string> {
  const handle = await client.workflow.signalWithStart<typeof sendOutbox, []>('sendOutbox', {
    workflowId: outboxDrainWorkflowId(taskQueue),
    taskQueue,
    args: [{}],
    signal: outboxQueuedSignal,
    signalArgs: [],
    // A drain already running takes the signal: never a second one beside it, never an error.
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return handle.signaledRunId;
}
