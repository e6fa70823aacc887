/**
 * The Fantrax sync of one user (`fantraxSync`, one at a time per user through its workflow id): leagues, then per
 * league its info, rosters and player ids, the rostered players matched and the rosters stored under this sync, and
 * the recommendations recomputed. A refused Secret ID fails at once (the link is marked for reconnecting); a private
 * league is skipped. `fantraxSyncAll` (the daily schedule) starts one child per linked user and leaves them running.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  proxyActivities,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { fantraxSyncWorkflowId } from './fantrax-ids.ts';

const dbStep = { startToCloseTimeout: '2 minutes', retry: { maximumAttempts: 5 } } as const;
// Fantrax calls retry inside the client too (a few seconds); these retries cover longer outages and rate limits.
const fantraxStep = {
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 6, initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
} as const;

const db = proxyActivities<Activities>(dbStep);
const fantrax = proxyActivities<Activities>(fantraxStep);

export interface FantraxSyncInput {
  userId: string;
}

export interface FantraxSyncResult {
  syncId: number;
  leagues: {
    leagueId: string;
    status: 'synced' | 'inaccessible';
    rostered: number;
    matched: number;
    uncertain: number;
  }[];
  /** Leagues whose recommendations were recomputed (0 before the first publication). */
  recommendations: number;
}

function summary(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return error instanceof Error ? error.message : String(error);
}

export async function fantraxSync(input: FantraxSyncInput): Promise<FantraxSyncResult> {
  const { userId } = input;
  const { syncId } = await db.startFantraxSync({ userId, workflowId: workflowInfo().workflowId });
  try {
    const { leagueIds } = await fantrax.fetchFantraxLeagues({ userId });
    const leagues: FantraxSyncResult['leagues'] = [];
    for (const leagueId of leagueIds)
      leagues.push({ leagueId, ...(await fantrax.syncFantraxLeague({ userId, syncId, leagueId })) });
    await db.finishFantraxSync({ userId, syncId, error: null });
    const { leagues: recommendations } = await db.recomputeFantraxRecommendations({ userId });
    return { syncId, leagues, recommendations };
  } catch (error) {
    await db.finishFantraxSync({ userId, syncId, error: summary(error) });
    throw error;
  }
}

export interface FantraxSyncAllResult {
  started: number;
  /** Users whose sync was already running. */
  running: number;
}

export async function fantraxSyncAll(_input: Record<string, never> = {}): Promise<FantraxSyncAllResult> {
  const { userIds } = await db.listFantraxLinkedUsers({});
  let started = 0;
  let running = 0;
  for (const userId of userIds) {
    try {
      await startChild(fantraxSync, {
        workflowId: fantraxSyncWorkflowId({ userId }),
        args: [{ userId }],
        // Each user's sync stands alone: it outlives this run and its failure is only its own.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      started++;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      running++;
    }
  }
  return { started, running };
}
