/**
 * Loggers for the chaos scenarios: a quiet one for the services they start (errors only, so a scenario's output is
 * its steps and checks), and one whose JSON lines are kept for checks on what a worker logged.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createLogger, type Logger } from '../../lib/log.ts';

export const quietLog: Logger = createLogger({ level: 'error', name: 'chaos' });

/** A logger whose lines are kept (parsed) in `lines`, for checks on what a worker logged. */
export function capturingLogger(level = 'info'): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level },
    new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString().split('\n'))
          if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  );
  return { log, lines };
}
