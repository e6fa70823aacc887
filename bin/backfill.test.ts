import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../lib/config.ts';
import { writeTinyArchive } from '../sources/archive/test-archive.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';

const run = promisify(execFile);

// `npm run backfill -- --source DIR` as an operator runs it: a process of its own, an empty database.
describe('npm run backfill -- --source DIR', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'afwd-backfill-cli-'));
  const archive = path.join(root, 'archive');
  let db: TestDatabase;
  const env = () => ({
    ...process.env,
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `backfill-cli-${process.pid}`,
    AFWD_DATA_DIR: path.join(root, 'data'),
    ARCHIVE_PORT: '0',
    LOG_LEVEL: 'silent',
    METRICS_ADDRESS: '',
    // A live source that is down: --source must win for this run, and say so.
    MLB_STATS_API_URL: 'http://127.0.0.1:9',
  });

  beforeAll(async () => {
    writeTinyArchive(archive, { emptyMlbSeasons: [2001, 2002, 2003, 2004] });
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('loads the archive into an empty database and prints the accounting', async () => {
    const { stdout } = await run(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'backfill.ts'), '--from', '2006', '--to', '2006', '--source', archive],
      { env: env() },
    );
    expect(stdout).toContain(
      `--source given: this run reads recorded archive ${archive}, not MLB_STATS_API_URL (http://127.0.0.1:9)`,
    );
    expect(stdout).toMatch(/backfillHistory backfill-2006-2006-archive-[0-9a-f]{12}/);
    expect(stdout).toContain('Seasons:        6 (5 MLB-only lead seasons)');
    expect(stdout).toContain('0 lost and quarantined');
    expect(stdout).toContain('Rows fetched:   15 = 13 loaded + 0 quarantined + 2 duplicates merged');
    expect(stdout).toMatch(/Wall time: +\d+\.\d s/);
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM player_season_stats');
    expect(rows[0]?.n).toBe(13);
  });

  it('stops with one sentence when the directory holds no archive', async () => {
    const error = await run(
      process.execPath,
      [
        path.join(REPO_ROOT, 'bin', 'backfill.ts'),
        '--from',
        '2006',
        '--to',
        '2006',
        '--source',
        path.join(root, 'nowhere'),
      ],
      { env: env() },
    ).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(1);
    expect(error?.stderr).toContain(`--source: archive source: ${path.join(root, 'nowhere')} is not a directory`);
    expect(error?.stderr).not.toMatch(/\n\s+at /);
  });
});
