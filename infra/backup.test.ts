import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableChecksums } from '../db/checksums.ts';
import { serverMajorVersion } from '../db/server.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { seedPublishedWorld } from '../test/api-fixture.ts';
import { backupDatabase, restoreDatabase, RestoreRefusedError } from './backup.ts';
import { locateTool } from './pg-tools.ts';

let source: TestDatabase;
const made: TestDatabase[] = [];
let dir: string;
let backup: string;
/** Why the round trip cannot run here (no pg_dump as new as the test server), or undefined when it can. */
let missingTools: string | undefined;

beforeAll(async () => {
  source = await createTestDatabase();
  await seedPublishedWorld(source.pool);
  dir = await mkdtemp(path.join(tmpdir(), 'afwd-backup-'));
  backup = path.join(dir, 'world.dump');
  const major = await serverMajorVersion(source.pool);
  try {
    locateTool('pg_dump', major);
    locateTool('pg_restore', major);
  } catch (error) {
    missingTools = (error as Error).message;
  }
});
afterAll(async () => {
  await Promise.all([source, ...made].filter(Boolean).map((db) => db.drop()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function freshDatabase(options: { migrate: boolean }): Promise<TestDatabase> {
  const db = await createTestDatabase(options);
  made.push(db);
  return db;
}

describe('db:backup and db:restore', () => {
  it('restores a backup into a fresh empty database with every table identical, by row checksums', async (ctx) => {
    ctx.skip(missingTools !== undefined, missingTools);
    const result = await backupDatabase({ url: source.url, out: backup });
    expect(result.file).toBe(backup);
    const target = await freshDatabase({ migrate: false });
    await restoreDatabase({ from: backup, url: target.url });

    const before = await tableChecksums(source.pool);
    const after = await tableChecksums(target.pool);
    expect(after).toEqual(before);
    const seeded = before.filter((t) => t.rows > 0).map((t) => t.table);
    expect(seeded).toEqual(
      expect.arrayContaining(['organizations', 'players', 'models', 'published_prospects', 'schema_migrations']),
    );
  });

  it('refuses a database that already holds objects unless --clean is given, then replaces them', async (ctx) => {
    ctx.skip(missingTools !== undefined, missingTools);
    const target = await freshDatabase({ migrate: true });
    await target.pool.query(`INSERT INTO organizations (org_id, name, abbreviation) VALUES (9999, 'Stray Org', 'STR')`);
    await expect(restoreDatabase({ from: backup, url: target.url })).rejects.toThrow(RestoreRefusedError);
    await expect(restoreDatabase({ from: backup, url: target.url })).rejects.toThrow(/is not empty .*--clean/);
    expect((await target.pool.query('SELECT 1 FROM organizations WHERE org_id = 9999')).rowCount).toBe(1);

    const result = await restoreDatabase({ from: backup, url: target.url, clean: true });
    expect(result.cleaned).toBe(true);
    expect(await tableChecksums(target.pool)).toEqual(await tableChecksums(source.pool));
  });
});
