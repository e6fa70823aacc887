import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyRequestLogger, requestLogParts } from './request-log.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ name: 'test', level: 'info' }, stream), lines };
}

describe('lazyRequestLogger', () => {
  it('makes no child until used, then logs with the bindings read at that moment', async () => {
    const { log, lines } = capture();
    let children = 0;
    const child = log.child.bind(log);
    log.child = ((...args: Parameters<typeof log.child>) => {
      children += 1;
      return child(...args);
    }) as typeof log.child;
    const fields: Record<string, unknown> = { requestId: 'req-1' };
    const lazy = lazyRequestLogger(log, () => ({ ...fields }));
    expect(children).toBe(0);
    fields['userId'] = 'user-1';
    lazy.warn({ detail: 1 }, 'something');
    lazy.info('again');
    await new Promise((resolve) => setImmediate(resolve));
    expect(children).toBe(1);
    expect(lines).toMatchObject([
      { level: 40, name: 'test', requestId: 'req-1', userId: 'user-1', detail: 1, msg: 'something' },
      { level: 30, requestId: 'req-1', userId: 'user-1', msg: 'again' },
    ]);
  });

  it('gives the access log its base logger and fields; any other logger has none', () => {
    const { log } = capture();
    const parts = requestLogParts(lazyRequestLogger(log, () => ({ requestId: 'req-2' })));
    expect(parts?.base).toBe(log);
    expect(parts?.bindings()).toEqual({ requestId: 'req-2' });
    expect(requestLogParts(log)).toBeUndefined();
  });
});
