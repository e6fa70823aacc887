import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/config.ts';

describe('temporal-compose.yml', () => {
  const compose = parse(readFileSync(path.join(REPO_ROOT, 'temporal-compose.yml'), 'utf8')) as {
    services: Record<string, { image?: string; build?: unknown; environment?: Record<string, string>; depends_on?: unknown }>;
  };

  it('names the Temporal server, its UI, TimescaleDB, the worker and the site', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['temporal', 'temporal-ui', 'postgresql', 'worker', 'site']));
    expect(compose.services.postgresql?.image).toMatch(/^timescale\/timescaledb/);
    expect(compose.services['temporal-ui']?.image).toMatch(/^temporalio\/ui/);
  });

  it('persists Temporal to PostgreSQL and points the worker at both', () => {
    expect(compose.services.temporal?.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(compose.services.worker?.environment?.DATABASE_URL).toContain('@postgresql:5432/');
    expect(compose.services.worker?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });
});
