/**
 * A command-line tool built from its Go module (the Temporal CLI, stripe-mock): found where the user put it (an
 * environment variable, then the PATH), else in a per-user cache outside the clone, else built there once with
 * `go install module@version`, so fresh clones (and CI) reuse the build.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../lib/log.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';

export interface GoTool {
  /** The binary's name, e.g. `temporal`. */
  binary: string;
  /** The Go package `go install` builds, e.g. `github.com/temporalio/cli/cmd/temporal`. */
  module: string;
  version: string;
  /** The environment variable that names a binary to use instead, e.g. `TEMPORAL_CLI_PATH`. */
  pathVariable: string;
  /** What the tool is, for messages: `the Temporal CLI`. */
  title: string;
  /** How long a first build takes, for the log: `a few minutes`. */
  buildTime: string;
  /** What else the user can do when it cannot be built, ending a sentence: `or set STRIPE_API_URL`. */
  otherwise?: string;
}

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.AFWD_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'afwd');
}

/** `<cache>/<binary's folder>/<version>/<binary>`; the folder defaults to the binary's name. */
export function cachedToolPath(tool: GoTool, env: NodeJS.ProcessEnv = process.env, folder = tool.binary): string {
  return path.join(cacheRoot(env), folder, tool.version, tool.binary);
}

export function onPath(binary: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The tool's variable, then the PATH, then the cache; undefined when none exists. */
export function locateGoTool(
  tool: GoTool,
  env: NodeJS.ProcessEnv = process.env,
  cached = cachedToolPath(tool, env),
): string | undefined {
  const configured = env[tool.pathVariable]?.trim();
  if (configured) {
    if (!existsSync(configured)) {
      throw new PrerequisiteError(
        `${tool.pathVariable} points to ${configured}, which does not exist: fix or unset it.`,
      );
    }
    return configured;
  }
  return onPath(tool.binary, env) ?? (existsSync(cached) ? cached : undefined);
}

/** Returns a usable binary, building it into `target` with `go install` when there is none. */
export async function ensureGoTool(
  tool: GoTool,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
  target = cachedToolPath(tool, env),
): Promise<string> {
  const found = locateGoTool(tool, env, target);
  if (found) return found;
  const otherwise = tool.otherwise ? `, ${tool.otherwise}` : '';
  const go = onPath('go', env) ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) {
    throw new PrerequisiteError(
      `No ${tool.title} was found and Go is not installed to build it: install Go 1.25 or later, or put a \`${tool.binary}\` binary on the PATH (or set ${tool.pathVariable})${otherwise}.`,
    );
  }
  // Build into a private folder, then rename: a build killed half-way never leaves a broken binary in the cache.
  const staging = `${path.dirname(target)}.building-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  log.info({ module: `${tool.module}@${tool.version}`, target }, `building ${tool.title} (once; ${tool.buildTime})`);
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(go, ['install', `${tool.module}@${tool.version}`], {
      env: { ...env, GOBIN: staging, GOFLAGS: `${env.GOFLAGS ?? ''} -trimpath`.trim() },
      // go's output goes to stderr (fd 2 for both): stdout belongs to the command being bootstrapped.
      stdio: ['ignore', 2, 'inherit'],
    });
    child.on('error', () => resolve(-1));
    child.on('exit', resolve);
  });
  if (code !== 0 || !existsSync(path.join(staging, tool.binary))) {
    rmSync(staging, { recursive: true, force: true });
    throw new PrerequisiteError(
      `Building ${tool.title} with \`go install ${tool.module}@${tool.version}\` failed (exit ${code}): check Go (1.25+) and the module proxy, or set ${tool.pathVariable}${otherwise}.`,
    );
  }
  mkdirSync(path.dirname(target), { recursive: true });
  renameSync(path.join(staging, tool.binary), target);
  rmSync(staging, { recursive: true, force: true });
  log.info({ target, seconds: Math.round((Date.now() - started) / 1000) }, `${tool.title} built`);
  return target;
}
