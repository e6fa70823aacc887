/**
 * infra/nginx/, the front of temporal-compose.yml, checked for real: the site's Content-Security-Policy against a
 * built fixture site (every inline script hashed, no inline style, Pagefind's WebAssembly allowed), `nginx -t` on the
 * configuration with a self-signed certificate, and that nginx run on loopback ports: HTTPS with HSTS and the CSP,
 * port 80 redirecting, the API proxied with its own CSP and one copy of each header, and Chromium browsing and
 * searching the site through it with no CSP violation. The nginx parts are skipped, saying why, when no nginx binary
 * is installed (Debian: apt-get install nginx-light); the browser part when Chromium is missing.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/config.ts';
import { buildSite } from '../site/build.ts';
import { FIXTURE_PATH } from '../site/test-fixtures/generate-snapshot.ts';
import { CHROMIUM_PATH, launchChromium } from '../test/browser.ts';
import { freePort } from '../test/ports.ts';

const NGINX_DIR = path.join(REPO_ROOT, 'infra/nginx');
const readNginx = (name: string) => readFileSync(path.join(NGINX_DIR, name), 'utf8');

/** The site's CSP, from site-csp.conf, as directive -> sources. */
function sitePolicy(): { header: string; directives: Map<string, string[]> } {
  const header = /add_header Content-Security-Policy "([^"]+)" always;/.exec(readNginx('site-csp.conf'))?.[1];
  if (!header) throw new Error('site-csp.conf: no Content-Security-Policy');
  const directives = new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name = '', ...sources]) => [name, sources]),
  );
  return { header, directives };
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => path.join(e.parentPath, e.name));
}

