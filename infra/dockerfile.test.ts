/**
 * The Dockerfile, checked as far as a machine without Docker can: it installs with the command this lock accepts,
 * every file it copies or runs exists, it runs as an unprivileged user, its HEALTHCHECK command works (run here
 * against a stand-in endpoint), and .dockerignore keeps local state out of the build context.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/config.ts';
import { freePort } from '../test/ports.ts';

/** Instructions with their continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** Runs the HEALTHCHECK's command as Docker would (exec form), with the image's node and the given environment. */
function runHealthcheck(argv: string[], env: Record<string, string>): Promise<number | null> {
  const [command, ...args] = argv;
  const node = command === 'node' ? process.execPath : command!;
  // Not spawnSync: the stand-in endpoint answers from this process's event loop.
  const child = spawn(node, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore', timeout: 10_000 });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

async function healthEndpoint(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/healthz' ? 200 : 404).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe('Dockerfile', () => {
  const steps = instructions(readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));

  it('installs with `npm install --no-save`, never `npm ci`, which refuses this lock (scripts/bootstrap.sh)', () => {
    const runs = steps.filter((s) => s.op === 'RUN').map((s) => s.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(false);
    expect(runs.some((r) => /\bnpm install\b.*--no-save/.test(r))).toBe(true);
  });

  it('copies only files that exist, the lock before the install and the sources after it', () => {
    const copies = steps
      .filter((s) => s.op === 'COPY')
      .map((s) =>
        s.args
          .split(/\s+/)
          .filter((a) => !a.startsWith('--'))
          .slice(0, -1),
      );
    expect(copies.length).toBeGreaterThan(0);
    for (const source of copies.flat()) expect(existsSync(path.join(REPO_ROOT, source)), source).toBe(true);
    const install = steps.findIndex((s) => s.op === 'RUN' && /\bnpm install\b/.test(s.args));
    expect(steps.slice(0, install).some((s) => s.op === 'COPY' && s.args.includes('package-lock.json'))).toBe(true);
    expect(steps.slice(install).some((s) => s.op === 'COPY' && / \. \.$/.test(` ${s.args}`))).toBe(true);
  });

  it('runs as the unprivileged node user, which owns the app and data folders', () => {
    const user = steps.findIndex((s) => s.op === 'USER');
    expect(steps[user]?.args).toBe('node');
    const install = steps.findIndex((s) => s.op === 'RUN' && /\bnpm install\b/.test(s.args));
    expect(user).toBeLessThan(install);
    expect(steps.slice(user + 1).some((s) => s.op === 'USER')).toBe(false);
    for (const copy of steps.filter((s) => s.op === 'COPY')) expect(copy.args).toContain('--chown=node:node');
    expect(steps.slice(0, user).some((s) => s.op === 'RUN' && /chown node:node \/data/.test(s.args))).toBe(true);
  });

  it('runs an entry point that exists', () => {
    const cmd = steps.find((s) => s.op === 'CMD');
    const argv = JSON.parse(cmd!.args) as string[];
    expect(argv[0]).toBe('node');
    expect(existsSync(path.join(REPO_ROOT, argv[1]!)), argv[1]).toBe(true);
  });

  it('has a HEALTHCHECK that passes on a live /healthz and fails without one, for the worker and the API', async () => {
    const healthcheck = steps.find((s) => s.op === 'HEALTHCHECK')!;
    const argv = JSON.parse(healthcheck.args.slice(healthcheck.args.indexOf('CMD ') + 4)) as string[];
    const port = await freePort();
    const asWorker = { METRICS_ADDRESS: `127.0.0.1:${port}` };
    const asApi = { API_PORT: String(port) };
    expect(await runHealthcheck(argv, asWorker)).toBe(1);
    const server = await healthEndpoint(port);
    try {
      expect(await runHealthcheck(argv, asWorker)).toBe(0);
      expect(await runHealthcheck(argv, asApi)).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await runHealthcheck(argv, asApi)).toBe(1);
  });

  it("keeps the machine's node_modules, data, Git history and env files out of the build context", () => {
    const ignored = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignored).toEqual(
      expect.arrayContaining(['node_modules', '.data', '.git', '.env', '.env.*', '!.env.example']),
    );
  });
});
