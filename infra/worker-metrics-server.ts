/**
 * The worker's one metrics endpoint on METRICS_ADDRESS: `GET /metrics` is Temporal core's exposition (`temporal_*`,
 * fetched from its internal loopback exporter) followed by the application registry's (`afwd_*`,
 * infra/worker-metrics.ts); `GET /healthz` answers 200 `ok` while the worker runs, 503 otherwise.
 */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from '../lib/log.ts';

/** Longest a scrape waits for core's exporter (it answers from memory, in milliseconds). */
const CORE_FETCH_TIMEOUT_MS = 2_000;

export interface WorkerMetricsServer {
  /** http://host:port of the endpoint. */
  url: string;
  close(): Promise<void>;
}

export interface WorkerMetricsServerOptions {
  /** host:port (METRICS_ADDRESS); port 0 picks a free one. */
  address: string;
  registry: Registry;
  /** Temporal core's exporter (installTemporalRuntime's answer); null: only the application's metrics are served. */
  coreMetricsUrl: string | null;
  /** True while the worker runs (polls its task queue). */
  healthy: () => boolean;
  log: Logger;
}

/** Splits `host:port` (IPv6 hosts in brackets) and rejects anything else with a message that names it. */
export function parseAddress(address: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:\s]+):(\d+)$/.exec(address);
  const port = Number(m?.[2]);
  if (!m || !Number.isInteger(port) || port > 65_535)
    throw new RangeError(`METRICS_ADDRESS "${address}" must look like host:port (e.g. 127.0.0.1:9464)`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** Core's exposition, or '' (logged) when its exporter does not answer: the application's metrics still go out. */
async function coreExposition(url: string, log: Logger): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(CORE_FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const text = await response.text();
    return text.endsWith('\n') || text === '' ? text : `${text}\n`;
  } catch (error) {
    log.warn({ err: error, url }, 'Temporal core metrics unavailable: serving the application metrics alone');
    return '';
  }
}

export async function startWorkerMetricsServer(options: WorkerMetricsServerOptions): Promise<WorkerMetricsServer> {
  const { registry, coreMetricsUrl, healthy, log } = options;
  const { host, port } = parseAddress(options.address);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    } else if (path === '/healthz') {
      const ok = healthy();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok\n' : 'worker not running\n');
    } else if (path === '/metrics') {
      Promise.all([coreMetricsUrl ? coreExposition(coreMetricsUrl, log) : '', registry.metrics()]).then(
        ([core, app]) => res.writeHead(200, { 'content-type': registry.contentType }).end(core + app),
        (error: unknown) => {
          log.error({ err: error }, 'metrics scrape failed');
          res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
        },
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as { port: number };
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound.port}`;
  log.info({ url: `${url}/metrics` }, 'worker metrics listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
