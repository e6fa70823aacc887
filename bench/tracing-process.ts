/**
 * One mode of the tracing benchmark (bench/tracing.ts), in a process of its own: OpenTelemetry's global tracer
 * provider, once set, stays for the process, so "not set up" and "set up" cannot share one. Times 100,000 in-process
 * requests (`app.request`, no socket) of a trivial route behind api/middleware/tracing.ts and prints one JSON line.
 */
import { createServer } from 'node:http';
import { Hono } from 'hono';
import { requestTracing } from '../api/middleware/tracing.ts';
import { loadConfig } from '../lib/config.ts';
import { initTracing } from '../lib/tracing.ts';

export const TRACING_MODES = ['none', 'noop', 'spans', 'export'] as const;
export type TracingMode = (typeof TRACING_MODES)[number];

const REQUESTS = 100_000;
const WARM_UP = 5_000;

function build(withTracing: boolean) {
  const app = new Hono();
  if (withTracing) app.use('*', requestTracing());
  app.use('*', async (_c, next) => {
    await next();
  });
  app.get('/api/v1/prospects/:id', (c) => c.json({ id: c.req.param('id') }));
  return app;
}

async function run(app: Hono): Promise<{ wallUs: number; cpuUs: number }> {
  for (let i = 0; i < WARM_UP; i++) await app.request(`/api/v1/prospects/${i}`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < REQUESTS; i++) await app.request(`/api/v1/prospects/${i}`);
  const wallUs = ((performance.now() - started) * 1000) / REQUESTS;
  const used = process.cpuUsage(cpu);
  return { wallUs, cpuUs: (used.user + used.system) / REQUESTS };
}

async function main(mode: string): Promise<void> {
  if (!(TRACING_MODES as readonly string[]).includes(mode))
    throw new Error(`mode must be one of ${TRACING_MODES.join(', ')}, got "${mode}"`);
  if (mode === 'none' || mode === 'noop') {
    console.log(JSON.stringify({ mode, ...(await run(build(mode === 'noop'))) }));
    return;
  }
  if (mode === 'spans') {
    initTracing({ serviceName: 'bench', config: loadConfig({}) });
    console.log(JSON.stringify({ mode, ...(await run(build(true))) }));
    return;
  }
  // A loopback collector that accepts every OTLP/HTTP POST.
  let posts = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      posts++;
      res.end('{}');
    });
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as { port: number }).port;
  const tracing = initTracing({
    serviceName: 'bench',
    config: loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` }),
  });
  try {
    const figures = await run(build(true));
    await tracing.shutdown();
    console.log(JSON.stringify({ mode, ...figures, posts }));
  } finally {
    server.close();
  }
}

if (import.meta.main) await main(process.argv[2] ?? '');
