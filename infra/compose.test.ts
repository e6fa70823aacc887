/**
 * temporal-compose.yml, checked as far as a machine without Docker can: its services, their health checks and limits,
 * the ports it publishes, the secrets it takes (and never defaults), the files it mounts and runs, the search
 * attributes it registers, and the settings it gives the processes built from this repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, loadConfig } from '../lib/config.ts';
import { configSettings, productionRequiredSettings } from './config-settings.ts';
import {
  MissingVariableError,
  PRODUCTION_SHELL,
  composeText,
  interpolate,
  interpolateAll,
  isOneShot,
  loadCompose,
  references,
  volumeSource,
} from './compose-file.ts';
import { PROMTOOL_VERSION } from './promtool.ts';
import { SEARCH_ATTRIBUTES } from './temporal-cli.ts';
import { TEMPORAL_SETUP_SCRIPT, registeredSearchAttributes, temporalSetupScript } from './temporal-setup-script.ts';
import { needsDevServer } from './temporal-server.ts';

/** Temporal's frontend, history, matching and worker ports (gRPC and membership). */
const TEMPORAL_PORTS = new Set([
  ...Array.from({ length: 7 }, (_, i) => 7233 + i),
  ...Array.from({ length: 7 }, (_, i) => 6933 + i),
]);
const SECRET_NAME = /PASSWORD|PWD|SECRET|_KEY|KEYS|TOKEN/;

