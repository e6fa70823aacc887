/** Waiting in the chaos scenarios and their support: a pause, and the end of a process they signalled. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once process `pid` is gone (signal 0 fails), checking every `everyMs`. */
export async function untilGone(pid: number, everyMs = 50): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(everyMs);
  }
}
