/**
 * Minimal static file server for a built site; resolves the root per request so a symlink switch goes live at once.
 * With `apiUrl` it also forwards the API's paths (api-proxy.ts), so the account pages and the API share an origin.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { createApiProxy, isApiPath, type ApiProxy } from './api-proxy.ts';

export interface ServeSiteOptions {
  /** The built site folder, or a function returning it (e.g. a `current` symlink re-read per request). */
  root: string | (() => string | Promise<string>);
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /**
   * The premium API's origin, e.g. http://127.0.0.1:8321: /api/* and /.well-known/* are forwarded there, so the
   * account pages call it on their own origin. @default none (those paths are 404s, as on a plain static host)
   */
  apiUrl?: string;
}

export interface SiteServer {
  url: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  // Pagefind's index chunks are its own gzip-compressed binary format, fetched and decoded by pagefind.js.
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};

// Text only: images and Pagefind's files are already compressed.
const COMPRESSIBLE = new Set(['.html', '.css', '.js', '.mjs', '.json', '.webmanifest', '.txt', '.xml', '.svg']);

export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

const isInside = (path: string, dir: string): boolean => {
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
};

const STATUS_TEXT: Record<number, string> = { 400: 'Bad request', 404: 'Not found', 503: 'Site not available' };

class HttpError extends Error {
  readonly status: number;
  constructor(status: number) {
    super(String(status));
    this.status = status;
  }
}

/** The request URL and its path segments, refusing anything that could climb out of the root. */
function parseRequestUrl(rawUrl: string): { url: URL; segments: string[] } {
  let url: URL;
  let pathname: string;
  try {
    url = new URL(rawUrl, 'http://localhost');
    pathname = decodeURIComponent(url.pathname);
  } catch {
    throw new HttpError(400);
  }
  // WHATWG URL parsing already folds plain "/../"; this catches encoded ones (%2e%2e, %2f, %5c) and NUL bytes.
  const segments = pathname.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || s.includes('\\') || s.includes('\0'))) throw new HttpError(400);
  return { url, segments };
}

type Found = { redirect: true } | { redirect: false; file: string; size: number; mtimeMs: number };

async function resolveFile(root: string, segments: string[], endsWithSlash: boolean): Promise<Found> {
  let file = join(root, ...segments);
  let info;
  try {
    // realpath so a symlink inside the site cannot expose files outside it.
    file = await realpath(file);
    info = await stat(file);
  } catch {
    throw new HttpError(404);
  }
  if (!isInside(file, root)) throw new HttpError(404);
  if (info.isDirectory()) {
    // Without the slash, the page's relative URLs would resolve against the parent folder.
    if (!endsWithSlash) return { redirect: true };
    return resolveFile(root, [...segments, 'index.html'], false);
  }
  if (!info.isFile()) throw new HttpError(404);
  return { redirect: false, file, size: info.size, mtimeMs: info.mtimeMs };
}

async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  status: number,
  size: number,
  mtimeMs: number,
  immutable = false,
) {
  const ext = extname(file).toLowerCase();
  const etag = `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
  res.setHeader('Content-Type', contentType(file));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (status === 200) {
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304).end();
      return;
    }
  }
  const gzip = COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (COMPRESSIBLE.has(ext)) res.setHeader('Vary', 'Accept-Encoding');
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  else res.setHeader('Content-Length', size);
  res.writeHead(status);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const source = createReadStream(file);
  await (gzip ? pipeline(source, createGzip(), res) : pipeline(source, res));
}

async function handle(req: IncomingMessage, res: ServerResponse, getRoot: () => Promise<string>, proxy?: ApiProxy) {
  if (proxy) {
    let url: URL | undefined;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      // A malformed URL is answered (400) below.
    }
    // The normalised path: "/site/../api/x" is the API's, "/api/../x" is not.
    if (url && isApiPath(url.pathname)) return proxy.forward(req, res, `${url.pathname}${url.search}`);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
    return;
  }
  let root: string | undefined;
  try {
    const { url, segments } = parseRequestUrl(req.url ?? '/');
    try {
      root = await getRoot();
    } catch {
      // No release published yet (or the symlink points nowhere): a deployment state, not a missing page.
      throw new HttpError(503);
    }
    const found = await resolveFile(root, segments, url.pathname.endsWith('/'));
    if (found.redirect) {
      // Rebuilt from the checked segments: echoing url.pathname could yield "//host/", an open redirect.
      const location = `/${segments.map(encodeURIComponent).join('/')}/${url.search}`;
      res.writeHead(301, { Location: location }).end();
      return;
    }
    // Only Astro's /_astro/ files carry content hashes; everything else must be revalidated after a release switch.
    await sendFile(req, res, found.file, 200, found.size, found.mtimeMs, segments[0] === '_astro');
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status = error instanceof HttpError ? error.status : 500;
    if (status === 404 && root) {
      const notFound = join(root, '404.html');
      const info = await stat(notFound).catch(() => undefined);
      if (info?.isFile()) {
        await sendFile(req, res, notFound, 404, info.size, info.mtimeMs);
        return;
      }
    }
    res
      .writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
      .end(`${STATUS_TEXT[status] ?? 'Internal server error'}\n`);
  }
}

export function serveSite({ root, port = 0, host = '127.0.0.1', apiUrl }: ServeSiteOptions): Promise<SiteServer> {
  const getRoot = async () => realpath(typeof root === 'function' ? await root() : root);
  const proxy = apiUrl ? createApiProxy(apiUrl) : undefined;
  const server = createServer((req, res) => {
    handle(req, res, getRoot, proxy).catch(() => res.destroy());
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const { port: actualPort } = server.address() as AddressInfo;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolveServer({
        url: `http://${urlHost}:${actualPort}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            proxy?.close();
            // Browsers hold keep-alive connections open; without this close() would wait for them to time out.
            server.closeAllConnections();
          }),
      });
    });
  });
}
