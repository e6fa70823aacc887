import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../activities/index.ts';
import type { SendOutcome } from '../activities/notifications.ts';
import { startOutboxDrain } from '../infra/outbox-drain.ts';
import { stubbedWorkerHarness, type StubbedWorkerHarness } from '../test/temporal.ts';
import { outboxDrainWorkflowId, type sendOutbox } from './send-outbox.ts';

// The drain's orchestration alone: claims and sends are stubs that hand out ids from a list.
describe('sendOutbox orchestration', () => {
  let harness: StubbedWorkerHarness;
  let client: Client;

  beforeAll(async () => {
    harness = await stubbedWorkerHarness();
    client = harness.client;
  });
  afterAll(async () => {
    await harness?.close();
  });

  /**
   * Claims answer the next batch of `batches` (then nothing); the first one calls `entered`, then waits for `gate`
   * when given. Every send succeeds.
   */
  function stubs(batches: number[][], sent: number[], gate?: Promise<void>, entered?: () => void): Partial<Activities> {
    let call = 0;
    return {
      claimDueEmails: async () => {
        if (call === 0) entered?.();
        if (call === 0 && gate) await gate;
        return batches[call++] ?? [];
      },
      sendEmail: async ({ emailId }: { emailId: number }): Promise<SendOutcome> => {
        sent.push(emailId);
        return 'sent';
      },
      secondsUntilNextEmail: async () => null,
    };
  }

  const worker = (activities: Partial<Activities>) => harness.worker('outbox-stubbed', activities);

  it('drains full batches, continues as new after maxBatches carrying its totals, and ends when a batch is short', async () => {
    const sent: number[] = [];
    const { worker: w, taskQueue } = await worker(stubs([[1, 2], [3, 4], [5, 6], [7]], sent));
    const totals = await w.runUntil(async () => {
      const handle = await client.workflow.start<typeof sendOutbox>('sendOutbox', {
        taskQueue,
        workflowId: taskQueue,
        args: [{ batchSize: 2, maxBatches: 2 }],
      });
      const result = await handle.result();
      const first = await client.workflow.getHandle(taskQueue, handle.firstExecutionRunId).describe();
      expect(first.status.name).toBe('CONTINUED_AS_NEW');
      return result;
    });
    expect(sent.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(totals).toEqual({ sent: 7, retrying: 0, failed: 0, cancelled: 0, unconfirmed: 0, skipped: 0 });
  });

  it('is one drain per task queue: asking again while it runs signals it, and it takes one more pass', async () => {
    const sent: number[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let claiming!: () => void;
    const claimStarted = new Promise<void>((resolve) => {
      claiming = resolve;
    });
    // The first claim finds nothing, but more is queued (and signalled) while it runs: the drain must look again.
    // (A signal that comes before the first claim needs no second pass: that claim sees what it announced.)
    const { worker: w, taskQueue } = await worker(stubs([[], [9]], sent, gate, claiming));
    const totals = await w.runUntil(async () => {
      const first = await startOutboxDrain(client, taskQueue);
      await claimStarted;
      const second = await startOutboxDrain(client, taskQueue);
      expect(second).toBe(first);
      open();
      return client.workflow.getHandle(outboxDrainWorkflowId(taskQueue)).result() as ReturnType<typeof sendOutbox>;
    });
    expect(sent).toEqual([9]);
    expect(totals).toMatchObject({ sent: 1 });
  });
});
