// Tests that a bad snapshot is refused with a message naming the file and the problem, before Astro gets involved.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot, snapshotPathFromEnv } from './load-snapshot.ts';

const FIXTURE = join(import.meta.dirname, 'test-fixtures', 'snapshot.json');

describe('loadSnapshot', () => {
  let dir: string;
  let fixture: { format: number; prospects: Array<Record<string, unknown>> };
  const write = async (name: string, content: unknown) => {
    const path = join(dir, name);
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'afwd-snapshot-test-'));
    fixture = JSON.parse(await readFile(FIXTURE, 'utf8'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('accepts the fixture', async () => {
    const snapshot = await loadSnapshot(FIXTURE);
    expect(snapshot.prospects).toHaveLength(40);
    expect(new Set(snapshot.prospects.map((p) => p.name)).size).toBe(40);
  });

  it('names each invalid field', async () => {
    const bad = structuredClone(fixture);
    bad.prospects[2]!.probability = 1.7;
    delete bad.prospects[4]!.name;
    const path = await write('bad.json', bad);
    const error = await loadSnapshot(path).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(/prospects\[2\]\.probability/);
    expect((error as Error).message).toMatch(/prospects\[4\]\.name/);
  });

  it('explains missing files, broken JSON, other formats and duplicate slugs', async () => {
    await expect(loadSnapshot(join(dir, 'missing.json'))).rejects.toThrow(/Cannot read snapshot .*missing\.json/);
    await expect(loadSnapshot(await write('broken.json', '{"format": 2,'))).rejects.toThrow(/is not valid JSON/);
    await expect(loadSnapshot(await write('v1.json', { ...fixture, format: 1 }))).rejects.toThrow(
      /has format 1, but this site reads format 2/,
    );
    const dup = structuredClone(fixture);
    dup.prospects[1]!.slug = dup.prospects[0]!.slug;
    await expect(loadSnapshot(await write('dup.json', dup))).rejects.toThrow(/more than one prospect with slug/);
  });

  it('requires an absolute AFWD_SNAPSHOT_PATH', () => {
    expect(() => snapshotPathFromEnv({})).toThrow(/AFWD_SNAPSHOT_PATH is not set/);
    expect(() => snapshotPathFromEnv({ AFWD_SNAPSHOT_PATH: 'snap.json' })).toThrow(/absolute/);
    expect(snapshotPathFromEnv({ AFWD_SNAPSHOT_PATH: '/x/snap.json' })).toBe('/x/snap.json');
  });
});
