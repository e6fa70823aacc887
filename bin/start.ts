/**
 * `npm start`: the whole product on one machine. Starts (or reuses) PostgreSQL and the Temporal dev server,
 * serves the sample source and the published site, runs the worker, runs the pipeline once, and keeps serving
 * until Ctrl-C, when everything it started stops in reverse order.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { dataPaths, loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { openDatabase } from '../infra/database.ts';
import { createPipelineWorker } from '../infra/pipeline-worker.ts';
import { startSampleSource } from '../infra/sample-source.ts';
import { ensureTemporalCli, startDevServer } from '../infra/temporal-cli.ts';
import { serveSite } from '../site/serve.ts';
import { pipelineWorkflowId } from '../workflows/ids.ts';
import type { runPipeline } from '../workflows/run-pipeline.ts';
import { runMain } from './main.ts';

await runMain(async (stack) => {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'start' });
  const paths = dataPaths(config);
  mkdirSync(config.dataDir, { recursive: true });

  const db = await openDatabase(config, log);
  stack.push('database', () => db.close());

  const cli = await ensureTemporalCli(log);
  const temporal = await startDevServer({
    cli, address: config.temporal.address, uiPort: config.temporal.uiPort,
    dbFile: paths.temporalDb, logFile: path.join(config.dataDir, 'temporal.log'), log,
  });
  stack.push('temporal server', () => temporal.stop());

  const source = config.mlb.baseUrl ? undefined : await startSampleSource(config.sample, log);
  if (source) stack.push('sample source', () => source.close());

  // Until the first publish, serve a page that says the rankings are on their way.
  const placeholder = path.join(config.dataDir, 'site', 'placeholder');
  if (!existsSync(placeholder)) {
    mkdirSync(placeholder, { recursive: true });
    writeFileSync(path.join(placeholder, 'index.html'),
      '<!doctype html><html lang="en"><meta charset="utf-8"><meta http-equiv="refresh" content="10"><title>A Fine Wine Dynasty</title><p>The first rankings are being built. This page refreshes itself.</p></html>');
  }
  const site = await serveSite({ root: () => (existsSync(paths.siteCurrent) ? paths.siteCurrent : placeholder), port: config.sitePort });
  stack.push('site server', () => site.close());

  const { worker, connection: workerConnection } = await createPipelineWorker({
    address: temporal.address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue,
    deps: { pool: db.pool, config, log, mlbBaseUrl: config.mlb.baseUrl ?? source!.url },
  });
  const running = worker.run();
  stack.push('worker', async () => {
    worker.shutdown();
    await running;
    await workerConnection.close();
  });

  const connection = await Connection.connect({ address: temporal.address });
  stack.push('client', () => connection.close());
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const input = { fromSeason: config.sample.fromSeason, toSeason: config.sample.toSeason };
  const workflowId = pipelineWorkflowId(input);
  // A run already in progress (from an earlier `npm start`) is attached to, not duplicated.
  const handle = await client.workflow.start<typeof runPipeline>('runPipeline', {
    taskQueue: config.temporal.taskQueue, workflowId, args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
  const uiUrl = `${temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows/${workflowId}`;
  console.log(`\n  Rankings site:  ${site.url}\n  Temporal UI:    ${temporal.uiUrl}\n  Pipeline run:   ${uiUrl}\n`);
  const result = await handle.result();
  console.log(
    `\n  Pipeline finished: ${result.seasonsDone} seasons, ${result.rowsLoaded} rows loaded, ${result.rowsQuarantined} quarantined, ` +
      `${result.requests} requests; model ${result.modelVersion}; ${result.prospects} prospects ranked.\n` +
      `  Rankings site:  ${site.url}\n  Temporal UI:    ${uiUrl}\n\n  Serving until Ctrl-C.\n`,
  );
  await stack.untilSignal();
});
