/**
 * Structured JSON logs (pino). Temporal's own logs, including activity and workflow context
 * (workflowId, activityId, runId), are forwarded here by `installTemporalRuntime` in infra/temporal-runtime.ts.
 * A line written inside an OpenTelemetry span (an API request, an activity) carries its `traceId` and `spanId`.
 */
import { context, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** The active span's ids, for pino's `mixin`; nothing outside a span (or before lib/tracing.ts registered one). */
export function traceFields(): { traceId?: string; spanId?: string } {
  const span = trace.getSpan(context.active());
  // A fresh object: pino merges the line's own fields into what the mixin returns.
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

/**
 * @param options.toStderr write log lines to stderr instead of stdout, for commands whose stdout is their result
 *   (`npm run backtest -- --json`).
 * @param options.async write through an asynchronous destination: lines written while a write is in flight are
 *   buffered and go out together in the next, rather than one synchronous write(2) per line (the API's access log,
 *   one line a request). Pending lines are written on process exit (pino registers that) and by `flushLogger`
 *   (api/server.ts calls it when it closes). Off by default: a command's lines stay in order with its console output.
 * @param options.destination where lines go instead of stdout or stderr (tests read them back).
 */
export function createLogger(options: {
  level: string;
  name?: string;
  toStderr?: boolean;
  async?: boolean;
  destination?: DestinationStream;
}): Logger {
  const fd = options.toStderr ? 2 : 1;
  // minLength 1 rather than 0: a line (always longer) still starts a write at once, but flush(cb) then waits for the
  // writes in flight to end, where with 0 it calls back at once whatever is still pending.
  const destination =
    options.destination ??
    (options.async
      ? pino.destination({ dest: fd, sync: false, minLength: 1 })
      : options.toStderr
        ? pino.destination(2)
        : undefined);
  return pino(
    {
      name: options.name ?? 'afwd',
      level: options.level,
      // Credentials must never reach a log line, whatever a caller passes in.
      redact: { paths: ['*.password', '*.secret', '*.token', '*.userSecretId', 'databaseUrl'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: traceFields,
    },
    destination,
  );
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
