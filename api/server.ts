/**
 * Serves the API over HTTP (@hono/node-server) and shuts it down gracefully: on close it stops accepting
 * connections and answers /readyz with 503, lets in-flight requests finish within API_SHUTDOWN_GRACE_MS, then cuts
 * whatever connections remain, and only then closes Redis, the publication listener and the pool, and flushes the log.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Config } from '../lib/config.ts';
import type { Pool } from '../lib/db.ts';
import { flushLogger, type Logger } from '../lib/log.ts';
import { API_PREFIX, createApp } from './app.ts';
import { buildApiDeps, type BuiltApiDeps } from './deps.ts';
import type { ApiEnv, TemporalHandle } from './env.ts';
import { startDraining } from './lifecycle.ts';
import { DOCS_PATH } from './openapi.ts';

export interface ApiServer {
  /** Where the server listens, e.g. http://127.0.0.1:8321. */
  url: string;
  apiUrl: string;
  docsUrl: string;
  deps: BuiltApiDeps;
  /** Graceful shutdown; resolves when everything is closed. Idempotent. */
  close(): Promise<void>;
}

export interface StartApiServerOptions {
  /** A pool to serve from (the caller closes it); otherwise one is made from config.databaseUrl with the API's settings. */
  pool?: Pool;
  /** Temporal for the routes that start or signal workflows (the caller closes the client). */
  temporal?: TemporalHandle | null;
  /** Adds routes after the app is built (tests: a deliberately slow route). */
  extend?: (app: OpenAPIHono<ApiEnv>, deps: BuiltApiDeps) => void;
}

/**
 * Connections the kernel may hold complete but not yet accepted. Node's default (511) overflowed under a burst of
 * 1,000 connections (ListenOverflows); the kernel caps it at net.core.somaxconn (4096 on current kernels).
 */
export const LISTEN_BACKLOG = 2048;

function urlOf(address: AddressInfo): string {
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

export async function startApiServer(
  config: Config,
  log: Logger,
  options: StartApiServerOptions = {},
): Promise<ApiServer> {
  const deps = await buildApiDeps(config, { pool: options.pool, log, temporal: options.temporal });
  const app = createApp(deps);
  options.extend?.(app, deps);

  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      // createAdaptorServer and listen() ourselves: hono's serve() passes no backlog.
      const s = createAdaptorServer({ fetch: app.fetch, hostname: config.api.host }) as Server;
      s.once('error', reject);
      s.listen({ port: config.api.port, host: config.api.host, backlog: LISTEN_BACKLOG }, () => resolve(s));
    });
  } catch (error) {
    await deps.close();
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE')
      throw new Error(
        `API_PORT ${config.api.port} is already in use on ${config.api.host}: stop what holds it or set API_PORT.`,
        { cause: error },
      );
    throw error;
  }

  let inFlight = 0;
  let closing = false;
  let idle: (() => void) | undefined;
  server.on('request', (_req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      // While closing, a keep-alive connection that just finished its request would otherwise linger.
      if (closing) server.closeIdleConnections();
      if (inFlight === 0) idle?.();
    });
  });

  const url = urlOf(server.address() as AddressInfo);
  log.info({ url }, 'API listening');

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      closing = true;
      startDraining(deps);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        log.info({ inFlight, graceMs: config.api.shutdownGraceMs }, 'API draining: waiting for in-flight requests');
        const drained = new Promise<void>((resolve) => (idle = resolve));
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<'timeout'>(
          (resolve) => (timer = setTimeout(() => resolve('timeout'), config.api.shutdownGraceMs)),
        );
        const outcome = await Promise.race([drained, grace]);
        clearTimeout(timer);
        if (outcome === 'timeout')
          log.warn({ inFlight }, 'API shutdown grace elapsed: closing the remaining connections');
      }
      server.closeAllConnections();
      await stopped;
      await deps.close();
      log.info('API stopped');
      // The access log may be asynchronous (lib/log.ts): its last lines are written before close resolves.
      await flushLogger(log);
    })();
    return closed;
  };

  return { url, apiUrl: `${url}${API_PREFIX}`, docsUrl: `${url}${DOCS_PATH}`, deps, close };
}