describe('temporal-compose.yml', () => {
  const compose = loadCompose();
  const services = Object.entries(compose.services);
  const built = services.filter(([, s]) => s.build === '.');
  const text = composeText();

  it('runs Temporal, its UI and database, TimescaleDB, Redis, the workers, the API, the site proxy and Prometheus', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining([
        'temporal',
        'temporal-schema',
        'temporal-setup',
        'temporal-ui',
        'temporal-postgresql',
        'postgresql',
        'redis',
        'worker',
        'api',
        'site',
        'prometheus',
        'pipeline',
        'schedules',
      ]),
    );
    expect(compose.services.postgresql?.image).toMatch(/^timescale\/timescaledb:/);
    expect(compose.services['temporal-ui']?.image).toMatch(/^temporalio\/ui:/);
    expect(compose.services.site?.image).toMatch(/^nginx:/);
  });

  it('gives every service a health check, or marks it a one-shot job, and resource limits', () => {
    for (const [name, service] of services) {
      if (isOneShot(service)) {
        expect(['temporal-schema', 'temporal-setup', 'pipeline', 'schedules'], name).toContain(name);
      } else {
        expect(service.healthcheck?.test?.length, `${name}: healthcheck`).toBeGreaterThan(0);
        expect(service.restart, `${name}: restart`).toBe('unless-stopped');
      }
      const limits = service.deploy?.resources?.limits;
      expect(Number(limits?.cpus), `${name}: cpus`).toBeGreaterThan(0);
      expect(limits?.memory, `${name}: memory`).toMatch(/^\d+[mg]$/);
    }
  });

  it('checks each service the way its software answers', () => {
    const check = (name: string) => compose.services[name]!.healthcheck!.test!.join(' ');
    expect(check('worker')).toContain('http://127.0.0.1:9464/healthz');
    expect(compose.services.worker?.environment?.METRICS_ADDRESS).toBe('0.0.0.0:9464');
    // Liveness: /readyz fails until a model is promoted (the whole first run); Kubernetes probes readiness on it.
    expect(check('api')).toContain('http://127.0.0.1:8321/healthz');
    expect(check('api')).not.toContain('/readyz');
    expect(check('temporal')).toContain('temporal operator cluster health');
    expect(check('postgresql')).toContain('pg_isready');
    expect(check('temporal-postgresql')).toContain('pg_isready');
    expect(check('redis')).toMatch(/REDISCLI_AUTH="\$\$REDIS_PASSWORD" redis-cli ping/);
    expect(check('site')).toContain('http://127.0.0.1/nginx-health');
    expect(readFileSync(path.join(REPO_ROOT, 'infra/nginx/site.conf'), 'utf8')).toMatch(
      /location = \/nginx-health \{[^}]*allow 127\.0\.0\.1;\s*deny all;/,
    );
    expect(check('prometheus')).toContain('/-/healthy');
  });

  it('runs WORKER_REPLICAS workers, three unless told otherwise', () => {
    expect(compose.services.worker?.deploy?.replicas).toBe('${WORKER_REPLICAS:-3}');
    expect(interpolate(String(compose.services.worker?.deploy?.replicas), {})).toBe('3');
    expect(interpolate(String(compose.services.worker?.deploy?.replicas), { WORKER_REPLICAS: '8' })).toBe('8');
  });

  it('publishes only HTTPS and its redirect, plus the UI and Prometheus on loopback; no Temporal port', () => {
    for (const [name, service] of services) {
      for (const port of service.ports ?? []) {
        const parts = port.split(':');
        const [host, published, target] = parts.length === 3 ? parts : ['', parts[0], parts[1]];
        expect(TEMPORAL_PORTS.has(Number(published)), `${name}: ${port}`).toBe(false);
        expect(TEMPORAL_PORTS.has(Number(target)), `${name}: ${port}`).toBe(false);
        if (name === 'site') expect(['443:443', '80:80']).toContain(port);
        else expect(host, `${name}: ${port} must be bound to 127.0.0.1`).toBe('127.0.0.1');
      }
    }
    for (const name of ['temporal', 'temporal-postgresql', 'postgresql', 'redis', 'worker', 'api']) {
      expect(compose.services[name]?.ports, name).toBeUndefined();
    }
    expect(compose.services['temporal-ui']?.ports).toEqual(['127.0.0.1:8233:8080']);
  });

  it('takes every password, secret and key from the environment with no default', () => {
    const refs = references(text);
    for (const ref of refs.filter((r) => SECRET_NAME.test(r.name))) {
      expect(ref.operator, `\${${ref.name}} needs :? (no default)`).toBe(':?');
      expect(ref.argument, ref.name).not.toBe('');
    }
    // Every variable either has a harmless default or is one this test (and the README) knows must be set.
    const required = new Set(refs.filter((r) => r.operator === ':?').map((r) => r.name));
    expect(required).toEqual(new Set(Object.keys(PRODUCTION_SHELL)));
    for (const ref of refs.filter((r) => r.operator !== ':?')) {
      expect([':-'], `\${${ref.name}}`).toContain(ref.operator);
      expect(SECRET_NAME.test(ref.name), ref.name).toBe(false);
    }
  });

  it('writes no password into the file', () => {
    for (const [name, service] of services) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (SECRET_NAME.test(key)) expect(String(value), `${name}: ${key}`).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
      }
    }
    // Credentials inside URLs are references too.
    for (const match of text.matchAll(/[a-z]+:\/\/([^/\s:@]*):([^@\s]+)@/g))
      expect(match[2], match[0]).toMatch(/^\$\{[A-Z_]+:\?/);
    expect(text).not.toMatch(/requirepass\s+(?!"\$\$)/);
    expect(text).not.toMatch(/redis-cli\s+-a\b/);
  });

  it('refuses to start without the secrets', () => {
    for (const [name, service] of built) {
      expect(() => interpolateAll(service.environment ?? {}, {}), name).toThrow(MissingVariableError);
    }
    const { POSTGRES_PASSWORD: _unset, ...withoutDb } = PRODUCTION_SHELL;
    expect(() => interpolateAll(compose.services.worker!.environment!, withoutDb)).toThrow(/POSTGRES_PASSWORD/);
    expect(() =>
      interpolate(
        compose.services.site!.volumes!.find((v) => v.includes('TLS_CERT_DIR'))!,
        {},
      ),
    ).toThrow(/TLS_CERT_DIR/);
  });

  it('persists Temporal to its own PostgreSQL, with the schema set up first by the matching admin-tools', () => {
    const temporal = compose.services.temporal!;
    const tag = temporal.image!.split(':')[1];
    expect(temporal.image).toMatch(/^temporalio\/server:\d+\.\d+\.\d+$/);
    expect(temporal.environment).toMatchObject({
      DB: 'postgres12',
      POSTGRES_SEEDS: 'temporal-postgresql',
      POSTGRES_USER: 'temporal',
    });
    expect(temporal.depends_on).toMatchObject({ 'temporal-schema': { condition: 'service_completed_successfully' } });
    const schema = compose.services['temporal-schema']!;
    expect(schema.image).toBe(`temporalio/admin-tools:${tag}`);
    expect(compose.services['temporal-setup']!.image).toBe(`temporalio/admin-tools:${tag}`);
    const script = [schema.command].flat().join('\n');
    for (const db of ['temporal', 'temporal_visibility']) {
      expect(script).toContain(`--db ${db} setup-schema -v 0.0`);
      expect(script).toMatch(
        new RegExp(
          `--db ${db} update-schema -d \\$\\$schema/${db === 'temporal' ? 'temporal' : 'visibility'}/versioned`,
        ),
      );
    }
    expect(script).toContain('--plugin postgres12 --ep temporal-postgresql');
    expect(compose.services['temporal-postgresql']?.environment?.POSTGRES_DB).toBe('temporal');
  });

  it('creates the namespace, then registers every search attribute the workflows write, with its type, and no other', () => {
    const setup = compose.services['temporal-setup']!;
    expect(setup.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'default' });
    // The one script the Kubernetes Job runs too (k8s/manifests.test.ts), mounted and run as is.
    expect(setup.volumes).toEqual([`./${TEMPORAL_SETUP_SCRIPT}:/etc/afwd/temporal-setup.sh:ro`]);
    expect(setup.entrypoint).toEqual(['sh', '/etc/afwd/temporal-setup.sh']);
    expect(setup.command).toBeUndefined();
    const script = temporalSetupScript();
    expect(script).toMatch(/^set -eu$/m);
    expect(script).toContain('temporal operator namespace create --namespace "$namespace"');
    expect(registeredSearchAttributes(script)).toEqual(SEARCH_ATTRIBUTES);
    expect(setup.depends_on).toMatchObject({ temporal: { condition: 'service_healthy' } });
    expect(compose.services.worker?.depends_on).toMatchObject({
      'temporal-setup': { condition: 'service_completed_successfully' },
    });
  });

  it('runs the first full pipeline only in the `init` profile, never restarted, and nothing waits for it', () => {
    const pipeline = compose.services.pipeline!;
    expect(pipeline.profiles).toEqual(['init']);
    expect(pipeline.restart).toBe('no');
    for (const [name, service] of services) {
      expect(Object.keys(service.depends_on ?? {}), name).not.toContain('pipeline');
      if (name !== 'pipeline') expect(service.profiles, name).toBeUndefined();
    }
  });

  it('runs the Prometheus release whose promtool checks the rules', () => {
    // Prometheus tags v3.N.M as Go module versions v0.3NN.M (infra/promtool.ts).
    const match = /^v0\.(\d)(\d\d)\.(\d+)$/.exec(PROMTOOL_VERSION);
    expect(match, PROMTOOL_VERSION).not.toBeNull();
    const [, major, minor, patch] = match!;
    expect(compose.services.prometheus?.image).toBe(`prom/prometheus:v${major}.${Number(minor)}.${patch}`);
  });

  it('mounts only files of this repository that exist, and certificates from a folder the environment names', () => {
    const sources = services.flatMap(([, s]) => s.volumes ?? []).map(volumeSource);
    const files = sources.filter((source) => source.startsWith('.') || source.startsWith('/'));
    expect(files).toEqual(
      expect.arrayContaining([
        './ops/prometheus/prometheus.yml',
        './ops/prometheus/alerts.yml',
        './infra/nginx/site.conf',
      ]),
    );
    for (const source of files) expect(existsSync(path.join(REPO_ROOT, source)), source).toBe(true);
    for (const source of sources.filter((s) => s.startsWith('$')))
      expect(source, source).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
    const named = sources.filter((s) => /^[a-z][a-z0-9-]*$/.test(s));
    for (const volume of named) expect(Object.keys(compose.volumes), volume).toContain(volume);
  });

  it('gives Prometheus the rules beside its configuration, and scrapes services the compose runs', () => {
    const prometheus = parse(readFileSync(path.join(REPO_ROOT, 'ops/prometheus/prometheus.yml'), 'utf8')) as {
      rule_files?: string[];
      scrape_configs?: {
        static_configs?: { targets: string[] }[];
        dns_sd_configs?: { names: string[]; port: number }[];
      }[];
    };
    expect(prometheus.rule_files).toContain('alerts.yml');
    expect(compose.services.prometheus?.volumes).toContain('./ops/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro');
    const hosts = (prometheus.scrape_configs ?? []).flatMap((c) => [
      ...(c.static_configs ?? []).flatMap((s) => s.targets),
      ...(c.dns_sd_configs ?? []).flatMap((d) => d.names.map((n) => `${n}:${d.port}`)),
    ]);
    expect(hosts).toEqual(expect.arrayContaining(['worker:9464', 'api:8321']));
    for (const host of hosts) expect(Object.keys(compose.services), host).toContain(host.split(':')[0]);
  });

  it('runs entry points that exist in the image it builds', () => {
    expect(built.map(([name]) => name).sort()).toEqual(['api', 'pipeline', 'schedules', 'worker']);
    for (const [name, service] of built) {
      const command = service.command as string[];
      expect(command[0], name).toBe('node');
      expect(existsSync(path.join(REPO_ROOT, command[1]!)), `${name}: ${command[1]}`).toBe(true);
      expect(service.image, name).toBe('afwd:latest');
    }
  });

  it('gives the processes it builds only settings lib/config.ts accepts, with their values accepted', () => {
    const settings = configSettings();
    for (const [name, service] of built) {
      const env = interpolateAll(service.environment ?? {}, PRODUCTION_SHELL);
      for (const setting of Object.keys(env)) expect(settings.has(setting), `${name}: ${setting}`).toBe(true);
      expect(() => loadConfig(env), name).not.toThrow();
    }
  });

  it('sets every setting that would otherwise mean a local stand-in (PRODUCTION_REQUIRED_SETTINGS of lib/config.ts)', () => {
    for (const [name, service] of built) {
      const env = interpolateAll(service.environment ?? {}, PRODUCTION_SHELL);
      for (const setting of productionRequiredSettings(name === 'api' ? 'api' : 'other')) {
        expect(env[setting], `${name}: ${setting}`).toBeTruthy();
      }
      const config = loadConfig(env);
      expect(config.siteUrl, name).toBe('https://prospects.example');
      expect(config.mlb.baseUrl, name).toBe('https://statsapi.mlb.com');
      expect(config.stripe.secretKey, name).toBe(PRODUCTION_SHELL.STRIPE_SECRET_KEY);
      expect(config.redis.url, name).toBe(`redis://:${PRODUCTION_SHELL.REDIS_PASSWORD}@redis:6379`);
      expect(config.mail.from, name).toBe(PRODUCTION_SHELL.MAIL_FROM);
    }
  });

  it('points every process it builds at the compose database and the real Temporal server, so none needs the Temporal CLI', () => {
    for (const [name, service] of built) {
      const config = loadConfig(interpolateAll(service.environment ?? {}, PRODUCTION_SHELL));
      expect(config.databaseUrl, name).toBe(
        `postgres://afwd:${PRODUCTION_SHELL.POSTGRES_PASSWORD}@postgresql:5432/afwd`,
      );
      expect(config.temporal.address, name).toBe('temporal:7233');
      expect(needsDevServer(config.temporal.address), name).toBe(false);
      expect(config.dataDir, name).toBe('/data');
      if (name !== 'api') expect(service.volumes, name).toContain('afwd:/data');
    }
  });
});
