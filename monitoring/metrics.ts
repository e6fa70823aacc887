/**
 * Model monitoring gauges: feature drift (PSI, and its rise since the serving model's baseline day), live calibration
 * of the newest monitored day and that day's age, read from the database when Prometheus scrapes the worker (names
 * fixed by the metrics contract; the alerts FeatureDrift, LiveCalibrationDegraded and ModelMonitoringStale read them).
 * They read through the worker's scrape-time reads (infra/scrape-reads.ts): one read per scrape, on one connection
 * under a server-side statement timeout; a failed or slow read is logged and leaves the gauges absent.
 */
import type { Gauge } from 'prom-client';
import { latestMonitoringDay, type MonitoringDay } from '../db/monitoring.ts';
import type { ScrapeReads } from '../infra/scrape-reads.ts';
import { psiRise } from './assess.ts';

export function registerMonitoringGauges(scrape: ScrapeReads): void {
  /** The newest monitored day; null before the first. Rejects when the read failed or timed out (logged per gauge). */
  const latest = scrape.shared('the latest monitoring day', () => scrape.fromDb(latestMonitoringDay));

  /** Sets a labelless gauge when the figure is known; scrape.gauge has already made it absent otherwise (never a made-up 0). */
  const setIfKnown = (gauge: Gauge, value: number | null | undefined) => {
    if (typeof value === 'number' && Number.isFinite(value)) gauge.set(value);
  };
  const servingOf = (day: MonitoringDay | null) => day?.calibration.find((c) => c.serving);

  scrape.gauge(
    'afwd_feature_psi',
    "Population stability index of each feature: the newest day's scoring rows against the serving model's training rows.",
    async (g) => {
      const day = await latest();
      if (day?.driftStatus === 'measured') for (const d of day.drift) g.labels(d.feature).set(d.psi);
    },
    ['feature'] as const,
  );
  scrape.gauge(
    'afwd_feature_psi_max',
    'Largest feature PSI of the newest monitored day: the standing difference from the training rows.',
    async (g) => {
      const day = await latest();
      setIfKnown(g, day?.driftStatus === 'measured' ? day.psiMax : null);
    },
  );
  scrape.gauge(
    'afwd_feature_psi_rise',
    "Rise of each feature's PSI from the serving model's baseline day (its first monitored day) to the newest day.",
    async (g) => {
      const day = await latest();
      if (day?.driftStatus === 'measured')
        for (const d of day.drift) g.labels(d.feature).set(psiRise(d.psi, d.baselinePsi));
    },
    ['feature'] as const,
  );
  scrape.gauge(
    'afwd_feature_psi_rise_max',
    "Largest feature PSI rise since the serving model's baseline day (FeatureDrift alerts above 0.25).",
    async (g) => {
      const day = await latest();
      const rises = day?.driftStatus === 'measured' ? day.drift.map((d) => psiRise(d.psi, d.baselinePsi)) : [];
      setIfKnown(g, rises.length > 0 ? Math.max(...rises) : null);
    },
  );
  scrape.gauge(
    'afwd_live_calibration_error',
    'Expected calibration error of the serving model on the outcomes known so far (equal-count bins).',
    async (g) => {
      setIfKnown(g, servingOf(await latest())?.ece);
    },
  );
  scrape.gauge(
    'afwd_live_calibration_outcomes',
    "Known outcomes the serving model's live calibration rests on.",
    async (g) => {
      setIfKnown(g, servingOf(await latest())?.outcomes);
    },
  );
  scrape.gauge(
    'afwd_live_auc',
    'ROC AUC of the serving model on the outcomes known so far; absent until both outcomes are present.',
    async (g) => {
      setIfKnown(g, servingOf(await latest())?.auc);
    },
  );
  scrape.gauge(
    'afwd_monitoring_age_seconds',
    'Seconds since the newest monitored day was computed (absent before the first).',
    async (g) => {
      // By the worker's clock against the database's computed_at: skew of seconds is nothing against the 36 h alert.
      const day = await latest();
      if (day) setIfKnown(g, (Date.now() - day.computedAt.getTime()) / 1000);
    },
  );
}
