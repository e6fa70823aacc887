/**
 * Work a route does once it has answered: what only an existing account calls for (a password-reset link, the audit
 * row of a failed login). Awaited before the answer, it would make the answer slower for an address with an account
 * than for one without, and so tell anyone timing it which addresses have one. It starts after the current turn of
 * the event loop; a failure is logged (it has no client left to answer to). `afterResponseSettled` waits for what is
 * still running: deps.close() does before it ends the pool, and tests do before they look for its effects.
 */
import type { Logger } from '../lib/log.ts';

const running = new Set<Promise<void>>();

export function afterResponse(log: Logger, what: string, work: () => Promise<unknown>): void {
  const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(work)
    .then(
      () => undefined,
      (error: unknown) => {
        log.error({ err: error }, `${what} failed after the answer`);
      },
    )
    .finally(() => {
      running.delete(done);
    });
  running.add(done);
}

/** Resolves once no after-response work is running (work started meanwhile is waited for too). */
export async function afterResponseSettled(): Promise<void> {
  while (running.size > 0) await Promise.all([...running]);
}
