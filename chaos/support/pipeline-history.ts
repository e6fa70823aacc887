/**
 * What a backfill's Temporal history and state say, for the pipeline chaos scenarios: what it is doing right now
 * (printed at each break), and how many activity attempts and child runs it took (checked afterwards).
 */
import type { Client } from '@temporalio/client';

/** One line: seasons done and each running season's pending activity with its attempt ("season-2013 fetchSeason #2"). */
export async function whatItIsDoing(client: Client, workflowId: string): Promise<string> {
  try {
    const parent = await client.workflow.getHandle(workflowId).describe();
    const stage = (parent.searchAttributes.AfwdStage as string[] | undefined)?.[0];
    const done = (parent.searchAttributes.AfwdSeasonsDone as number[] | undefined)?.[0] ?? 0;
    const running: string[] = [];
    for (const child of parent.raw.pendingChildren ?? []) {
      const id = child.workflowId ?? '';
      // A child the parent has asked for but the server has not started yet is not found: it is starting.
      const described = await client.workflow
        .getHandle(id)
        .describe()
        .catch(() => undefined);
      const activities = (described?.raw.pendingActivities ?? []).map(
        (a) => `${a.activityType?.name ?? '?'} #${a.attempt ?? 1}`,
      );
      running.push(`${id.split('/').pop()} ${described ? activities.join(', ') || 'between activities' : 'starting'}`);
    }
    return `${stage ? `stage ${stage}, ` : ''}${done} seasons done${running.length ? `; ${running.join('; ')}` : ''}`;
  } catch (error) {
    return `state unknown (${error instanceof Error ? error.message : String(error)})`;
  }
}

export interface AttemptSummary {
  /** Child workflow executions the parent started (one per season when no season was started twice). */
  childStarts: number;
  distinctChildren: number;
  /** Activities that completed, and those among them whose completing attempt was not the first. */
  activities: number;
  retried: number;
  maxAttempt: number;
  /** Attempt number of each retried activity, as `season-2013 fetchSeason #3`. */
  retries: string[];
}

/** Reads the parent's history and every season child's history. */
export async function attemptSummary(client: Client, workflowId: string): Promise<AttemptSummary> {
  const parent = await client.workflow.getHandle(workflowId).fetchHistory();
  const children = (parent.events ?? []).flatMap(
    (e) => e.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId ?? [],
  );
  const summary: AttemptSummary = {
    childStarts: children.length,
    distinctChildren: new Set(children).size,
    activities: 0,
    retried: 0,
    maxAttempt: 0,
    retries: [],
  };
  for (const child of new Set(children)) {
    const history = await client.workflow.getHandle(child).fetchHistory();
    const types = new Map<string, string>();
    for (const e of history.events ?? []) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled) types.set(String(e.eventId), scheduled.activityType?.name ?? '?');
      const started = e.activityTaskStartedEventAttributes;
      if (!started) continue;
      summary.activities += 1;
      const attempt = started.attempt ?? 1;
      summary.maxAttempt = Math.max(summary.maxAttempt, attempt);
      if (attempt > 1) {
        summary.retried += 1;
        summary.retries.push(
          `${child.split('/').pop()} ${types.get(String(started.scheduledEventId)) ?? '?'} #${attempt}`,
        );
      }
    }
  }
  return summary;
}

/** The run's AfwdSeasonsDone search attribute (0 until the first season is in). */
export async function seasonsDone(client: Client, workflowId: string): Promise<number> {
  const described = await client.workflow.getHandle(workflowId).describe();
  return (described.searchAttributes.AfwdSeasonsDone as number[] | undefined)?.[0] ?? 0;
}

/** True when worker `identity` (`pid@host`) is running an activity of one of the run's season children. */
export async function isWorking(client: Client, workflowId: string, identity: string): Promise<boolean> {
  try {
    const parent = await client.workflow.getHandle(workflowId).describe();
    for (const child of parent.raw.pendingChildren ?? []) {
      const described = await client.workflow.getHandle(child.workflowId ?? '').describe();
      // State 2 is PENDING_ACTIVITY_STATE_STARTED: a worker took the task and has not finished it.
      if (
        (described.raw.pendingActivities ?? []).some((a) => Number(a.state) === 2 && a.lastWorkerIdentity === identity)
      )
        return true;
    }
  } catch {
    // A child that completed between the two calls: asked again on the next poll.
  }
  return false;
}
