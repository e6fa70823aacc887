/**
 * Drains the e-mail outbox: claims due rows in batches and sends each in an activity of its own (the row's state
 * makes a retried or repeated send harmless), until nothing is due; then ends, or continues as new after many
 * batches. Started every minute by a schedule and on demand (infra/outbox-drain.ts), signalled when more is queued.
 */
import { continueAsNew, defineSignal, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { SendOutcome } from '../activities/notifications.ts';

const db = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5, initialInterval: '2 seconds' },
});
// SMTP timeouts (mailer.ts) end well inside this, so an attempt records its own outcome; a retry after a crash finds
// the attempt open and does not send again (a drain after the claim lease marks it 'unconfirmed').
const smtp = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5, initialInterval: '5 seconds', maximumInterval: '1 minute' },
});

/** More was queued: take one more pass before ending. */
export const outboxQueuedSignal = defineSignal('outboxQueued');

export type SendOutboxTotals = Record<SendOutcome, number>;

export interface SendOutboxInput {
  /** Rows claimed (and sent side by side) per batch. @default 10 */
  batchSize?: number;
  /** Attempts before a row is given up ('failed'). @default 8 */
  maxAttempts?: number;
  /** Seconds before the first retry of a refused message, doubled per attempt. @default 60 */
  retryBaseSeconds?: number;
  /** Stay while a retry falls due within this many seconds, instead of leaving it to the next run. @default 0 */
  waitForRetriesSeconds?: number;
  /** Seconds after which a 'sending' row whose drain vanished is taken again (then sent, or found in doubt). @default 1800 */
  claimLeaseSeconds?: number;
  /** Batches per run before continuing as new (history stays small). @default 50 */
  maxBatches?: number;
  /** Carried over by continue-as-new. */
  totals?: SendOutboxTotals;
}

/** The on-demand drain of a task queue (one deployment's): fixed, so asking twice reaches the one running. */
export function outboxDrainWorkflowId(taskQueue: string): string {
  return `send-outbox:${taskQueue}`;
}

export function outboxScheduleId(): string {
  return 'send-outbox-every-minute';
}

const EMPTY: SendOutboxTotals = { sent: 0, retrying: 0, failed: 0, cancelled: 0, unconfirmed: 0, skipped: 0 };

export async function sendOutbox(input: SendOutboxInput = {}): Promise<SendOutboxTotals> {
  const {
    batchSize = 10,
    maxAttempts = 8,
    retryBaseSeconds = 60,
    waitForRetriesSeconds = 0,
    claimLeaseSeconds = 1800,
    maxBatches = 50,
  } = input;
  const totals = { ...EMPTY, ...input.totals };
  let queued = false;
  setHandler(outboxQueuedSignal, () => {
    queued = true;
  });
  for (let batch = 1; ; batch++) {
    queued = false;
    const ids = await db.claimDueEmails({ limit: batchSize, leaseSeconds: claimLeaseSeconds });
    const outcomes = await Promise.all(
      ids.map((emailId) => smtp.sendEmail({ emailId, maxAttempts, retryBaseSeconds, leaseSeconds: claimLeaseSeconds })),
    );
    for (const outcome of outcomes) totals[outcome]++;
    if (ids.length === batchSize || queued) {
      if (batch >= maxBatches || workflowInfo().continueAsNewSuggested)
        await continueAsNew<typeof sendOutbox>({ ...input, totals });
      continue;
    }
    const wait = waitForRetriesSeconds > 0 ? await db.secondsUntilNextEmail() : null;
    if (wait !== null && wait <= waitForRetriesSeconds) {
      await sleep(Math.max(Math.ceil(wait * 1000), 100));
      continue;
    }
    if (!queued) return totals;
  }
}
