import { fileURLToPath } from 'node:url';
import { SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { DEMO_SECRET_ID } from '../fantrax/local-world.ts';
import { formatKeyring, generateKey } from '../fantrax/secret-box.ts';
import { createLogger } from '../lib/log.ts';
import { initTracing, type Tracing } from '../lib/tracing.ts';
import { seedPublishedWorld } from '../test/api-fixture.ts';
import { createTestApi, type TestApi } from '../test/api.ts';
import { createUser, type TestUser } from '../test/api-users.ts';
import { startEmptyFantraxServer } from '../test/fantrax.ts';
import { createPipelineWorker } from './pipeline-worker.ts';
import { createTemporalClient } from './temporal-client.ts';
import { installTemporalRuntime } from './temporal-runtime.ts';
import { workerTracing } from './worker-tracing.ts';

// One trace from an API request to the activities of the workflow it starts: the real app (in-process), the production
// Temporal client and pipeline worker (same interceptors as `npm start`), the run's Temporal server and a real
// database; spans land in memory, log lines in arrays.
describe('tracing end to end', () => {
  const memory = new InMemorySpanExporter();
  const apiLines: Record<string, unknown>[] = [];
  const workerLines: Record<string, unknown>[] = [];
  const capture = (into: Record<string, unknown>[]) => ({
    write: (line: string) => into.push(JSON.parse(line) as Record<string, unknown>),
  });
  // One worker logger for the file: Temporal's runtime logger (workflow log lines) is installed once per process.
  const workerLog = createLogger({ level: 'info', name: 'worker', destination: capture(workerLines) });
  let tracing: Tracing;
  let api: TestApi;
  let fantrax: Awaited<ReturnType<typeof startEmptyFantraxServer>>;
  let connection: Connection;
  let premium: TestUser;

  beforeAll(async () => {
    // Before any client or worker exists, as the entry points do.
    tracing = initTracing({
      serviceName: 'afwd-e2e',
      config: { tracing: { otlpTracesUrl: undefined, otlpHeaders: {}, serviceName: undefined } },
      spanProcessors: [new SimpleSpanProcessor(memory)],
    });
    fantrax = await startEmptyFantraxServer();
    api = await createTestApi({
      env: { FANTRAX_API_URL: fantrax.url, FANTRAX_SECRET_KEYS: formatKeyring({ keys: [generateKey('k1')] }) },
    });
    await seedPublishedWorld(api.deps.pool);
    await fantrax.populate(api.deps.pool);
    premium = await createUser(api, 'premium');
    connection = await Connection.connect({ address: inject('temporalAddress') });
    installTemporalRuntime(workerLog);
  });
  afterAll(async () => {
    await connection?.close();
    await api?.close();
    await fantrax?.close();
    await tracing?.shutdown();
  });

  it('links the request, StartWorkflow, RunWorkflow, StartActivity and RunActivity in one trace, and stamps its id on the log lines', async () => {
    const taskQueue = `tracing-${Date.now()}-${Math.random()}`;
    const client = createTemporalClient({ connection, namespace: 'default' });
    const app = createApp({
      ...api.deps,
      log: createLogger({ level: 'info', name: 'api', destination: capture(apiLines) }),
      temporal: { client, taskQueue },
    });
    const { worker, connection: workerConnection } = await createPipelineWorker({
      address: inject('temporalAddress'),
      namespace: 'default',
      taskQueue,
      deps: { pool: api.deps.pool, config: api.deps.config, log: workerLog, mlbBaseUrl: 'http://127.0.0.1:9' },
    });
    // The caller's own trace: the request continues it.
    const callerTraceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const callerSpanId = '1122334455667788';
    try {
      await worker.runUntil(async () => {
        const res = await app.request('/api/v1/fantrax/connection', {
          method: 'PUT',
          body: JSON.stringify({ secretId: DEMO_SECRET_ID }),
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${premium.accessToken}`,
            traceparent: `00-${callerTraceId}-${callerSpanId}-01`,
          },
        });
        expect(res.status).toBe(200);
        const { syncWorkflowId } = (await res.json()) as { syncWorkflowId: string };
        expect(syncWorkflowId).toBeTruthy();
        await client.workflow.getHandle(syncWorkflowId).result();
      });
    } finally {
      await workerConnection.close();
    }

    const spans = memory.getFinishedSpans().filter((s) => s.spanContext().traceId === callerTraceId);
    const named = (name: string): ReadableSpan => {
      const found = spans.filter((s) => s.name === name);
      expect(found, `${name} in ${spans.map((s) => s.name).join(', ')}`).toHaveLength(1);
      return found[0]!;
    };
    const request = named('PUT /api/v1/fantrax/connection');
    const startWorkflow = named('StartWorkflow:fantraxSync');
    const runWorkflow = named('RunWorkflow:fantraxSync');
    const startActivity = named('StartActivity:fetchFantraxLeagues');
    const runActivity = named('RunActivity:fetchFantraxLeagues');
    expect(request.kind).toBe(SpanKind.SERVER);
    expect(request.attributes['http.response.status_code']).toBe(200);
    expect(request.parentSpanId).toBe(callerSpanId);
    expect(startWorkflow.parentSpanId).toBe(request.spanContext().spanId);
    expect(runWorkflow.parentSpanId).toBe(startWorkflow.spanContext().spanId);
    expect(startActivity.parentSpanId).toBe(runWorkflow.spanContext().spanId);
    expect(runActivity.parentSpanId).toBe(startActivity.spanContext().spanId);
    // Every activity of the sync ran in the same trace, each under its own StartActivity.
    const activities = spans
      .filter((s) => s.name.startsWith('RunActivity:'))
      .map((s) => s.name.slice('RunActivity:'.length));
    expect(activities).toEqual(
      expect.arrayContaining([
        'startFantraxSync',
        'fetchFantraxLeagues',
        'syncFantraxLeague',
        'finishFantraxSync',
        'recomputeFantraxRecommendations',
      ]),
    );
    // Workflow spans come from the sandbox through the sink, with this process's resource.
    expect(runWorkflow.resource.attributes['service.name']).toBe('afwd-e2e');

    const fetched = workerLines.find((l) => l.msg === 'fantrax leagues fetched');
    expect(fetched).toMatchObject({
      traceId: callerTraceId,
      spanId: runActivity.spanContext().spanId,
      activityType: 'fetchFantraxLeagues',
    });
    const accessLine = apiLines.find((l) => l.msg === 'request' && l.route === '/api/v1/fantrax/connection');
    expect(accessLine).toMatchObject({ traceId: callerTraceId, spanId: request.spanContext().spanId, status: 200 });
  });

  it("stamps the RunWorkflow span's ids on a workflow's log lines, named as on every other line", async () => {
    const taskQueue = `tracing-log-${Date.now()}-${Math.random()}`;
    const client = createTemporalClient({ connection, namespace: 'default' });
    const tracing = workerTracing();
    const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
    try {
      const worker = await Worker.create({
        connection: nativeConnection,
        taskQueue,
        workflowsPath: fileURLToPath(new URL('../test/workflows/log-in-workflow.ts', import.meta.url)),
        interceptors: { workflowModules: tracing.workflowModules, activity: tracing.activityInterceptors },
        sinks: tracing.sinks,
      });
      // Started from inside a span of the test's, as a request's handler would start it.
      const callerTraceId = await worker.runUntil(
        trace.getTracer('test').startActiveSpan('caller', async (caller) => {
          await client.workflow.execute('logInWorkflow', { taskQueue, workflowId: taskQueue });
          caller.end();
          return caller.spanContext().traceId;
        }),
      );
      const runWorkflow = memory
        .getFinishedSpans()
        .find((s) => s.name === 'RunWorkflow:logInWorkflow' && s.spanContext().traceId === callerTraceId);
      expect(runWorkflow).toBeDefined();
      const line = workerLines.find((l) => l.msg === 'a traced workflow line' && l.workflowId === taskQueue);
      expect(line).toMatchObject({ traceId: callerTraceId, spanId: runWorkflow!.spanContext().spanId });
      expect(line).not.toHaveProperty('trace_id');
    } finally {
      await nativeConnection.close();
    }
  });
});
