/**
 * temporal-compose.yml, checked as far as a machine without Docker can: its services, the files it mounts and runs,
 * the search attributes it registers, and the settings it gives the processes built from this repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, loadConfig } from '../lib/config.ts';
import { SEARCH_ATTRIBUTES } from './temporal-cli.ts';
import { needsDevServer } from './temporal-server.ts';

interface Service {
  image?: string; build?: unknown; command?: string[]; environment?: Record<string, string>; volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
}

/** Compose's `${NAME:-default}` with nothing set in the shell: the default (empty when none). */
function interpolate(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+(?::-([^}]*))?\}/g, (_, d: string | undefined) => d ?? '')]));
}

describe('temporal-compose.yml', () => {
  const compose = parse(readFileSync(path.join(REPO_ROOT, 'temporal-compose.yml'), 'utf8')) as { services: Record<string, Service> };
  const built = Object.entries(compose.services).filter(([, s]) => s.build === '.');

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

  it('registers every search attribute the workflows write, with its type, and no other', () => {
    const script = compose.services['temporal-setup']!.command!.join('\n');
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
      expect(script, name).toContain(`--name ${name} --type ${type} || `);
      expect(script, name).toContain(`grep -qw ${name}`);
    }
    const named = [...script.matchAll(/--name (\S+)/g)].map((m) => m[1]);
    expect(new Set(named)).toEqual(new Set(Object.keys(SEARCH_ATTRIBUTES)));
    expect(script).toMatch(/^set -e$/m);
    expect(compose.services.worker?.depends_on).toMatchObject({ 'temporal-setup': { condition: 'service_completed_successfully' } });
  });

  it('mounts only files of this repository that exist', () => {
    const mounts = Object.values(compose.services).flatMap((s) => s.volumes ?? []).map((v) => v.split(':')[0]!).filter((source) => source.startsWith('.') || source.startsWith('/'));
    expect(mounts.length).toBeGreaterThan(0);
    for (const source of mounts) expect(existsSync(path.join(REPO_ROOT, source)), source).toBe(true);
  });

  it('runs entry points that exist in the image it builds', () => {
    expect(built.map(([name]) => name)).toEqual(expect.arrayContaining(['worker', 'api', 'pipeline']));
    for (const [name, service] of built) {
      expect(service.command?.[0], name).toBe('node');
      expect(existsSync(path.join(REPO_ROOT, service.command![1]!)), `${name}: ${service.command![1]}`).toBe(true);
    }
  });

  it('gives the processes it builds only settings lib/config.ts accepts, with their values accepted', () => {
    const settings = new Set([...readFileSync(path.join(REPO_ROOT, 'lib/config.ts'), 'utf8').matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]));
    for (const [name, service] of built) {
      const env = interpolate(service.environment ?? {});
      for (const setting of Object.keys(env)) expect(settings.has(setting), `${name}: ${setting}`).toBe(true);
      expect(() => loadConfig(env), name).not.toThrow();
    }
  });

  it('points every process it builds at the compose database and the real Temporal server, so none needs the Temporal CLI', () => {
    for (const [name, service] of built) {
      const config = loadConfig(interpolate(service.environment ?? {}));
      expect(config.databaseUrl, name).toContain('@postgresql:5432/');
      expect(config.temporal.address, name).toBe('temporal:7233');
      expect(needsDevServer(config.temporal.address), name).toBe(false);
      expect(config.dataDir, name).toBe('/data');
      expect(service.volumes, name).toContain('afwd:/data');
    }
  });
});
