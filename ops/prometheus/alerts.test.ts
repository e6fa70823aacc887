// The alerting rules and the Prometheus configuration, checked by promtool itself (syntax, the config with the rules
// it loads, and the rule unit tests of alerts.test.yml), and by structure: every alert carries what on-call needs
// and reads only metrics of the issue 11 metrics contract.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createApiMetrics } from '../../api/metrics.ts';
import { locatePromtool } from '../../infra/promtool.ts';
import { createWorkerMetrics } from '../../infra/worker-metrics.ts';
import { loadConfig } from '../../lib/config.ts';
import { createPool } from '../../lib/db.ts';
import { createLogger } from '../../lib/log.ts';

const DIR = import.meta.dirname;
const README = path.join(DIR, '..', '..', 'README.md');

/**
 * The metric names of the contract, from the real registries: the worker's (createWorkerMetrics, which registers the
 * model monitoring gauges) and the API's (createApiMetrics), so a renamed metric fails this test. Nothing is
 * collected: the worker's pool is never used. Listed by hand, because no registry of ours holds them: Temporal core's
 * `temporal_*` metrics (its own exporter, merged into the worker's /metrics) and Prometheus's `up`.
 */
async function contractMetrics(): Promise<{ names: Set<string>; histograms: Set<string> }> {
  const names = new Set(['temporal_workflow_failed', 'up']);
  const histograms = new Set<string>();
  const pool = createPool('postgres://nobody@127.0.0.1:1/never-used');
  try {
    const worker = createWorkerMetrics({
      pool,
      config: loadConfig({}),
      log: createLogger({ level: 'silent' }),
      taskQueue: { name: 'q', backlog: async () => 0 },
    });
    for (const m of worker.registry.getMetricsAsArray())
      (String(m.type) === 'histogram' ? histograms : names).add(m.name);
  } finally {
    await pool.end();
  }
  const { body } = await createApiMetrics({ processMetrics: false }).render();
  for (const [, name, type] of body.matchAll(/^# TYPE (\S+) (\S+)$/gm))
    (type === 'histogram' ? histograms : names).add(name!);
  return { names, histograms };
}
const CONTRACT = await contractMetrics();

const REQUIRED_ALERTS = [
  'StaleDataInSeason',
  'QuarantineRateSpike',
  'WorkflowFailures',
  'ServingModelAucLow',
  'ServingModelCalibrationWorse',
  'LiveCalibrationDegraded',
  'FeatureDrift',
  'ModelMonitoringStale',
  'ApiLatencyP99High',
  'ApiErrorRateHigh',
  'StripeWebhookFailures',
  'TargetDown',
];

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules: Rule[] = (
  parse(readFileSync(path.join(DIR, 'alerts.yml'), 'utf8')) as { groups: { rules: Rule[] }[] }
).groups.flatMap((g) => g.rules);
const alerts = rules.filter((r): r is Rule & { alert: string } => typeof r.alert === 'string');

const PROMQL_WORDS = new Set([
  'and',
  'or',
  'unless',
  'offset',
  'bool',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: what is left once strings, label matchers, ranges and grouping label
 * lists are removed, less function and aggregation names (followed by a parenthesis) and the language's keywords.
 */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/(?<![\w.:])[a-zA-Z_:][\w:]*(?!\s*\()/g)) {
    const word = m[0];
    // A word cut short by the lookahead (`rat` of `rate(`) is still followed by a word character: skip it.
    const next = stripped[m.index + word.length];
    if (next !== undefined && /[\w:]/.test(next)) continue;
    if (!PROMQL_WORDS.has(word.toLowerCase())) names.add(word);
  }
  return [...names].sort();
}

function inContract(name: string): boolean {
  if (CONTRACT.names.has(name)) return true;
  const histogram = /^(.+)_(?:bucket|sum|count)$/.exec(name);
  return histogram !== null && CONTRACT.histograms.has(histogram[1]!);
}

interface Run {
  code: number;
  output: string;
}

let promtool: string | undefined;
function requirePromtool(): string {
  promtool ??= locatePromtool();
  if (!promtool) {
    throw new Error(
      'promtool was not found: run `sh scripts/bootstrap.sh --browser` (npm test does), which builds it into the per-user cache, or set PROMTOOL_PATH to a promtool binary.',
    );
  }
  return promtool;
}

function runPromtool(args: string[]): Promise<Run> {
  const binary = requirePromtool();
  return new Promise((resolve) => {
    execFile(binary, args, { cwd: DIR, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, output: `$ promtool ${args.join(' ')}\n${stdout}${stderr}` });
    });
  });
}

