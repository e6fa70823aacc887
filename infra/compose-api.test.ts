/**
 * temporal-compose.yml's API and its front: the API built from this repository, reached only through the TLS proxy on
 * the site's origin, with settings the configuration accepts and the same premium settings as the worker.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, loadConfig } from '../lib/config.ts';
import { PRODUCTION_SHELL, interpolateAll, loadCompose } from './compose-file.ts';

const nginxFile = (name: string) => readFileSync(path.join(REPO_ROOT, 'infra/nginx', name), 'utf8');

describe('temporal-compose.yml: the API', () => {
  const compose = loadCompose();

  it('runs Redis with a password and the API built from this repository, checked on /healthz, not published', () => {
    const redis = compose.services.redis!;
    expect(redis.image).toMatch(/^redis:7-alpine/);
    expect([redis.command].flat().join(' ')).toContain('--requirepass "$$REDIS_PASSWORD"');
    expect(redis.environment?.REDIS_PASSWORD).toBe('${REDIS_PASSWORD:?set REDIS_PASSWORD}');
    const api = compose.services.api!;
    expect(api.build).toBe('.');
    expect(api.command).toEqual(['node', 'bin/api.ts']);
    expect(api.ports).toBeUndefined();
    // Liveness, not readiness: /readyz fails until the first run promotes a model.
    expect(api.healthcheck?.test?.join(' ')).toContain('http://127.0.0.1:8321/healthz');
    expect(api.depends_on).toMatchObject({
      postgresql: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      temporal: { condition: 'service_healthy' },
    });
  });

  it('gives the API settings the configuration accepts: all interfaces, the site origin, the proxy trusted', () => {
    const config = loadConfig(interpolateAll(compose.services.api!.environment!, PRODUCTION_SHELL));
    expect(config.databaseUrl).toContain('@postgresql:5432/');
    expect(config.redis.url).toBe(`redis://:${PRODUCTION_SHELL.REDIS_PASSWORD}@redis:6379`);
    expect(config.api).toMatchObject({
      host: '0.0.0.0',
      port: 8321,
      publicUrl: 'https://prospects.example',
      trustProxy: true,
    });
    expect(config.api.corsOrigins).toEqual(['https://prospects.example']);
  });

  it('gives the API and the worker the same premium settings, and the API a Temporal client', () => {
    const api = interpolateAll(compose.services.api!.environment!, PRODUCTION_SHELL);
    const worker = interpolateAll(compose.services.worker!.environment!, PRODUCTION_SHELL);
    for (const name of [
      'SITE_URL',
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
      'STRIPE_PRICE_ID',
      'FANTRAX_API_URL',
      'FANTRAX_SECRET_KEYS',
      'SMTP_URL',
      'LINK_SIGNING_SECRET',
    ]) {
      expect(api[name], name).toBe(worker[name]);
    }
    expect(api.TEMPORAL_ADDRESS).toBe(worker.TEMPORAL_ADDRESS);
    expect(loadConfig(worker).fantrax.apiUrl).toBe('https://www.fantrax.com/fxea/general');
  });

  it('serves the site through the TLS proxy with the API on the same origin', () => {
    const site = compose.services.site!;
    expect(site.volumes).toEqual(
      expect.arrayContaining([
        'afwd:/data:ro',
        './infra/nginx/site.conf:/etc/nginx/conf.d/default.conf:ro',
        './infra/nginx:/etc/nginx/afwd:ro',
      ]),
    );
    expect(site.volumes?.some((v) => v.endsWith(':/etc/nginx/certs:ro'))).toBe(true);
    const conf = nginxFile('site.conf');
    expect(conf).toContain('set $api http://api:8321;');
    expect(conf).toMatch(/location \/api\/ \{\s*include \/etc\/nginx\/afwd\/api-proxy\.conf;\s*\}/);
    expect(conf).toMatch(/location \/\.well-known\/ \{\s*include \/etc\/nginx\/afwd\/api-proxy\.conf;\s*\}/);
    expect(nginxFile('api-proxy.conf')).toMatch(/^proxy_pass \$api;$/m);
  });

  it('listens for HTTPS on 443 with the mounted certificates, and on 80 only to redirect', () => {
    const conf = nginxFile('site.conf');
    const servers = conf.split(/^server \{$/m).slice(1);
    expect(servers).toHaveLength(2);
    const [plain, tls] = servers as [string, string];
    expect(plain).toMatch(/listen 80;/);
    expect(plain).toMatch(/location \/ \{\s*return 301 https:\/\/\$host\$request_uri;\s*\}/);
    expect(plain).not.toMatch(/proxy_pass|root /);
    expect(tls).toMatch(/listen 443 ssl http2;/);
    expect(tls).toContain('ssl_certificate /etc/nginx/certs/fullchain.pem;');
    expect(tls).toContain('ssl_certificate_key /etc/nginx/certs/privkey.pem;');
    expect(tls).toMatch(/ssl_protocols TLSv1\.2 TLSv1\.3;/);
    // One include of the security headers in each server block; the CSP only where the site is served.
    for (const server of servers) expect(server).toContain('include /etc/nginx/afwd/security-headers.conf;');
    expect(tls).toContain('include /etc/nginx/afwd/site-csp.conf;');
  });

  it("replaces, rather than doubles, the API's copies of the headers the proxy sets", () => {
    const added = [...nginxFile('security-headers.conf').matchAll(/^add_header (\S+) /gm)].map((m) => m[1]);
    expect(added).toEqual(expect.arrayContaining(['Strict-Transport-Security', 'X-Content-Type-Options']));
    const proxy = nginxFile('api-proxy.conf');
    const hidden = [...proxy.matchAll(/^proxy_hide_header (\S+);/gm)].map((m) => m[1]);
    expect(new Set(hidden)).toEqual(new Set(added));
    expect(proxy).not.toContain('Content-Security-Policy;');
    expect(proxy).toContain('include /etc/nginx/afwd/security-headers.conf;');
  });
});
