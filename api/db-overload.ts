/**
 * Recognises a database that is overloaded rather than broken: the pool had no connection to give within its
 * connection timeout, a statement ran past the statement timeout, or the server refused more work for now. The error
 * middleware answers these 503 with Retry-After (a client can and should come back), never 500.
 */

/** Why the database could not answer in time; the name goes to the log and the problem's detail. */
export type DatabaseOverload =
  'pool-exhausted' | 'connect-timeout' | 'statement-timeout' | 'lock-timeout' | 'server-busy';

/** Seconds a client is asked to wait: long enough for a burst (a publish retiring the cache) to drain. */
export const DATABASE_OVERLOAD_RETRY_AFTER_SECONDS = 2;

// pg-pool's own words (no error code): every connection is busy and the wait passed connectionTimeoutMillis,
// or a new connection could not be opened within it.
const POOL_EXHAUSTED_MESSAGE = 'timeout exceeded when trying to connect';
const CONNECT_TIMEOUT_MESSAGE = 'Connection terminated due to connection timeout';

/**
 * SQLSTATEs of a server that is busy, not of a bad query: query_canceled (57014, the statement timeout; the API
 * never cancels its own queries otherwise), lock_not_available (55P03, lock_timeout), too_many_connections (53300),
 * insufficient_resources (53000) and cannot_connect_now (57P03, starting up or in recovery).
 */
const BUSY_CODES: Record<string, DatabaseOverload> = {
  '57014': 'statement-timeout',
  '55P03': 'lock-timeout',
  '53300': 'server-busy',
  '53000': 'server-busy',
  '57P03': 'server-busy',
};

/** The kind of overload `error` (or an error it wraps through `cause`) reports; undefined for any other error. */
export function databaseOverload(error: unknown): DatabaseOverload | undefined {
  const seen = new Set<unknown>();
  let current = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    if (current.message === POOL_EXHAUSTED_MESSAGE) return 'pool-exhausted';
    if (current.message === CONNECT_TIMEOUT_MESSAGE) return 'connect-timeout';
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code in BUSY_CODES) return BUSY_CODES[code];
    current = current.cause;
  }
  return undefined;
}
