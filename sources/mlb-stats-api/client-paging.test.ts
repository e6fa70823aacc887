import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchiveApi } from '../archive/api.ts';
import { openArchiveDirectory, type ArchiveDirectory } from '../archive/directory.ts';
import { startArchiveServer, type ArchiveServer } from '../archive/server.ts';
import { writeTinyArchive } from '../archive/test-archive.ts';
import { createMlbStatsClient } from './client.ts';
import { MlbStatsApiError } from './errors.ts';

const fast = { requestsPerSecond: 0, retryBaseDelayMs: 5, retryMaxDelayMs: 50, maxRetries: 0 };
const ALL = [1, 11, 12, 14, 16];

// The real client against the recorded-archive server over loopback: paging by totalSplits, and a server that caps.
describe('seasonStats paging against the archive server', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'afwd-client-paging-'));
  let archive: ArchiveDirectory;
  let honest: ArchiveServer;
  let capping: ArchiveServer;
  beforeAll(async () => {
    archive = openArchiveDirectory(writeTinyArchive(root).dir);
    honest = await startArchiveServer({ handler: createArchiveApi(archive), basePath: `/archive/${archive.id}` });
    capping = await startArchiveServer({
      handler: createArchiveApi(archive, { maxLimit: 2 }),
      basePath: `/archive/${archive.id}`,
    });
  });
  afterAll(async () => {
    await honest?.close();
    await capping?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("returns every split once, in the server's stable order, for any page size", async () => {
    const expected = (archive.splits(2006, 'hitting') ?? []).map((s) => s.raw);
    for (const pageSize of [1, 3, 8, 2000]) {
      const urls: string[] = [];
      const client = createMlbStatsClient({
        ...fast,
        baseUrl: honest.url,
        onResponse: (r) => {
          urls.push(r.url);
        },
      });
      expect(await client.seasonStats({ season: 2006, group: 'hitting', sportIds: ALL, pageSize })).toEqual(expected);
      // A page that exactly reaches totalSplits ends the paging: no extra empty request.
      expect(urls).toHaveLength(Math.ceil(expected.length / pageSize));
    }
  });

  it('detects a server that caps limit, reports it, and continues from what it sent instead of truncating', async () => {
    const capped: { asked: number; received: number; totalSplits: number }[] = [];
    const client = createMlbStatsClient({ ...fast, baseUrl: capping.url });
    const splits = await client.seasonStats({
      season: 2006,
      group: 'hitting',
      sportIds: ALL,
      pageSize: 5,
      onCappedPage: ({ asked, received, totalSplits }) => capped.push({ asked, received, totalSplits }),
    });
    expect(splits).toEqual((archive.splits(2006, 'hitting') ?? []).map((s) => s.raw));
    expect(capped).toEqual([
      { asked: 5, received: 2, totalSplits: 8 },
      { asked: 5, received: 2, totalSplits: 8 },
      { asked: 5, received: 2, totalSplits: 8 },
    ]);
    expect(client.requestCount()).toBe(4);
  });
});

describe('seasonStats against a server whose pages contradict totalSplits', () => {
  it('fails clearly on an empty page before the end, and on a total that changes', async () => {
    let total = 5;
    const server = createServer((req, res) => {
      const offset = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('offset'));
      const splits = offset === 0 ? [{ a: 1 }, { a: 2 }] : [];
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          stats: [{ group: { displayName: 'hitting' }, totalSplits: offset === 0 ? 5 : total, splits }],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const client = createMlbStatsClient({ ...fast, baseUrl: url });
      const empty = await client
        .seasonStats({ season: 2006, group: 'hitting', sportIds: [1], pageSize: 2 })
        .catch((e: unknown) => e);
      expect(empty).toBeInstanceOf(MlbStatsApiError);
      expect((empty as Error).message).toContain('totalSplits is 5 but the page at offset 2 is empty');
      total = 9;
      await expect(client.seasonStats({ season: 2006, group: 'hitting', sportIds: [1], pageSize: 2 })).rejects.toThrow(
        'totalSplits changed from 5 to 9',
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('seasonStats against a server that answers another stat type', () => {
  it('reports a page without a season container of the group as lost (onPageError), never as an empty list', async () => {
    // The second page answers only a career container: its lines are not there.
    const server = createServer((req, res) => {
      const offset = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('offset'));
      const type = offset === 2 ? 'career' : 'season';
      const splits = offset === 0 ? [{ a: 1 }, { a: 2 }] : offset === 2 ? [{ c: 1 }] : [];
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          stats: [{ type: { displayName: type }, group: { displayName: 'hitting' }, totalSplits: 3, splits }],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const client = createMlbStatsClient({ ...fast, baseUrl: url });
      const lost: string[] = [];
      const splits = await client.seasonStats({
        season: 2006,
        group: 'hitting',
        sportIds: [1],
        pageSize: 2,
        onPageError: (e) => {
          lost.push(e.message);
          return 'skip';
        },
      });
      expect(splits).toEqual([{ a: 1 }, { a: 2 }]);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toMatch(/offset=2: no hitting season container among the 1 the body holds \(hitting\/career\)$/);
      // Without onPageError the page fails the fetch.
      await expect(client.seasonStats({ season: 2006, group: 'hitting', sportIds: [1], pageSize: 2 })).rejects.toThrow(
        'no hitting season container',
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
