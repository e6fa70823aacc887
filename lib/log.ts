/**
 * Structured JSON logs (pino). Temporal's own logs, including activity and workflow context
 * (workflowId, activityId, runId), are forwarded here by `installTemporalRuntime` in infra/temporal-runtime.ts.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * @param options.toStderr write log lines to stderr instead of stdout, for commands whose stdout is their result
 *   (`npm run backtest -- --json`).
 */
export function createLogger(options: { level: string; name?: string; toStderr?: boolean }): Logger {
  return pino({
    name: options.name ?? 'afwd',
    level: options.level,
    // Credentials must never reach a log line, whatever a caller passes in.
    redact: { paths: ['*.password', '*.secret', '*.token', '*.userSecretId', 'databaseUrl'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, options.toStderr ? pino.destination(2) : undefined);
}