function nginxBinary(): string | undefined {
  for (const candidate of [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const NGINX = nginxBinary();
if (!NGINX)
  console.warn(
    'infra/nginx.test.ts: no nginx binary (apt-get install nginx-light, or set NGINX_PATH): nginx -t and the live checks are skipped',
  );
const CHROMIUM = existsSync(CHROMIUM_PATH);
if (NGINX && !CHROMIUM)
  console.warn(`infra/nginx.test.ts: no Chromium at ${CHROMIUM_PATH}: the browser check is skipped`);

let dir: string;
let siteDir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'afwd-nginx-test-'));
  // nginx's workers drop to an unprivileged user when the test runs as root: the folders must be readable to them.
  chmodSync(dir, 0o755);
  siteDir = path.join(dir, 'site');
  await buildSite({ snapshotPath: FIXTURE_PATH, outDir: siteDir, siteUrl: 'https://localhost' });
  execFileSync('chmod', ['-R', 'a+rX', siteDir]);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the site's Content-Security-Policy, against the built fixture site", () => {
  const { directives } = sitePolicy();
  const scriptSrc = directives.get('script-src') ?? [];

  it('allows every inline script by its hash, and no inline script it does not need', () => {
    const hashes = new Set<string>();
    for (const file of htmlFiles(siteDir)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
        hashes.add(`'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
      }
    }
    expect(hashes.size).toBeGreaterThan(0);
    for (const hash of hashes)
      expect(scriptSrc, `put ${hash} in infra/nginx/site-csp.conf's script-src`).toContain(hash);
    expect(scriptSrc.filter((s) => s.startsWith("'sha256-"))).toEqual([...hashes]);
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
  });

  it('needs no inline style, event-handler attribute or resource of another origin', () => {
    expect(directives.get('style-src')).toEqual(["'self'"]);
    for (const file of htmlFiles(siteDir)) {
      const html = readFileSync(file, 'utf8');
      const name = path.relative(siteDir, file);
      expect(html, name).not.toMatch(/<style\b/);
      expect(html, name).not.toMatch(/\sstyle=/);
      expect(html, name).not.toMatch(/<[a-z][^>]*\son[a-z]+=/);
      for (const m of html.matchAll(
        /<(?:script|img|iframe|source)\b[^>]*\bsrc="([^"]+)"|<link\b[^>]*\bhref="([^"]+)"/g,
      )) {
        const url = m[1] ?? m[2]!;
        if (/rel="canonical"/.test(m[0])) continue;
        expect(url, `${name}: ${m[0]}`).toMatch(/^\/(?!\/)/);
      }
    }
    for (const css of readdirSync(path.join(siteDir, '_astro')).filter((f) => f.endsWith('.css'))) {
      const text = readFileSync(path.join(siteDir, '_astro', css), 'utf8');
      expect(text, css).not.toMatch(/@font-face|@import|url\((?!["']?\/)/);
    }
  });

  it('lets Pagefind compile its WebAssembly in its worker, the service worker run, and scripts reach the API', () => {
    expect(readdirSync(path.join(siteDir, 'pagefind')).some((f) => f.startsWith('wasm.'))).toBe(true);
    expect(readFileSync(path.join(siteDir, 'pagefind/pagefind.js'), 'utf8')).toContain('pagefind-worker.js');
    expect(scriptSrc).toContain("'wasm-unsafe-eval'");
    expect(directives.get('worker-src')).toEqual(["'self'"]);
    expect(existsSync(path.join(siteDir, 'sw.js'))).toBe(true);
    // The account pages call the API on this origin.
    expect(readFileSync(path.join(siteDir, 'session.js'), 'utf8')).toContain("const API = '/api/v1';");
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
  });
});

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  raw: string[];
  body: string;
  protocol?: string | null;
}

function count(reply: Reply, header: string): number {
  return reply.raw.filter((_, i) => i % 2 === 0 && reply.raw[i]!.toLowerCase() === header.toLowerCase()).length;
}

describe.skipIf(!NGINX)('nginx with infra/nginx/site.conf', () => {
  let ports: { http: number; https: number; api: number };
  let certs: string;
  let nginx: ChildProcess | undefined;
  let api: Server;
  let forwarded: IncomingMessage['headers'] | undefined;

  /**
   * infra/nginx/ with this machine's paths and loopback ports (a copy of each file); `upstream` also points the API at
   * the stand-in. Each replaced piece must be found, so a reshaped config fails here rather than go unchecked.
   */
  function testConfig(upstream: boolean, source = NGINX_DIR): string {
    const name = `${upstream ? 'live' : 'syntax'}-${path.basename(path.dirname(source))}`;
    const copy = path.join(dir, `${name}-afwd`);
    mkdirSync(copy, { recursive: true });
    const paths: [RegExp, string][] = [
      [/\/etc\/nginx\/afwd\//g, `${copy}/`],
      [/\/etc\/nginx\/certs\//g, `${certs}/`],
    ];
    for (const file of readdirSync(source).filter((f) => f.endsWith('.conf'))) {
      let text = readFileSync(path.join(source, file), 'utf8');
      for (const [from, to] of paths) text = text.replace(from, to);
      if (file === 'site.conf') {
        const sitePieces: [string, string][] =
          source === NGINX_DIR
            ? [
                ['root /data/site/current;', `root ${siteDir};`],
                ['listen 80;', `listen 127.0.0.1:${ports.http};`],
                ['listen 443 ssl http2;', `listen 127.0.0.1:${ports.https} ssl http2;`],
                ...(upstream
                  ? [['set $api http://api:8321;', `set $api http://127.0.0.1:${ports.api};`] as [string, string]]
                  : []),
              ]
            : [
                ['root /data/site/current;', `root ${siteDir};`],
                ['listen 8080;', `listen 127.0.0.1:${ports.http};`],
              ];
        for (const [from, to] of sitePieces) {
          expect(text.includes(from), `site.conf no longer has ${from}`).toBe(true);
          text = text.replace(from, to);
        }
      }
      writeFileSync(path.join(copy, file), text);
    }
    const version = spawnSync(NGINX!, ['-V'], { encoding: 'utf8' });
    const confPath = /--conf-path=(\S+)/.exec(`${version.stdout}${version.stderr}`)?.[1];
    const mimeTypes = path.join(path.dirname(confPath ?? '/etc/nginx/nginx.conf'), 'mime.types');
    const temp = path.join(dir, `${name}-temp`);
    mkdirSync(temp, { recursive: true });
    // As the stock nginx.conf of the nginx image: mime types, then the site's server blocks.
    const main = `worker_processes 1;
pid ${dir}/${name}.pid;
error_log ${dir}/${name}-error.log warn;
events { worker_connections 64; }
http {
  include ${mimeTypes};
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  include ${copy}/site.conf;
}
`;
    const file = path.join(dir, `${name}-nginx.conf`);
    writeFileSync(file, main);
    return file;
  }

  function get(pathname: string, options: { tls?: boolean; port?: number } = {}): Promise<Reply> {
    const tls = options.tls ?? true;
    return new Promise((resolve, reject) => {
      const send = tls ? request : httpRequest;
      const req = send(
        {
          host: '127.0.0.1',
          port: options.port ?? (tls ? ports.https : ports.http),
          path: pathname,
          headers: { host: 'localhost' },
          ...(tls ? { ca: readFileSync(path.join(certs, 'fullchain.pem')), servername: 'localhost' } : {}),
        },
        (res) => {
          // Read now: the socket is detached from the response once it ends.
          const protocol = tls ? (res.socket as TLSSocket).getProtocol() : undefined;
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              headers: res.headers,
              raw: res.rawHeaders,
              body,
              protocol,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  beforeAll(async () => {
    ports = { http: await freePort(), https: await freePort(), api: await freePort() };
    certs = path.join(dir, 'certs');
    mkdirSync(certs);
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        path.join(certs, 'privkey.pem'),
        '-out',
        path.join(certs, 'fullchain.pem'),
      ],
      { stdio: 'ignore' },
    );
    chmodSync(certs, 0o755);

    // A stand-in API sending the headers the real one does (api/middleware/security-headers.ts).
    api = createServer((req, res) => {
      forwarded = req.headers;
      res
        .writeHead(200, {
          'content-type': 'application/json',
          'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
          'strict-transport-security': 'max-age=31536000; includeSubDomains',
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          'referrer-policy': 'no-referrer',
        })
        .end(JSON.stringify({ path: req.url }));
    });
    await new Promise<void>((resolve) => api.listen(ports.api, '127.0.0.1', resolve));

    const conf = testConfig(true);
    nginx = spawn(NGINX!, ['-c', conf, '-p', dir, '-e', path.join(dir, 'live-error.log'), '-g', 'daemon off;'], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await get('/nginx-health', { tls: false });
        break;
      } catch (error) {
        if (nginx.exitCode !== null || Date.now() > deadline) {
          throw new Error(
            `nginx did not start (${String(error)}): ${readFileSync(path.join(dir, 'live-error.log'), 'utf8')}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx!.on('exit', resolve));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await new Promise((resolve) => (api ? api.close(resolve) : resolve(undefined)));
  });

  /** `nginx -t`: its report, and its exit status (0 when the configuration is valid). */
  function nginxTest(conf: string): { status: number | null; report: string } {
    const result = spawnSync(NGINX!, ['-t', '-c', conf, '-p', dir, '-e', path.join(dir, 'syntax-error.log')], {
      encoding: 'utf8',
    });
    return { status: result.status, report: `${result.stdout}${result.stderr}` };
  }

  it('passes `nginx -t` with a self-signed certificate, as written (only paths and ports moved)', () => {
    const { status, report } = nginxTest(testConfig(false));
    expect(report).toContain('syntax is ok');
    expect(report).toContain('test is successful');
    expect(status, report).toBe(0);
  });

  it('passes `nginx -t` with the Kubernetes site configuration too (k8s/nginx/)', () => {
    const { status, report } = nginxTest(testConfig(false, path.join(REPO_ROOT, 'k8s/nginx')));
    expect(report).toContain('test is successful');
    expect(status, report).toBe(0);
  });

  it('serves the site over HTTPS with HSTS, the CSP and the other security headers', async () => {
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(home.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(home.body).toContain('<h1');
    expect(home.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(home.headers['content-security-policy']).toBe(sitePolicy().header);
    expect(home.headers['x-content-type-options']).toBe('nosniff');
    expect(home.headers['x-frame-options']).toBe('DENY');
    expect(home.headers.server).toBe('nginx');

    const css = readdirSync(path.join(siteDir, '_astro')).find((f) => f.endsWith('.css'))!;
    const asset = await get(`/_astro/${css}`);
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toMatch(/max-age=\d{8,}/);
    expect(asset.headers['content-security-policy']).toBe(sitePolicy().header);
    const sw = await get('/sw.js');
    expect(sw.headers['cache-control']).toBe('no-cache');
    expect(sw.headers['strict-transport-security']).toBeDefined();

    const missing = await get('/no-such-page/');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('Page not found');
    expect(missing.headers['content-security-policy']).toBe(sitePolicy().header);
  });

  it('answers plain HTTP only with a redirect to HTTPS', async () => {
    const redirect = await get('/prospects/?sort=age', { tls: false });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('https://localhost/prospects/?sort=age');
    const api = await get('/api/v1/prospects', { tls: false });
    expect(api.status).toBe(301);
    expect(forwarded).toBeUndefined();
  });

  it('proxies /api/ and /.well-known/ to the API, keeping its CSP and sending each security header once', async () => {
    const reply = await get('/api/v1/prospects?limit=5');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ path: '/api/v1/prospects?limit=5' });
    expect(reply.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    for (const header of [
      'Strict-Transport-Security',
      'X-Content-Type-Options',
      'X-Frame-Options',
      'Referrer-Policy',
      'Content-Security-Policy',
    ]) {
      expect(count(reply, header), header).toBe(1);
    }
    expect(reply.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(forwarded?.['x-forwarded-for']).toBe('127.0.0.1');
    expect(forwarded?.['x-forwarded-proto']).toBe('https');
    expect(forwarded?.host).toBe('localhost');
    const jwks = await get('/.well-known/jwks.json');
    expect(JSON.parse(jwks.body)).toEqual({ path: '/.well-known/jwks.json' });
  });

  it.skipIf(!CHROMIUM)('lets Chromium browse and search the site through it with no CSP violation', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      // Runs in the page (the project compiles without the DOM library, hence the loose types).
      await context.addInitScript(() => {
        const page = globalThis as unknown as {
          cspViolations: string[];
          addEventListener: (
            type: string,
            listener: (event: { violatedDirective: string; blockedURI: string }) => void,
          ) => void;
        };
        page.cspViolations = [];
        page.addEventListener('securitypolicyviolation', (event) =>
          page.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`),
        );
      });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (msg) => {
        if (/Content Security Policy|Refused to/.test(msg.text())) problems.push(msg.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      const base = `https://localhost:${ports.https}`;
      for (const pathname of ['/', '/methodology/', '/compare/', '/account/', '/movers/']) {
        await page.goto(`${base}${pathname}`);
        await page.waitForLoadState('networkidle');
        expect(
          await page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations),
          pathname,
        ).toEqual([]);
      }
      // Search: search.js shows the box, Pagefind loads its worker and compiles its WebAssembly.
      await page.goto(`${base}/`);
      await page.getByLabel('Search prospects').fill('quintr');
      await page.locator('[data-search-results] a', { hasText: 'Tobias Quintrell' }).waitFor({ timeout: 15_000 });
      // A script's call to the API on this origin (connect-src 'self').
      const status = await page.evaluate(async () => (await fetch('/api/v1/prospects')).status);
      expect(status).toBe(200);
      expect(await page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations)).toEqual(
        [],
      );
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});
