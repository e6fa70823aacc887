/**
 * The request's logger without a pino child per request: `c.var.log` is a stand-in that makes the child (bound to the
 * request id, and the user id once authenticated) only when something logs through it, which most requests never do.
 * The access log, which every request writes, logs the same fields through the base logger instead. A pino child per
 * request (two for an authenticated one) was about 4% of a cached card's CPU.
 */
import type { Logger } from '../../lib/log.ts';

const BASE = Symbol('base logger');
const BINDINGS = Symbol('request bindings');

/** A logger that becomes `base.child(bindings())` on first use; `bindings` is read then, not now. */
export function lazyRequestLogger(base: Logger, bindings: () => Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const target = {} as Logger;
  return new Proxy(target, {
    get(_, property) {
      if (property === BASE) return base;
      if (property === BINDINGS) return bindings;
      child ??= base.child(bindings());
      const value: unknown = Reflect.get(child, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(child) : value;
    },
  });
}

/** The base logger and the request's fields of a logger made by `lazyRequestLogger`; undefined for any other. */
export function requestLogParts(log: Logger): { base: Logger; bindings: () => Record<string, unknown> } | undefined {
  const base = (log as unknown as Record<symbol, unknown>)[BASE] as Logger | undefined;
  if (!base) return undefined;
  return { base, bindings: (log as unknown as Record<symbol, unknown>)[BINDINGS] as () => Record<string, unknown> };
}
