/**
 * The one error type the MLB Stats API client throws, so callers can classify failures in one place
 * (retryable: the source is down or slow; not retryable: our request or the data is wrong).
 */

export interface MlbStatsApiErrorInit {
  url: string;
  /** HTTP status, or null when no response arrived (timeout, connection refused, reset). */
  status: number | null;
  /** Attempts made, the failing one included. */
  attempts: number;
  /** True when the failure was of a kind worth retrying later (timeout, network, 429, 5xx). */
  retryable: boolean;
  /** Start of the response body, when there was one, for the log. */
  bodySnippet?: string;
  cause?: unknown;
}

export class MlbStatsApiError extends Error {
  override name = 'MlbStatsApiError';
  readonly url: string;
  readonly status: number | null;
  readonly attempts: number;
  readonly retryable: boolean;
  readonly bodySnippet: string | undefined;

  constructor(message: string, init: MlbStatsApiErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.url = init.url;
    this.status = init.status;
    this.attempts = init.attempts;
    this.retryable = init.retryable;
    this.bodySnippet = init.bodySnippet;
  }
}
