/**
 * Scrape-time reads for the worker's gauges (infra/worker-metrics.ts, monitoring/metrics.ts): every database read runs
 * on one pooled connection under a server-side statement timeout, every read is also cut off on the client (a pool
 * with no free connection), and a read that fails or times out is logged and leaves its gauge absent, never 0.
 */
import { Gauge, type Registry } from 'prom-client';
import { withStatementTimeout } from '../db/ops-metrics.ts';
import type { Pool, Queryable } from '../lib/db.ts';
import type { Logger } from '../lib/log.ts';

export interface ScrapeReads {
  /**
   * A gauge set at scrape time by `read`; a read that fails or times out is logged and leaves the gauge without a
   * value for this scrape (absent, not a stale or made-up number), and the rest of the scrape goes on.
   */
  gauge: <L extends string>(
    name: string,
    help: string,
    read: (gauge: Gauge<L>) => Promise<void>,
    labelNames?: readonly L[],
  ) => Gauge<L>;
  /** Runs `read` on one connection in a read-only transaction PostgreSQL cancels after the read timeout. */
  fromDb: <T>(read: (db: Queryable) => Promise<T>) => Promise<T>;
  /**
   * One `read` shared by every gauge collected while it is in flight: prom-client collects a scrape's gauges at once,
   * so they see the same figures; the next scrape reads anew. The shared read is itself cut off at the read timeout.
   */
  shared: <T>(what: string, read: () => Promise<T>) => () => Promise<T>;
}

export interface ScrapeReadsOptions {
  registry: Registry;
  pool: Pool;
  log: Logger;
  /** Longest a scrape-time read may take, on the server (statement_timeout) and on the client. Positive integer. */
  timeoutMs: number;
}

/** `work`, or a rejection after `ms`: a read that hangs (a pool with no free connection) cannot hold a scrape. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createScrapeReads({ registry, pool, log, timeoutMs }: ScrapeReadsOptions): ScrapeReads {
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new RangeError(`scrape read timeout must be a positive integer of ms, got ${timeoutMs}`);
  return {
    gauge: <L extends string>(
      name: string,
      help: string,
      read: (gauge: Gauge<L>) => Promise<void>,
      labelNames: readonly L[] = [],
    ) =>
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          // reset() leaves an unlabelled gauge at 0; remove() takes that value away, so "unknown" is not exported as 0.
          this.reset();
          if (labelNames.length === 0) this.remove();
          try {
            await within(timeoutMs, name, read(this));
          } catch (error) {
            log.warn({ err: error, metric: name }, 'metric read failed at scrape: left unset');
          }
        },
      }),
    fromDb: (read) => withStatementTimeout(pool, timeoutMs, read),
    shared: <T>(what: string, read: () => Promise<T>) => {
      let inFlight: Promise<T> | null = null;
      return () =>
        (inFlight ??= within(timeoutMs, what, read()).finally(() => {
          inFlight = null;
        }));
    },
  };
}
