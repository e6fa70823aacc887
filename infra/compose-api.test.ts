import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, loadConfig } from '../lib/config.ts';

interface Service {
  image?: string; build?: unknown; command?: string[]; environment?: Record<string, string>; volumes?: string[];
  ports?: string[]; healthcheck?: { test: string[] }; depends_on?: Record<string, { condition: string }> | string[];
}

/** Compose's `${NAME:-default}` with nothing set in the shell: the default (empty when none). */
function interpolate(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+(?::-([^}]*))?\}/g, (_, d: string | undefined) => d ?? '')]));
}

describe('temporal-compose.yml: the API', () => {
  const compose = parse(readFileSync(path.join(REPO_ROOT, 'temporal-compose.yml'), 'utf8')) as { services: Record<string, Service> };

  it('runs Redis and the API built from this repository, reachable on 8321 and checked on /readyz', () => {
    expect(compose.services.redis?.image).toMatch(/^redis:7-alpine/);
    const api = compose.services.api!;
    expect(api.build).toBe('.');
    expect(api.command).toEqual(['node', 'bin/api.ts']);
    expect(api.ports).toContain('8321:8321');
    expect(api.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:8321/readyz');
    expect(api.depends_on).toMatchObject({ postgresql: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
  });

  it('gives the API settings the configuration accepts, pointing at the compose services', () => {
    const env = interpolate(compose.services.api!.environment!);
    const config = loadConfig(env);
    expect(config.databaseUrl).toContain('@postgresql:5432/');
    expect(config.redis.url).toBe('redis://redis:6379');
    expect(config.api).toMatchObject({ host: '0.0.0.0', port: 8321 });
  });

  it('gives the API and the worker the same premium settings, and the API a Temporal client', () => {
    const api = interpolate(compose.services.api!.environment!);
    const worker = interpolate(compose.services.worker!.environment!);
    for (const name of ['SITE_URL', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_PRICE_ID', 'FANTRAX_API_URL', 'FANTRAX_SECRET_KEYS', 'SMTP_URL', 'LINK_SIGNING_SECRET']) {
      expect(api[name], name).toBe(worker[name]);
    }
    expect(api.TEMPORAL_ADDRESS).toBe(worker.TEMPORAL_ADDRESS);
    expect(loadConfig(worker).fantrax.apiUrl).toBe('https://www.fantrax.com/fxea/general');
  });

  it('serves the site through nginx with the API on the same origin', () => {
    const site = compose.services.site!;
    const mount = site.volumes?.find((v) => v.endsWith(':/etc/nginx/conf.d/default.conf:ro'));
    expect(mount).toBeDefined();
    const conf = readFileSync(path.join(REPO_ROOT, mount!.split(':')[0]!), 'utf8');
    expect(conf).toMatch(/location \/api\/ \{[^}]*proxy_pass http:\/\/api:8321;/);
    expect(conf).toMatch(/location \/\.well-known\/ \{[^}]*proxy_pass http:\/\/api:8321;/);
  });
});
