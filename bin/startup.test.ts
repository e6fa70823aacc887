import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/config.ts';

const run = promisify(execFile);

describe('start-up', () => {
  it('stops with one clear sentence naming a bad setting, not a stack trace', async () => {
    const error = await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'migrate.ts')], {
      env: { ...process.env, EMBEDDED_PG_PORT: 'fifty' },
    }).then(() => undefined, (e: { code: number; stderr: string }) => e);
    expect(error?.code).toBe(1);
    expect(error?.stderr).toMatch(/Invalid configuration: EMBEDDED_PG_PORT="fifty"/);
    expect(error?.stderr).not.toMatch(/\n\s+at /);
  });
});
