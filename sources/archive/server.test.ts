import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchiveApi } from './api.ts';
import { openArchiveDirectory } from './directory.ts';
import { startArchiveServer, type ArchiveServer } from './server.ts';
import { writeTinyArchive } from './test-archive.ts';

describe('archive server (loopback)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'afwd-archive-server-'));
  let server: ArchiveServer;
  beforeAll(async () => {
    const archive = openArchiveDirectory(writeTinyArchive(root).dir);
    server = await startArchiveServer({ handler: createArchiveApi(archive), basePath: `/archive/${archive.id}` });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers under its base path, which names the archive, and 404 outside it', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/archive\/[0-9a-f]{12}$/);
    const ok = await fetch(`${server.url}/api/v1/teams?sportIds=1&season=2005`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('application/json');
    expect(((await ok.json()) as { teams: unknown[] }).teams).toHaveLength(2);
    const origin = new URL(server.url).origin;
    const outside = await fetch(`${origin}/api/v1/teams?sportIds=1&season=2005`);
    expect(outside.status).toBe(404);
    expect(await outside.text()).toContain('this server answers under /archive/');
    expect((await fetch(`${server.url}/api/v1/nothing`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/stats?stats=season&group=hitting&season=x&playerPool=All`)).status).toBe(
      400,
    );
    expect(server.requestCount()).toBe(4);
  });

  it('reports a handler failure as a 500 with its message, and a port in use clearly', async () => {
    const failing = await startArchiveServer({
      handler: () => {
        throw new Error('disk gone');
      },
    });
    try {
      const r = await fetch(`${failing.url}/api/v1/stats`);
      expect(r.status).toBe(500);
      expect(await r.text()).toContain('disk gone');
      const port = Number(new URL(failing.url).port);
      await expect(startArchiveServer({ handler: () => ({ status: 200, body: {} }), port })).rejects.toThrow(
        `port ${port} on 127.0.0.1 is already in use`,
      );
    } finally {
      await failing.close();
    }
  });
});
