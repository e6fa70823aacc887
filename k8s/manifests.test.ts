/**
 * The Kubernetes example, checked without a cluster: the kinds it uses (no CronJob: Temporal Schedules run the jobs),
 * probes and resources on every long-running container, settings lib/config.ts accepts and every one production needs,
 * images and entry points consistent with the Dockerfile and the compose, and `kubectl kustomize` rendering it when
 * kubectl is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, loadConfig } from '../lib/config.ts';
import { loadCompose } from '../infra/compose-file.ts';
import { configSettings, productionRequiredSettings } from '../infra/config-settings.ts';
import { SEARCH_ATTRIBUTES } from '../infra/temporal-cli.ts';
import { needsDevServer } from '../infra/temporal-server.ts';
import {
  TEMPORAL_SETUP_SCRIPT,
  registeredSearchAttributes,
  temporalSetupScript,
} from '../infra/temporal-setup-script.ts';

const K8S = path.join(REPO_ROOT, 'k8s');
const ALLOWED_KINDS = new Set([
  'Namespace',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'Deployment',
  'Service',
  'Ingress',
  'Job',
]);

interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsUser?: number; runAsNonRoot?: boolean };
  volumes?: { name: string; persistentVolumeClaim?: { claimName: string }; configMap?: { name: string } }[];
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> } | Record<string, string>;
    template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    accessModes?: string[];
    ports?: { name: string; port: number; targetPort: string | number }[];
    tls?: { hosts: string[]; secretName: string }[];
    rules?: {
      host: string;
      http: { paths: { path: string; backend: { service: { name: string; port: { name: string } } } }[] };
    }[];
  };
}

const kustomization = parse(readFileSync(path.join(K8S, 'kustomization.yaml'), 'utf8')) as {
  resources: string[];
  images: { name: string; newName: string }[];
  configMapGenerator: { name: string; files: string[] }[];
};
const manifests: Manifest[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(path.join(K8S, file), 'utf8')).map((doc) => doc.toJS() as Manifest),
);
const secretTemplate = parse(readFileSync(path.join(K8S, 'secret.template.yaml'), 'utf8')) as Manifest;
const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const named = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name)!;
const workloads = [...byKind('Deployment'), ...byKind('Job')];
const containers = workloads.flatMap((w) =>
  w.spec!.template!.spec.containers.map((c) => ({ workload: w, container: c })),
);
const builtHere = containers.filter(({ container }) => container.image === 'afwd');
const configMap = named('ConfigMap', 'afwd-config');

/** The environment a container gets: its ConfigMap and Secret (placeholders replaced by plausible values), then env. */
function environment(container: Container): Record<string, string> {
  const plausible: Record<string, string> = {
    DATABASE_URL: 'postgres://afwd:pw@db.example:5432/afwd',
    REDIS_URL: 'rediss://:pw@redis.example:6380',
    STRIPE_SECRET_KEY: 'sk_live_x',
    STRIPE_WEBHOOK_SECRET: 'whsec_x',
    FANTRAX_SECRET_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
    SMTP_URL: 'smtps://u:p@smtp.example:465',
    LINK_SIGNING_SECRET: 's'.repeat(40),
  };
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, named('ConfigMap', from.configMapRef.name).data);
    if (from.secretRef) {
      expect(from.secretRef.name).toBe(secretTemplate.metadata.name);
      for (const key of Object.keys(secretTemplate.stringData!)) env[key] = plausible[key] ?? 'x';
    }
  }
  for (const variable of container.env ?? []) {
    env[variable.name] = variable.value ?? (variable.valueFrom ? configMap.data!.SITE_URL! : '');
  }
  return env;
}

