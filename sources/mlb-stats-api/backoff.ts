/**
 * Retry timing: exponential backoff with full jitter, and the server's Retry-After when it sends one.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** A random wait in [0, min(maxMs, baseMs * 2^retry)) (full jitter spreads retrying clients apart). */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** retry));
}

/** Milliseconds a Retry-After header asks for (delta-seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

export interface PauseOptions {
  /** Ends the wait early with the signal's reason (the activity was cancelled or timed out). */
  signal?: AbortSignal | undefined;
  /**
   * Called when the wait starts and then every `tickMs` while it lasts, with the milliseconds still to wait: a
   * long backoff (Retry-After can ask for 30 s) must keep heartbeating or Temporal declares the activity dead.
   */
  onTick?: ((remainingMs: number) => void) | undefined;
  /** @default 1000 */
  tickMs?: number;
}

/** Waits `ms` in slices of `tickMs`, reporting each slice to `onTick` and stopping at once when `signal` aborts. */
export async function pause(ms: number, options: PauseOptions = {}): Promise<void> {
  const { signal, onTick, tickMs = 1000 } = options;
  signal?.throwIfAborted();
  // Fixed slices rather than re-reading the clock: a timer that fires a millisecond early must not add a slice.
  for (let remaining = ms; remaining > 0; remaining -= tickMs) {
    onTick?.(Math.ceil(remaining));
    await sleep(Math.min(tickMs, remaining), undefined, signal ? { signal } : {}).catch((error: unknown) => {
      // timers/promises rejects with its own AbortError; the caller wants the signal's reason (e.g. a Temporal CancelledFailure).
      throw signal?.aborted ? signal.reason : error;
    });
  }
}
