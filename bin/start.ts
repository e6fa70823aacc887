/**
 * `npm start`: the whole product on one machine. Starts (or reuses) PostgreSQL, Redis, stripe-mock (without Stripe
 * settings) and the Temporal dev server, serves the sample source, the published site and the premium API, runs the
 * worker, runs the pipeline once, and keeps serving until Ctrl-C, when everything it started stops in reverse order.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { dataPaths, loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { initTracing } from '../lib/tracing.ts';
import { startApiServer } from '../api/server.ts';
import { startLocalFantrax, type LocalFantrax } from '../infra/local-fantrax.ts';
import { startLocalStack } from '../infra/local-stack.ts';
import { openRedis } from '../infra/redis.ts';
import { accountScheduleIds, ensureSchedules } from '../infra/schedules.ts';
import { startLocalSmtpServer } from '../infra/smtp-server.ts';
import { startStripeMock } from '../infra/stripe-mock.ts';
import { serveSite } from '../site/serve.ts';
import { pipelineWorkflowId } from '../workflows/ids.ts';
import type { runPipeline } from '../workflows/run-pipeline.ts';
import { runMain } from './main.ts';

await runMain(async (stack) => {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'start' });
  const tracing = initTracing({ serviceName: 'afwd-start', config, log });
  stack.push('tracing', () => tracing.shutdown());
  const paths = dataPaths(config);
  const { client, temporalUiUrl, databaseUrl } = await startLocalStack(config, log, stack, { worker: true });
  const redis = await openRedis(config, log);
  stack.push('redis', () => redis.stop());
  // Without Stripe settings, Stripe's own mock answers the API and the worker (docs/billing.md).
  let serviceLines = '';
  if (!config.stripe.apiUrl && !config.stripe.secretKey) {
    const stripeMock = await startStripeMock({ port: config.stripe.localMockPort, log });
    stack.push('stripe-mock', () => stripeMock.close());
    // Stripe's payment page cannot be reached locally: this sends the webhooks it would send after paying.
    serviceLines += `  Stripe (mock):  ${stripeMock.url}  after Upgrade: npm run stripe:events -- checkout-completed --email <you>\n`;
  }
  // Without SMTP_URL, e-mail goes to a local SMTP server with a web mailbox (docs/notifications.md).
  if (!config.mail.smtpUrl) {
    const mail = await startLocalSmtpServer({
      port: config.mail.localPort,
      mailboxPort: config.mail.localPort + 1,
      dir: path.join(config.dataDir, 'mail'),
      log,
    });
    stack.push('local SMTP server', () => mail.close());
    serviceLines += `  Mailbox:        ${mail.mailboxUrl}\n`;
  }
  // Without FANTRAX_API_URL, a Fantrax-shaped server over our own players answers (docs/fantrax.md).
  let fantrax: LocalFantrax | undefined;
  if (!config.fantrax.apiUrl) {
    fantrax = await startLocalFantrax({ config, databaseUrl, log });
    stack.push('local Fantrax server', () => fantrax!.close());
    serviceLines += `  Fantrax (demo): ${fantrax.url}  Secret ID: ${fantrax.demoSecretId}\n`;
  }
  // The API starts workflows (Stripe events, Fantrax syncs, e-mail drains) on the worker's task queue.
  const api = await startApiServer({ ...config, databaseUrl, redis: { ...config.redis, url: redis.url } }, log, {
    temporal: { client, taskQueue: config.temporal.taskQueue },
  });
  stack.push('api server', () => api.close());

  // Until the first publish, serve a page that says the rankings are on their way.
  const placeholder = path.join(config.dataDir, 'site', 'placeholder');
  if (!existsSync(placeholder)) {
    mkdirSync(placeholder, { recursive: true });
    writeFileSync(
      path.join(placeholder, 'index.html'),
      '<!doctype html><html lang="en"><meta charset="utf-8"><meta http-equiv="refresh" content="10"><title>A Fine Wine Dynasty</title><p>The first rankings are being built. This page refreshes itself.</p></html>',
    );
  }
  // The API on the site's origin (as nginx does in production): the account pages' refresh cookie is first-party.
  const site = await serveSite({
    root: () => (existsSync(paths.siteCurrent) ? paths.siteCurrent : placeholder),
    port: config.sitePort,
    apiUrl: api.url,
  });
  stack.push('site server', () => site.close());

  // E-mail, Stripe reconciliation and Fantrax syncs run on their schedules; the pipeline's are `npm run schedules`.
  await ensureSchedules(client, config, { only: accountScheduleIds() });

  const input = { fromSeason: config.sample.fromSeason, toSeason: config.sample.toSeason };
  const workflowId = pipelineWorkflowId(input);
  // A run already in progress (from an earlier `npm start`) is attached to, not duplicated.
  const handle = await client.workflow.start<typeof runPipeline>('runPipeline', {
    taskQueue: config.temporal.taskQueue,
    workflowId,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
  const runUrl = `${temporalUiUrl}/namespaces/${config.temporal.namespace}/workflows/${workflowId}`;
  const apiLines = `  API:            ${api.apiUrl}\n  API docs:       ${api.docsUrl}\n${serviceLines}`;
  console.log(
    `\n  Rankings site:  ${site.url}\n${apiLines}  Temporal UI:    ${temporalUiUrl}\n  Pipeline run:   ${runUrl}\n`,
  );
  const result = await handle.result();
  // The demo league rosters the prospects just ranked.
  await fantrax?.refresh();
  const b = result.backfill;
  console.log(
    `\n  Pipeline finished: ${b.seasonsDone} seasons, ${b.rowsFetched} rows fetched = ${b.rowsLoaded} loaded + ${b.rowsQuarantined} quarantined + ` +
      `${b.duplicatesMerged} duplicates merged; ${b.httpRequests} HTTP requests (${b.responsesReused} responses reused from the landing zone); ` +
      `model ${result.modelVersion}; ${result.prospects} prospects ranked.\n` +
      `  Rankings site:  ${site.url}\n${apiLines}  Temporal UI:    ${runUrl}\n\n  Serving until Ctrl-C.\n`,
  );
  await stack.untilSignal();
});
