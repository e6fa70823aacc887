/**
 * temporal-compose.yml as the tests read it: parsed (with YAML merge keys, which Compose resolves too), and Compose's
 * variable interpolation, so a test sees the values a container would get from a given shell environment.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../lib/config.ts';

export interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  restart?: string;
  profiles?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: string | number; resources?: { limits?: { cpus?: string; memory?: string } } };
}

export const COMPOSE_PATH = path.join(REPO_ROOT, 'temporal-compose.yml');

/** The file without its comment lines (which may quote `${...}` examples). */
export function composeText(): string {
  return readFileSync(COMPOSE_PATH, 'utf8')
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
}

export function loadCompose(): { services: Record<string, Service>; volumes: Record<string, unknown> } {
  return parse(composeText(), { merge: true }) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };
}

/** A shell that sets every variable the file requires, with values shaped like real ones (none of them real). */
export const PRODUCTION_SHELL: Record<string, string> = {
  POSTGRES_PASSWORD: 'pg-password-0123456789abcdef',
  TEMPORAL_POSTGRES_PASSWORD: 'temporal-password-0123456789',
  REDIS_PASSWORD: 'redis-password-0123456789',
  SITE_URL: 'https://prospects.example',
  STRIPE_SECRET_KEY: 'sk_live_0123456789',
  STRIPE_WEBHOOK_SECRET: 'whsec_0123456789',
  STRIPE_PRICE_ID: 'price_0123456789',
  FANTRAX_SECRET_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  SMTP_URL: 'smtps://mailer:mail-password@smtp.example:465',
  MAIL_FROM: 'A Fine Wine Dynasty <rankings@prospects.example>',
  LINK_SIGNING_SECRET: 'l'.repeat(40),
  TLS_CERT_DIR: '/etc/afwd/tls',
};

/** A `${...}` reference of the file: its variable, operator (`:-`, `-`, `:?`, `?` or none) and default/message. */
export interface Reference {
  name: string;
  operator: string;
  argument: string;
}

const REFERENCE = /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

export function references(text: string): Reference[] {
  return [...text.matchAll(REFERENCE)].map((m) => ({ name: m[1]!, operator: m[2] ?? '', argument: m[3] ?? '' }));
}

/** The error Compose stops with when a `${NAME:?message}` variable is unset or empty. */
export class MissingVariableError extends Error {
  override name = 'MissingVariableError';
}

/** Compose's interpolation of one value under `shell`: defaults, required variables, and `$$` as a literal `$`. */
export function interpolate(value: string, shell: Record<string, string>): string {
  return String(value)
    .replace(REFERENCE, (_all, name: string, operator: string | undefined, argument: string | undefined) => {
      const set = shell[name];
      switch (operator) {
        case ':-':
          return set ? set : argument!;
        case '-':
          return set ?? argument!;
        case ':?':
          if (!set) throw new MissingVariableError(`${name}: ${argument}`);
          return set;
        case '?':
          if (set === undefined) throw new MissingVariableError(`${name}: ${argument}`);
          return set;
        default:
          return set ?? '';
      }
    })
    .replace(/\$\$/g, '$');
}

export function interpolateAll(env: Record<string, string>, shell: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v), shell)]));
}

/** The host side of a volume entry (`source:target[:mode]`), where the source may be a `${VAR:?message}` reference. */
export function volumeSource(volume: string): string {
  if (volume.startsWith('${')) return volume.slice(0, volume.indexOf('}') + 1);
  return volume.split(':')[0]!;
}

/** The one-shot jobs: run to completion (retried on failure, or not restarted at all), with no health check to watch. */
export function isOneShot(service: Service): boolean {
  return (service.restart === 'on-failure' || service.restart === 'no') && service.healthcheck?.disable === true;
}
