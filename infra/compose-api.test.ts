import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, loadConfig } from '../lib/config.ts';

interface Service {
  image?: string; build?: unknown; command?: string[]; environment?: Record<string, string>;
  ports?: string[]; healthcheck?: { test: string[] }; depends_on?: Record<string, { condition: string }>;
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
    const env = compose.services.api!.environment!;
    const config = loadConfig(env);
    expect(config.databaseUrl).toContain('@postgresql:5432/');
    expect(config.redis.url).toBe('redis://redis:6379');
    expect(config.api).toMatchObject({ host: '0.0.0.0', port: 8321 });
  });
});
