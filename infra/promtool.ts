/**
 * promtool, Prometheus's own checker of configuration and rule files and runner of rule unit tests
 * (ops/prometheus/alerts.test.ts): found on the machine, or built once from its Go module into the per-user cache
 * beside the Temporal CLI and stripe-mock. Only the tests need it.
 */
import type { Logger } from '../lib/log.ts';
import { cachedToolPath, ensureGoTool, locateGoTool, type GoTool } from './go-tool.ts';

/** Prometheus tags v3.N.M as Go module versions v0.3NN.M: v0.316.0 is Prometheus 3.16.0. */
export const PROMTOOL_MODULE = 'github.com/prometheus/prometheus/cmd/promtool';
export const PROMTOOL_VERSION = 'v0.316.0';

const PROMTOOL: GoTool = {
  binary: 'promtool',
  module: PROMTOOL_MODULE,
  version: PROMTOOL_VERSION,
  pathVariable: 'PROMTOOL_PATH',
  title: 'promtool',
  buildTime: 'a few minutes',
};

export function cachedPromtoolPath(env: NodeJS.ProcessEnv = process.env): string {
  return cachedToolPath(PROMTOOL, env);
}

/** PROMTOOL_PATH, then `promtool` on the PATH, then the cache; undefined when none exists. */
export function locatePromtool(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return locateGoTool(PROMTOOL, env);
}

/** Returns a usable promtool binary, building it with `go install` when there is none (a few minutes, once). */
export function ensurePromtool(log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return ensureGoTool(PROMTOOL, log, env);
}
