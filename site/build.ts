/** Builds the static rankings site from a snapshot file by running `astro build` (and Pagefind) in a child process. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const SITE_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_DIR = dirname(SITE_DIR);

export interface BuildSiteOptions {
  /** The published snapshot JSON. */
  snapshotPath: string;
  /** Where the site goes. Astro EMPTIES this directory first; build each release into a fresh one. */
  outDir: string;
  /** Every output line of the build, as it comes, e.g. to heartbeat a long-running activity. */
  onProgress?: (line: string, stream: 'stdout' | 'stderr') => void;
  /**
   * Stops the build: the Astro process and its children (the Pagefind binary) get SIGTERM, then SIGKILL if they
   * are still there after `killGraceMs`; the call rejects with the signal's reason. @default none
   */
  signal?: AbortSignal;
  /** @default 5000 */
  killGraceMs?: number;
  /** Public origin of the site, for canonical URLs, OpenGraph tags and the sitemap. Default http://localhost:4321. */
  siteUrl?: string;
  /** Prospects per rankings page (the home page is page 1); default 500. */
  rankingsPageSize?: number;
}

export interface BuildSiteResult {
  outDir: string;
  /** HTML pages written (rankings pages, prospects, organizations, positions, movers, methodology, offline, 404). */
  pages: number;
  durationMs: number;
}

const WORK_PARENT = join(REPO_DIR, 'node_modules', '.astro');
const WORK_PREFIX = 'afwd-build-';
const STALE_MS = 24 * 60 * 60 * 1000;
const TAIL_LINES = 40;
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

function astroBin(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('astro/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.astro;
  if (!bin) throw new Error(`Cannot find the astro CLI in ${pkgPath}`);
  return join(dirname(pkgPath), bin);
}

/** Astro 7 refuses Node < 22.12; if this process runs on an older system node, use the repo's pinned one. */
function nodeBin(): string {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return process.execPath;
  return join(REPO_DIR, 'node_modules', 'node', 'bin', 'node');
}

/** True when `path` is `dir` or somewhere below it. */
const isInside = (path: string, dir: string): boolean => {
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
};

async function countPages(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html') && !isInside(e.parentPath, join(dir, 'pagefind')))
    .length;
}

/** Work dirs left behind by a build whose process was killed; no build runs for a day. */
async function sweepStaleWorkDirs(): Promise<void> {
  const names = await readdir(WORK_PARENT).catch(() => []);
  for (const name of names.filter((n) => n.startsWith(WORK_PREFIX))) {
    const path = join(WORK_PARENT, name);
    const info = await stat(path).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > STALE_MS) await rm(path, { recursive: true, force: true });
  }
}

export async function buildSite(options: BuildSiteOptions): Promise<BuildSiteResult> {
  const started = performance.now();
  const snapshotPath = resolve(options.snapshotPath);
  const outDir = resolve(options.outDir);
  // Astro empties outDir before building: never let that be the repo, the site sources or anything above them.
  if (isInside(SITE_DIR, outDir)) throw new Error(`Refusing to build into ${outDir}: it contains the site sources.`);
  if (isInside(snapshotPath, outDir)) throw new Error(`Refusing to build into ${outDir}: it contains the snapshot.`);

  // A private work dir per build, used as Astro's cacheDir (content data store) and as the child's cwd:
  // Astro writes its prerender bundle to <cwd>/.astro/.prerender when outDir lies outside the cwd, so
  // two builds sharing a cwd or cache would delete or read each other's files. It must sit inside the
  // repo so the prerender bundle can still resolve packages from node_modules.
  options.signal?.throwIfAborted();
  await mkdir(WORK_PARENT, { recursive: true });
  await sweepStaleWorkDirs();
  const workDir = await mkdtemp(join(WORK_PARENT, WORK_PREFIX));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AFWD_SNAPSHOT_PATH: snapshotPath,
    AFWD_SITE_OUT_DIR: outDir,
    AFWD_ASTRO_CACHE_DIR: workDir,
    ...(options.siteUrl ? { AFWD_SITE_URL: options.siteUrl } : {}),
    ...(options.rankingsPageSize ? { AFWD_RANKINGS_PAGE_SIZE: String(options.rankingsPageSize) } : {}),
    ASTRO_TELEMETRY_DISABLED: '1',
    NO_COLOR: '1',
    // Under vitest NODE_ENV is "test", which would make Vite build in a non-production mode.
    NODE_ENV: 'production',
  };
  for (const key of Object.keys(env)) if (key.startsWith('VITEST')) delete env[key];

  try {
    // Its own process group, so stopping the build also stops what Astro started (Pagefind's binary).
    const child = spawn(nodeBin(), [astroBin(), 'build', '--root', SITE_DIR], {
      cwd: workDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      const group = (signal: NodeJS.Signals) => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, signal);
        } catch {
          // Already gone.
        }
      };
      group('SIGTERM');
      killTimer = setTimeout(() => group('SIGKILL'), options.killGraceMs ?? 5_000);
      killTimer.unref();
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    let progressError: unknown;
    const stderrTail: string[] = [];
    const allTail: string[] = [];
    const follow = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr') =>
      new Promise<void>((done) => {
        const lines = createInterface({ input: stream, crlfDelay: Infinity });
        lines.on('line', (raw) => {
          const line = raw.replace(ANSI, '');
          for (const tail of name === 'stderr' ? [stderrTail, allTail] : [allTail]) {
            tail.push(line);
            if (tail.length > TAIL_LINES) tail.shift();
          }
          try {
            options.onProgress?.(line, name);
          } catch (error) {
            // A throwing callback (e.g. a cancelled heartbeat) stops the build rather than crashing the process.
            progressError ??= error;
            stop();
          }
        });
        lines.on('close', done);
      });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done, fail) => {
      child.on('error', fail);
      child.on('close', (code, signal) => done({ code, signal }));
    });
    const [{ code, signal }] = await Promise.all([
      exit,
      follow(child.stdout, 'stdout'),
      follow(child.stderr, 'stderr'),
    ]).finally(() => {
      options.signal?.removeEventListener('abort', stop);
      clearTimeout(killTimer);
    });
    if (options.signal?.aborted) throw options.signal.reason;
    if (progressError !== undefined) {
      throw progressError instanceof Error ? progressError : new Error('onProgress threw', { cause: progressError });
    }
    if (code !== 0) {
      // Astro logs some failures to stdout; fall back to everything it printed.
      const tail = (stderrTail.some((l) => l.trim()) ? stderrTail : allTail).join('\n');
      throw new Error(`astro build failed (${signal ? `signal ${signal}` : `exit code ${code}`}):\n${tail}`);
    }
    return { outDir, pages: await countPages(outDir), durationMs: Math.round(performance.now() - started) };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
