/**
 * The Dockerfile, checked as far as a machine without Docker can: it installs with the command this lock accepts,
 * and every file it copies or runs exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/config.ts';

/** Instructions with their continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'))
    .map((line) => { const [op = '', ...rest] = line.split(/\s+/); return { op: op.toUpperCase(), args: rest.join(' ') }; });
}

describe('Dockerfile', () => {
  const steps = instructions(readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));

  it('installs with `npm install --no-save`, never `npm ci`, which refuses this lock (scripts/bootstrap.sh)', () => {
    const runs = steps.filter((s) => s.op === 'RUN').map((s) => s.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(false);
    expect(runs.some((r) => /\bnpm install\b.*--no-save/.test(r))).toBe(true);
  });

  it('copies only files that exist, the lock before the install', () => {
    const copies = steps.filter((s) => s.op === 'COPY').map((s) => s.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1));
    expect(copies.length).toBeGreaterThan(0);
    for (const source of copies.flat()) expect(existsSync(path.join(REPO_ROOT, source)), source).toBe(true);
    const install = steps.findIndex((s) => s.op === 'RUN' && /\bnpm install\b/.test(s.args));
    expect(steps.slice(0, install).some((s) => s.op === 'COPY' && s.args.includes('package-lock.json'))).toBe(true);
  });

  it('runs an entry point that exists', () => {
    const cmd = steps.find((s) => s.op === 'CMD');
    const argv = JSON.parse(cmd!.args) as string[];
    expect(argv[0]).toBe('node');
    expect(existsSync(path.join(REPO_ROOT, argv[1]!)), argv[1]).toBe(true);
  });

  it('keeps the machine\'s node_modules and data out of the build context', () => {
    const ignored = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.data']));
  });
});