describe('promtool', () => {
  it('accepts the rules file', async () => {
    const run = await runPromtool(['check', 'rules', 'alerts.yml']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(new RegExp(`SUCCESS: ${rules.length} rules found`));
  });

  it('accepts the Prometheus configuration and the rules it loads', async () => {
    const run = await runPromtool(['check', 'config', 'prometheus.yml']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('alerts.yml');
  });

  it('passes the rule unit tests: each alert fires when it should and stays quiet when it should not', async () => {
    const run = await runPromtool(['test', 'rules', 'alerts.test.yml']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('SUCCESS');
  });
});

describe('alerts.yml', () => {
  it('has every alert the issue asks for', () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual([...REQUIRED_ALERTS].sort());
  });

  it('gives every alert a duration, a severity, a summary, a description and the runbook', () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme).toMatch(/^### On call$/m);
    for (const a of alerts) {
      expect(a.for, `${a.alert}: for`).toMatch(/^\d+[smh]$/);
      expect(['critical', 'warning'], `${a.alert}: severity`).toContain(a.labels?.severity);
      expect(a.annotations?.summary, `${a.alert}: summary`).toBeTruthy();
      expect(a.annotations?.description, `${a.alert}: description`).toBeTruthy();
      expect(a.annotations?.runbook, `${a.alert}: runbook`).toMatch(
        /^README\.md#on-call \(Operations > On call: .+\)$/,
      );
    }
  });

  it('knows the contract from the registries', () => {
    for (const name of [
      'afwd_data_freshness_seconds',
      'afwd_feature_psi_rise_max',
      'afwd_monitoring_age_seconds',
      'afwd_stripe_webhooks_total',
      'http_requests_total',
    ]) {
      expect(CONTRACT.names, name).toContain(name);
    }
    expect([...CONTRACT.histograms].sort()).toEqual([
      'afwd_activity_duration_seconds',
      'http_request_duration_seconds',
    ]);
  });

  it('reads only metrics of the contract', () => {
    const used = new Set(alerts.flatMap((a) => metricNames(a.expr)));
    expect(used.size).toBeGreaterThan(10);
    for (const name of used) {
      expect(name, `${name} is not a contract metric`).toMatch(/^(?:afwd_\w+|http_\w+|temporal_\w+|up)$/);
      expect(inContract(name), `${name} is not a contract metric`).toBe(true);
    }
  });

  it('is tested both ways: every alert fires in some unit test and stays quiet in another', () => {
    const file = parse(readFileSync(path.join(DIR, 'alerts.test.yml'), 'utf8')) as {
      tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
    };
    const cases = file.tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const name of REQUIRED_ALERTS) {
      const mine = cases.filter((c) => c.alertname === name);
      expect(
        mine.some((c) => (c.exp_alerts ?? []).length > 0),
        `${name} fires in a test`,
      ).toBe(true);
      expect(
        mine.some((c) => (c.exp_alerts ?? []).length === 0),
        `${name} stays quiet in a test`,
      ).toBe(true);
    }
  });
});

describe('prometheus.yml', () => {
  it('loads the rules and scrapes the worker on 9464 and the API on 8321 at /metrics', () => {
    const config = parse(readFileSync(path.join(DIR, 'prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: {
        job_name: string;
        metrics_path: string;
        static_configs?: { targets: string[] }[];
        dns_sd_configs?: { names: string[]; port: number }[];
      }[];
    };
    expect(config.rule_files).toEqual(['alerts.yml']);
    const job = (name: string) => config.scrape_configs.find((c) => c.job_name === name);
    expect(job('afwd-worker')).toMatchObject({
      metrics_path: '/metrics',
      dns_sd_configs: [{ names: ['worker'], port: 9464 }],
    });
    expect(job('afwd-api')).toMatchObject({ metrics_path: '/metrics', static_configs: [{ targets: ['api:8321'] }] });
  });
});

describe('metricNames', () => {
  it('finds the metrics and skips functions, keywords, labels, strings and durations', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{route="/x"}[5m]))) > 0.25',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
    expect(metricNames('min(afwd_data_freshness_seconds) > 36 * 3600 and on() max(afwd_in_season) == 1')).toEqual([
      'afwd_data_freshness_seconds',
      'afwd_in_season',
    ]);
    expect(
      metricNames('sum by (outcome) (x_total{outcome=~"a|b"} unless x_total offset 15m) > 0 or absent(up{job="w"})'),
    ).toEqual(['up', 'x_total']);
  });
});
