/**
 * A token bucket that spaces requests: `take()` resolves when a request may go. Waiters are served in call order,
 * so concurrent callers share the rate instead of racing for it.
 */
import { pause, type PauseOptions } from './backoff.ts';

export interface TokenBucketOptions {
  /** Tokens added per second; 0 or Infinity means unlimited. */
  ratePerSecond: number;
  /** Tokens the bucket holds when full: how many requests may go back to back. @default 1 */
  burst?: number;
  /** Clock in milliseconds, injectable for tests. @default performance.now */
  now?: () => number;
}

export interface TokenBucket {
  /**
   * Resolves when a request may go. `signal` abandons the wait (the token is not spent); `onTick` hears about a
   * wait while it lasts, to heartbeat through it.
   */
  take(options?: PauseOptions): Promise<void>;
}

export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const { ratePerSecond } = options;
  const burst = options.burst ?? 1;
  if (!(ratePerSecond >= 0))
    throw new Error(`token bucket: ratePerSecond must be >= 0 (0 or Infinity for unlimited), got ${ratePerSecond}`);
  if (!Number.isInteger(burst) || burst < 1)
    throw new Error(`token bucket: burst must be an integer >= 1, got ${burst}`);
  if (ratePerSecond === 0 || ratePerSecond === Infinity) return { take: () => Promise.resolve() };
  const now = options.now ?? (() => performance.now());
  const interval = 1000 / ratePerSecond;
  let tokens = burst;
  let updated = now();
  let queue: Promise<void> = Promise.resolve();

  const takeOne = async (wait: PauseOptions): Promise<void> => {
    for (;;) {
      wait.signal?.throwIfAborted();
      const t = now();
      tokens = Math.min(burst, tokens + (t - updated) / interval);
      updated = t;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await pause(Math.ceil((1 - tokens) * interval), wait);
    }
  };
  return {
    take: (wait = {}) => {
      const turn = queue.then(() => takeOne(wait));
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
