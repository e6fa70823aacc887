/**
 * Names the Fantrax workflows share with their callers (the API, the schedules): deterministic ids from business
 * keys. Pure, so the API can import it without the workflow code.
 */

/** One sync at a time per user: starting it while one runs attaches to the running one. */
export function fantraxSyncWorkflowId(input: { userId: string }): string {
  return `fantrax-sync-${input.userId}`;
}

export function fantraxSyncAllScheduleId(): string {
  return 'fantrax-sync-all';
}
