/**
 * Structured JSON logs (pino). Temporal's own logs, including activity and workflow context
 * (workflowId, activityId, runId), are forwarded here by `installTemporalRuntime` in infra/temporal-runtime.ts.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * @param options.toStderr write log lines to stderr instead of stdout, for commands whose stdout is their result
 *   (`npm run backtest -- --json`).
 * @param options.async write through an asynchronous destination: lines written while a write is in flight are
 *   buffered and go out together in the next, rather than one synchronous write(2) per line (the API's access log,
 *   one line a request). Pending lines are written on process exit (pino registers that) and by `flushLogger`
 *   (api/server.ts calls it when it closes). Off by default: a command's lines stay in order with its console output.
 */
export function createLogger(options: { level: string; name?: string; toStderr?: boolean; async?: boolean }): Logger {
  const fd = options.toStderr ? 2 : 1;
  // minLength 1 rather than 0: a line (always longer) still starts a write at once, but flush(cb) then waits for the
  // writes in flight to end, where with 0 it calls back at once whatever is still pending.
  const destination = options.async ? pino.destination({ dest: fd, sync: false, minLength: 1 }) : options.toStderr ? pino.destination(2) : undefined;
  return pino({
    name: options.name ?? 'afwd',
    level: options.level,
    // Credentials must never reach a log line, whatever a caller passes in.
    redact: { paths: ['*.password', '*.secret', '*.token', '*.userSecretId', 'databaseUrl'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, destination);
}

/**
 * Resolves once every line logged so far has been written (at once for a synchronous destination), or after
 * `timeoutMs` if the destination is stuck: a shutdown must not hang on its log.
 */
export function flushLogger(log: Logger, timeoutMs = 5000): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    log.flush(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
