/**
 * Model monitoring gauges (issue 11.3, being built): feature drift (PSI) and live calibration, read from the
 * database when Prometheus scrapes the worker.
 */
import type { Registry } from 'prom-client';
import type { Pool } from '../lib/db.ts';

export function registerMonitoringGauges(_registry: Registry, _pool: Pool): void {}
