/**
 * Model monitoring gauges: feature drift (PSI, and its rise since the serving model's baseline day) and live
 * calibration of the newest monitored day, read from the database when Prometheus scrapes the worker (names fixed by
 * the metrics contract; the alerts FeatureDrift and LiveCalibrationDegraded read them). One read serves every gauge of a scrape; it is bounded by a timeout, and a
 * failed or slow read is logged and leaves the gauges empty rather than failing the scrape or showing stale figures.
 */
import { Gauge, type Registry } from 'prom-client';
import { latestMonitoringDay, type MonitoringDay } from '../db/monitoring.ts';
import type { Pool } from '../lib/db.ts';
import { createLogger, type Logger } from '../lib/log.ts';
import { psiRise } from './assess.ts';

export interface MonitoringGaugeOptions {
  /** Longest a scrape waits for the database. @default 2000 */
  timeoutMs?: number;
  /** Where a failed read is logged. @default a logger of its own at info level */
  log?: Logger;
}

/** Reads within this long of each other share one query: a scrape collects every gauge at once. */
const SHARED_READ_MS = 1_000;

export function registerMonitoringGauges(registry: Registry, pool: Pool, options: MonitoringGaugeOptions = {}): void {
  const timeoutMs = options.timeoutMs ?? 2_000;
  if (!(timeoutMs > 0)) throw new Error(`monitoring gauge timeout must be positive, got ${timeoutMs}`);
  const log = options.log ?? createLogger({ level: 'info', name: 'afwd-monitoring-gauges' });

  let shared: { at: number; read: Promise<MonitoringDay | null | undefined> } | null = null;
  /** The newest monitored day; null before the first; undefined when the read failed or timed out (logged). */
  function latest(): Promise<MonitoringDay | null | undefined> {
    const now = Date.now();
    if (shared && now - shared.at < SHARED_READ_MS) return shared.read;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the database within ${timeoutMs} ms`)), timeoutMs);
    });
    const read = Promise.race([latestMonitoringDay(pool), timeout])
      .catch((error: unknown) => {
        log.warn({ err: error }, 'model monitoring gauges: could not read the latest monitoring day');
        return undefined;
      })
      .finally(() => clearTimeout(timer));
    shared = { at: now, read };
    return read;
  }

  /** Sets a labelless gauge, or removes its sample so the series is absent (never a made-up 0). */
  const setOrAbsent = (gauge: Gauge, value: number | null | undefined) => {
    if (typeof value === 'number' && Number.isFinite(value)) gauge.set(value);
    else gauge.remove();
  };
  const servingOf = (day: MonitoringDay | null | undefined) => day?.calibration.find((c) => c.serving);

  new Gauge({
    name: 'afwd_feature_psi', help: 'Population stability index of each feature: the newest day\'s scoring rows against the serving model\'s training rows.',
    labelNames: ['feature'] as const, registers: [registry],
    async collect() {
      const day = await latest();
      this.reset();
      if (day?.driftStatus === 'measured') for (const d of day.drift) this.labels(d.feature).set(d.psi);
    },
  });
  new Gauge({
    name: 'afwd_feature_psi_max', help: 'Largest feature PSI of the newest monitored day: the standing difference from the training rows.',
    registers: [registry],
    async collect() {
      const day = await latest();
      setOrAbsent(this, day?.driftStatus === 'measured' ? day.psiMax : null);
    },
  });
  new Gauge({
    name: 'afwd_feature_psi_rise', help: 'Rise of each feature\'s PSI from the serving model\'s baseline day (its first monitored day) to the newest day.',
    labelNames: ['feature'] as const, registers: [registry],
    async collect() {
      const day = await latest();
      this.reset();
      if (day?.driftStatus === 'measured') for (const d of day.drift) this.labels(d.feature).set(psiRise(d.psi, d.baselinePsi));
    },
  });
  new Gauge({
    name: 'afwd_feature_psi_rise_max', help: 'Largest feature PSI rise since the serving model\'s baseline day (FeatureDrift alerts above 0.25).',
    registers: [registry],
    async collect() {
      const day = await latest();
      const rises = day?.driftStatus === 'measured' ? day.drift.map((d) => psiRise(d.psi, d.baselinePsi)) : [];
      setOrAbsent(this, rises.length > 0 ? Math.max(...rises) : null);
    },
  });
  new Gauge({
    name: 'afwd_live_calibration_error', help: 'Expected calibration error of the serving model on the outcomes known so far (equal-count bins).',
    registers: [registry],
    async collect() {
      setOrAbsent(this, servingOf(await latest())?.ece);
    },
  });
  new Gauge({
    name: 'afwd_live_calibration_outcomes', help: 'Known outcomes the serving model\'s live calibration rests on.',
    registers: [registry],
    async collect() {
      setOrAbsent(this, servingOf(await latest())?.outcomes);
    },
  });
  new Gauge({
    name: 'afwd_live_auc', help: 'ROC AUC of the serving model on the outcomes known so far; absent until both outcomes are present.',
    registers: [registry],
    async collect() {
      setOrAbsent(this, servingOf(await latest())?.auc);
    },
  });
}