describe('k8s/', () => {
  it('lists every manifest in kustomization.yaml except the Secret template, and uses only the allowed kinds', () => {
    const files = readdirSync(K8S).filter(
      (f) => f.endsWith('.yaml') && f !== 'kustomization.yaml' && f !== 'secret.template.yaml',
    );
    expect(new Set(kustomization.resources)).toEqual(new Set(files));
    expect(kustomization.resources).not.toContain('secret.template.yaml');
    for (const manifest of manifests)
      expect(ALLOWED_KINDS, `${manifest.kind} ${manifest.metadata.name}`).toContain(manifest.kind);
    expect(
      byKind('Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['afwd-api', 'afwd-site', 'afwd-worker']);
  });

  it('has no CronJob: Temporal Schedules run the recurring jobs, and a Job creates them', () => {
    for (const file of readdirSync(K8S).filter((f) => f.endsWith('.yaml'))) {
      expect(readFileSync(path.join(K8S, file), 'utf8'), file).not.toMatch(/^kind:\s*CronJob/m);
    }
    expect(named('Job', 'afwd-schedules').spec!.template!.spec.containers[0]!.command).toEqual([
      'node',
      'bin/schedules.ts',
    ]);
    expect(named('Job', 'afwd-migrate').spec!.template!.spec.containers[0]!.command).toEqual([
      'node',
      'bin/migrate.ts',
    ]);
  });

  it('gives every container requests and limits, and every long-running one liveness and readiness probes', () => {
    for (const { workload, container } of containers) {
      const where = `${workload.metadata.name}/${container.name}`;
      for (const kind of ['requests', 'limits'] as const) {
        expect(container.resources?.[kind]?.cpu, `${where} ${kind}.cpu`).toBeTruthy();
        expect(container.resources?.[kind]?.memory, `${where} ${kind}.memory`).toBeTruthy();
      }
      if (workload.kind === 'Deployment') {
        expect(container.livenessProbe?.httpGet?.path, `${where} liveness`).toBeTruthy();
        expect(container.readinessProbe?.httpGet?.path, `${where} readiness`).toBeTruthy();
      }
      expect(workload.spec!.template!.spec.securityContext?.runAsNonRoot, where).toBe(true);
    }
  });

  it('runs three workers probed on /healthz at 9464, where METRICS_ADDRESS serves it', () => {
    const worker = named('Deployment', 'afwd-worker');
    expect(worker.spec!.replicas).toBe(3);
    const container = worker.spec!.template!.spec.containers[0]!;
    const port = (name: string | number) =>
      typeof name === 'number' ? name : container.ports!.find((p) => p.name === name)!.containerPort;
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      expect(probe?.httpGet?.path).toBe('/healthz');
      expect(port(probe!.httpGet!.port)).toBe(9464);
    }
    expect(environment(container).METRICS_ADDRESS).toBe('0.0.0.0:9464');
  });

  it('probes the API on the routes it serves: /readyz for readiness, /healthz for liveness', () => {
    const container = named('Deployment', 'afwd-api').spec!.template!.spec.containers[0]!;
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8321 }]);
    const routes = readFileSync(path.join(REPO_ROOT, 'api/routes/health.ts'), 'utf8');
    expect(routes).toContain("path: '/readyz'");
    expect(routes).toContain("path: '/healthz'");
    expect(environment(container)).toMatchObject({ API_HOST: '0.0.0.0', API_PORT: '8321', API_TRUST_PROXY: '1' });
  });

  it("builds its processes from the Dockerfile's image, running entry points that exist as its user", () => {
    expect(kustomization.images.map((i) => i.name)).toEqual(['afwd']);
    expect(loadCompose().services.worker?.image).toBe('afwd:latest');
    const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(builtHere.length).toBe(4);
    for (const { workload, container } of builtHere) {
      expect(container.command?.[0], workload.metadata.name).toBe('node');
      expect(existsSync(path.join(REPO_ROOT, container.command![1]!)), container.command![1]).toBe(true);
      // uid 1000: the node user of the node image the Dockerfile builds on.
      expect(workload.spec!.template!.spec.securityContext?.runAsUser, workload.metadata.name).toBe(1000);
    }
    const site = named('Deployment', 'afwd-site').spec!.template!.spec.containers[0]!;
    const composeNginx = loadCompose().services.site!.image!.split(':')[1];
    expect(site.image).toBe(`nginxinc/nginx-unprivileged:${composeNginx}`);
  });

  it("registers the namespace and exactly the workflows' search attributes with the compose's own script", () => {
    const job = named('Job', 'afwd-temporal-setup').spec!.template!.spec;
    const container = job.containers[0]!;
    // The admin-tools the compose runs it on, matching the server version.
    expect(container.image).toBe(loadCompose().services['temporal-setup']!.image);
    expect(container.image).toBe(`temporalio/admin-tools:${loadCompose().services.temporal!.image!.split(':')[1]}`);
    expect(container.command).toEqual(['sh', '/etc/afwd/temporal-setup.sh']);
    const fromConfig = (name: string) =>
      (container.env!.find((e) => e.name === name)!.valueFrom as { configMapKeyRef: { name: string; key: string } })
        .configMapKeyRef;
    expect(fromConfig('TEMPORAL_ADDRESS')).toEqual({ name: 'afwd-config', key: 'TEMPORAL_ADDRESS' });
    expect(fromConfig('TEMPORAL_NAMESPACE')).toEqual({ name: 'afwd-config', key: 'TEMPORAL_NAMESPACE' });
    const mount = container.volumeMounts!.find((m) => m.mountPath === '/etc/afwd')!;
    expect(job.volumes!.find((v) => v.name === mount.name)?.configMap?.name).toBe('afwd-temporal-setup');
    // The generated ConfigMap is made of the very file the compose mounts.
    const generator = kustomization.configMapGenerator.find((g) => g.name === 'afwd-temporal-setup')!;
    expect(generator.files).toEqual(['temporal-setup.sh']);
    expect(path.join('k8s', generator.files[0]!)).toBe(TEMPORAL_SETUP_SCRIPT);
    expect(loadCompose().services['temporal-setup']!.volumes).toEqual([
      `./${TEMPORAL_SETUP_SCRIPT}:/etc/afwd/temporal-setup.sh:ro`,
    ]);
    expect(registeredSearchAttributes()).toEqual(SEARCH_ATTRIBUTES);
  });

  it('gives every process only settings lib/config.ts accepts, and every one production needs', () => {
    const settings = configSettings();
    for (const key of [...Object.keys(configMap.data!), ...Object.keys(secretTemplate.stringData!)])
      expect(settings.has(key), key).toBe(true);
    for (const { workload, container } of builtHere) {
      const env = environment(container);
      for (const name of Object.keys(env)) expect(settings.has(name), `${workload.metadata.name}: ${name}`).toBe(true);
      const required = productionRequiredSettings(workload.metadata.name === 'afwd-api' ? 'api' : 'other');
      for (const name of required) expect(env[name], `${workload.metadata.name}: ${name}`).toBeTruthy();
      const config = loadConfig(env);
      expect(needsDevServer(config.temporal.address), workload.metadata.name).toBe(false);
      expect(config.siteUrl).toMatch(/^https:\/\//);
    }
  });

  it('keeps only placeholders in the Secret template', () => {
    expect(secretTemplate.kind).toBe('Secret');
    for (const [key, value] of Object.entries(secretTemplate.stringData!)) expect(value, key).toMatch(/^<[^>]+>$/);
  });

  it('shares one ReadWriteMany volume: written by the workers at AFWD_DATA_DIR, read by the site', () => {
    const claim = named('PersistentVolumeClaim', 'afwd-data');
    expect(claim.spec!.accessModes).toEqual(['ReadWriteMany']);
    const mount = (deployment: string) => {
      const spec = named('Deployment', deployment).spec!.template!.spec;
      const volume = spec.volumes!.find((v) => v.persistentVolumeClaim?.claimName === 'afwd-data')!;
      return spec.containers[0]!.volumeMounts!.find((m) => m.name === volume.name)!;
    };
    expect(mount('afwd-worker')).toEqual({ name: 'data', mountPath: configMap.data!.AFWD_DATA_DIR });
    expect(mount('afwd-site')).toMatchObject({ mountPath: '/data', readOnly: true });
  });

  it('routes HTTPS for the site and the API on one origin to Services that select the Deployments', () => {
    const ingress = named('Ingress', 'afwd');
    expect(ingress.spec!.tls?.[0]?.secretName).toBeTruthy();
    const routes = Object.fromEntries(ingress.spec!.rules![0]!.http.paths.map((p) => [p.path, p.backend.service]));
    expect(routes).toMatchObject({
      '/api/': { name: 'afwd-api' },
      '/.well-known/': { name: 'afwd-api' },
      '/': { name: 'afwd-site' },
    });
    expect(ingress.spec!.tls![0]!.hosts).toContain(ingress.spec!.rules![0]!.host);
    expect(new URL(configMap.data!.SITE_URL!).host).toBe(ingress.spec!.rules![0]!.host);
    expect(new URL(configMap.data!.API_PUBLIC_URL!).origin).toBe(new URL(configMap.data!.SITE_URL!).origin);
    for (const backend of Object.values(routes)) {
      const service = named('Service', backend.name);
      expect(service.spec!.ports!.map((p) => p.name)).toContain(backend.port.name);
      const deployment = byKind('Deployment').find((d) =>
        Object.entries(service.spec!.selector as Record<string, string>).every(
          ([k, v]) => d.spec!.template!.metadata!.labels![k] === v,
        ),
      );
      expect(deployment, backend.name).toBeDefined();
    }
  });

  it("serves the site with the same security headers and CSP as the compose's nginx", () => {
    for (const file of ['security-headers.conf', 'site-csp.conf']) {
      expect(readFileSync(path.join(K8S, 'nginx', file), 'utf8'), file).toBe(
        readFileSync(path.join(REPO_ROOT, 'infra/nginx', file), 'utf8'),
      );
    }
    const conf = readFileSync(path.join(K8S, 'nginx/site.conf'), 'utf8');
    expect(conf).toContain('include /etc/nginx/afwd/security-headers.conf;');
    expect(conf).toContain('include /etc/nginx/afwd/site-csp.conf;');
    expect(conf).toContain('location = /nginx-health');
    expect(conf).toContain('listen 8080;');
    const generated = kustomization.configMapGenerator.find((g) => g.name === 'afwd-site-nginx')!;
    expect(generated.files.sort()).toEqual(['nginx/security-headers.conf', 'nginx/site-csp.conf', 'nginx/site.conf']);
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  if (!kubectl) console.warn('k8s/manifests.test.ts: no kubectl: `kubectl kustomize k8s` is not run');
  it.skipIf(!kubectl)('renders with `kubectl kustomize`, every object in the afwd namespace and the image set', () => {
    const rendered = spawnSync('kubectl', ['kustomize', K8S], { encoding: 'utf8' });
    expect(rendered.stderr).toBe('');
    expect(rendered.status).toBe(0);
    const objects = parseAllDocuments(rendered.stdout).map(
      (d) => d.toJS() as Manifest & { metadata: { namespace?: string } },
    );
    expect(objects.map((o) => o.kind)).not.toContain('CronJob');
    for (const object of objects.filter((o) => o.kind !== 'Namespace'))
      expect(object.metadata.namespace, object.metadata.name).toBe('afwd');
    const images = objects.flatMap((o) => o.spec?.template?.spec.containers.map((c) => c.image) ?? []);
    expect(images.filter((i) => i.startsWith(`${kustomization.images[0]!.newName}:`))).toHaveLength(4);
    expect(objects.some((o) => o.kind === 'ConfigMap' && /^afwd-site-nginx-[a-z0-9]+$/.test(o.metadata.name))).toBe(
      true,
    );
    // The setup script reaches the Job byte for byte, under the generated (hashed) name.
    const script = objects.find(
      (o) => o.kind === 'ConfigMap' && /^afwd-temporal-setup-[a-z0-9]+$/.test(o.metadata.name),
    )!;
    expect(script.data!['temporal-setup.sh']).toBe(temporalSetupScript());
    const job = objects.find((o) => o.kind === 'Job' && o.metadata.name === 'afwd-temporal-setup')!;
    expect(job.spec!.template!.spec.volumes!.map((v) => v.configMap?.name)).toContain(script.metadata.name);
  });
});
