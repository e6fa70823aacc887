// Tests for the static file server: content types, directories, 404 page, traversal, gzip and symlink switches.
import { request } from 'node:http';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveSite, type SiteServer } from './serve.ts';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http instead of fetch: fetch normalises "/../" away before it is ever sent. */
function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveSite', () => {
  let dir: string;
  let site: string;
  let server: SiteServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'afwd-serve-test-'));
    site = join(dir, 'site');
    const files: Record<string, string> = {
      'index.html': '<!doctype html><title>home</title>',
      '404.html': '<!doctype html><title>missing</title>',
      'prospects/jo-smith/index.html': '<!doctype html><title>Jo Smith</title>',
      'style.css': 'body{}',
      'search.js': 'export {};',
      'data.json': '{}',
      'mod.wasm': '\0asm',
      'logo.svg': '<svg/>',
      'logo.png': 'png',
      'site.webmanifest': '{}',
      'pagefind/pagefind.en_1.pf_meta': 'm',
      'pagefind/index/en_1.pf_index': 'i',
      'pagefind/fragment/en_1.pf_fragment': 'f',
      'pagefind/wasm.en.pagefind': 'w',
      '_astro/app.abc123.css': 'a{}',
    };
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(site, path, '..'), { recursive: true });
      await writeFile(join(site, path), content);
    }
    await writeFile(join(dir, 'secret.txt'), 'secret');
    await symlink(join(dir, 'secret.txt'), join(site, 'leak.txt'));
    server = await serveSite({ root: site });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html for the root and for directories', async () => {
    const home = await get(server.url, '/');
    expect(home.status).toBe(200);
    expect(home.body.toString()).toContain('home');
    const page = await get(server.url, '/prospects/jo-smith/');
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('Jo Smith');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('redirects a directory without its trailing slash, keeping the query', async () => {
    const res = await get(server.url, '/prospects/jo-smith?x=1');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/prospects/jo-smith/?x=1');
  });

  it('sends the right content types', async () => {
    const expected: Record<string, string> = {
      '/style.css': 'text/css; charset=utf-8',
      '/search.js': 'text/javascript; charset=utf-8',
      '/data.json': 'application/json; charset=utf-8',
      '/mod.wasm': 'application/wasm',
      '/logo.svg': 'image/svg+xml',
      '/logo.png': 'image/png',
      '/site.webmanifest': 'application/manifest+json; charset=utf-8',
      '/pagefind/pagefind.en_1.pf_meta': 'application/octet-stream',
      '/pagefind/index/en_1.pf_index': 'application/octet-stream',
      '/pagefind/fragment/en_1.pf_fragment': 'application/octet-stream',
      '/pagefind/wasm.en.pagefind': 'application/octet-stream',
    };
    for (const [path, type] of Object.entries(expected)) {
      const res = await get(server.url, path);
      expect([path, res.status, res.headers['content-type']]).toEqual([path, 200, type]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await get(server.url, '/_astro/app.abc123.css')).headers['cache-control']).toContain('immutable');
    expect((await get(server.url, '/style.css')).headers['cache-control']).toBe('no-cache');
  });

  it('answers unknown paths with 404.html and a 404 status', async () => {
    const res = await get(server.url, '/prospects/nobody/');
    expect(res.status).toBe(404);
    expect(res.body.toString()).toContain('missing');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('falls back to plain text when there is no 404.html', async () => {
    const bare = await mkdtemp(join(dir, 'bare-'));
    const other = await serveSite({ root: bare });
    try {
      const res = await get(other.url, '/nope');
      expect(res.status).toBe(404);
      expect(res.body.toString()).toBe('Not found\n');
    } finally {
      await other.close();
    }
  });

  it('never serves files outside the root', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/prospects/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/a%00b',
      '/%E0%A4%A',
    ]) {
      const res = await get(server.url, path);
      expect([path, res.status]).toEqual([path, expect.toSatisfy((s: number) => s === 400 || s === 404)]);
      expect(res.body.toString()).not.toContain('secret');
    }
    const viaSymlink = await get(server.url, '/leak.txt');
    expect(viaSymlink.status).toBe(404);
    expect(viaSymlink.body.toString()).not.toContain('secret');
  });

  it('gzips text when asked, supports HEAD and conditional requests, refuses other methods', async () => {
    const zipped = await get(server.url, '/search.js', { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString()).toBe('export {};');
    const binary = await get(server.url, '/pagefind/pagefind.en_1.pf_meta', { 'accept-encoding': 'gzip' });
    expect(binary.headers['content-encoding']).toBeUndefined();

    const head = await get(server.url, '/style.css', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('6');
    expect(head.body.length).toBe(0);

    const etag = String(head.headers.etag);
    expect((await get(server.url, '/style.css', { 'if-none-match': etag })).status).toBe(304);
    expect((await get(server.url, '/style.css', {}, 'POST')).status).toBe(405);
  });

  it('picks up a symlink switch on the next request', async () => {
    for (const name of ['release-a', 'release-b']) {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'index.html'), name);
    }
    const current = join(dir, 'current');
    await symlink(join(dir, 'release-a'), current);
    const switching = await serveSite({ root: () => current });
    try {
      expect((await get(switching.url, '/')).body.toString()).toBe('release-a');
      // Atomic switch, the way a deploy would do it.
      await symlink(join(dir, 'release-b'), `${current}.next`);
      await rename(`${current}.next`, current);
      expect((await get(switching.url, '/')).body.toString()).toBe('release-b');
    } finally {
      await switching.close();
    }
  });

  it('reports 503 while the root does not exist', async () => {
    const missing = await serveSite({ root: join(dir, 'not-yet') });
    try {
      expect((await get(missing.url, '/')).status).toBe(503);
    } finally {
      await missing.close();
    }
  });
});
