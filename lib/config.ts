/**
 * The one validated configuration of a process: every setting read once from the environment, with its default.
 * `.env.example` lists the same settings; a bad value stops start-up with the setting's name.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_REGULAR_SEASON_END, calendarFrom, type SeasonCalendar } from './season-calendar.ts';

/** Root of the clone; defaults that are paths hang off it. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));
const optionalUrl = optionalString.pipe(z.url().optional());
const optionalHttpUrl = optionalString.pipe(
  z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
);
/** `key=value` pairs, comma-separated (the OTLP exporters' header format). */
const OTLP_HEADERS = /^$|^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/;

const EnvSchema = z.object({
  /** Folder for everything a local run creates: database cluster, Temporal's SQLite file, artifacts, sites. */
  AFWD_DATA_DIR: z.string().default(path.join(REPO_ROOT, '.data')),
  /** PostgreSQL connection string. Unset: a project-local cluster in `AFWD_DATA_DIR/postgres`. */
  DATABASE_URL: optionalUrl,
  /** Port of the project-local PostgreSQL cluster (used only without DATABASE_URL). */
  EMBEDDED_PG_PORT: port.default(54329),
  /** Milliseconds allowed to open a database connection. */
  DATABASE_CONNECT_TIMEOUT_MS: positiveInt.default(10_000),
  /** Longest a single SQL statement may run before the server cancels it; 0 disables. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(600_000),
  /** Longest a connection may sit idle inside an open transaction (a stalled process holding locks); 0 disables. */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).default(300_000),
  /** Temporal frontend gRPC address. */
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'must look like host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('afwd-pipeline'),
  /** Port of the Temporal Web UI served by the local dev server. */
  TEMPORAL_UI_PORT: port.default(8233),
  /** Path of a `temporal` CLI binary; unset: PATH, then the per-user cache, then a build from the Go module. */
  TEMPORAL_CLI_PATH: optionalString,
  /** Base URL of the MLB Stats API. Unset: the bundled sample universe, served locally. */
  MLB_STATS_API_URL: optionalUrl,
  /** Requests per second against the stats API; 0 means unlimited. Default: 1 for a remote API, 0 for the sample. */
  MLB_REQUESTS_PER_SECOND: z.coerce.number().min(0).optional(),
  MLB_REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
  MLB_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(5),
  /** Seed, scale (share of a real season's players) and seasons of the generated sample universe. */
  SAMPLE_SEED: z.coerce.number().int().default(20_260_101),
  SAMPLE_SCALE: z.coerce.number().gt(0).max(1).default(0.1),
  SAMPLE_FROM_SEASON: z.coerce.number().int().min(1990).max(2100).default(2010),
  SAMPLE_TO_SEASON: z.coerce.number().int().min(1990).max(2100).default(2026),
  /** Port of the local sample source; fixed so its URLs, the landing zone's keys, stay the same across runs. 0 = any free port. */
  SAMPLE_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** Port of the recorded-archive source (`npm run backfill -- --source DIR`); fixed for the same reason as SAMPLE_PORT. */
  ARCHIVE_PORT: z.coerce.number().int().min(0).max(65535).default(8788),
  /** Public address of the rankings site, for canonical URLs, OpenGraph tags and the sitemap. */
  SITE_URL: z.url().default('http://localhost:4321'),
  /** Port of the published rankings site served by `npm start`. */
  SITE_PORT: port.default(4321),
  /** Threads XGBoost may use; the machines have 2 cores. */
  XGBOOST_NTHREAD: positiveInt.default(2),
  /** Most boosting rounds of the champion (early stopping usually ends sooner); the design's 1,000 at eta 0.01. */
  XGBOOST_ROUNDS: positiveInt.default(1000),
  /** Data-quality circuit breaker: a (season, level, group) cell is judged from this many lines... */
  QUARANTINE_CELL_MIN_ROWS: z.coerce.number().int().min(0).default(30),
  /** ...and trips the breaker when more than this share (0-1) of them is quarantined. */
  QUARANTINE_CELL_MAX_SHARE: z.coerce.number().min(0).max(1).default(0.2),
  /** A batch (one season's load) is judged as a whole from this many lines... */
  QUARANTINE_BATCH_MIN_ROWS: z.coerce.number().int().min(0).default(100),
  /** ...and trips the breaker when more than this share (0-1) of them is quarantined. */
  QUARANTINE_BATCH_MAX_SHARE: z.coerce.number().min(0).max(1).default(0.1),
  /** host:port of the worker's Prometheus endpoint (/metrics): SDK metrics plus source freshness. Empty: off. */
  METRICS_ADDRESS: z
    .string()
    .regex(/^$|^[^:\s]+:\d+$/, 'must look like host:port, or be empty')
    .default(''),
  /** Time zone of the schedules. */
  SCHEDULE_TIMEZONE: z.string().min(1).default('America/New_York'),
  /** Hour (0-23, schedule time zone) of the daily update. */
  DAILY_UPDATE_HOUR: z.coerce.number().int().min(0).max(23).default(6),
  /** Hour (0-23, schedule time zone) of the Monday retraining. */
  WEEKLY_RETRAIN_HOUR: z.coerce.number().int().min(0).max(23).default(4),
  /** Months of the baseball season, when the schedules run, as first-last month numbers. */
  SEASON_MONTHS: z
    .string()
    .regex(/^(1[0-2]|[1-9])-(1[0-2]|[1-9])$/, 'must look like 3-10 (March to October)')
    .default('3-10'),
  /** Hour (0-23, schedule time zone) of the Sunday bio refresh, all year round (positions change in winter too). */
  BIO_REFRESH_HOUR: z.coerce.number().int().min(0).max(23).default(5),
  /**
   * Usual last day of the MLB regular season, as MM-DD: a season counts as finished (labels may read it, in-season
   * rankings stop scoring the season before it) from the day after.
   */
  REGULAR_SEASON_END: z.string().default(DEFAULT_REGULAR_SEASON_END),
  /** Last days of particular regular seasons, comma-separated YYYY-MM-DD (e.g. 2020-09-27), overriding REGULAR_SEASON_END. */
  REGULAR_SEASON_END_DATES: z.string().default(''),
  /** Interface and port of the premium API served by `npm start` and `npm run api`. */
  API_HOST: z.string().min(1).default('127.0.0.1'),
  /** 0 = any free port (tests). */
  API_PORT: z.coerce.number().int().min(0).max(65535).default(8321),
  /** Public address of the API, for the OpenAPI document's server and the printed URLs. Default: http://API_HOST:API_PORT. */
  API_PUBLIC_URL: optionalUrl,
  /** Origins allowed to call the API from a browser, comma-separated. Default: the site's address. */
  API_CORS_ORIGINS: optionalString,
  /** Largest request body the API reads, in bytes. */
  API_BODY_LIMIT_BYTES: positiveInt.default(65_536),
  /** Longest one API query may run before PostgreSQL cancels it. */
  API_STATEMENT_TIMEOUT_MS: positiveInt.default(5_000),
  /** Connections of the API's database pool. */
  API_DB_POOL_SIZE: positiveInt.default(16),
  /** Time in-flight requests get to finish after SIGTERM before the API closes anyway. */
  API_SHUTDOWN_GRACE_MS: positiveInt.max(120_000).default(30_000),
  /** Requests a minute under /api/v1 per caller, by role (anonymous callers per IP); 0 = unlimited. */
  API_RATE_LIMIT_ANONYMOUS: z.coerce.number().int().min(0).default(120),
  API_RATE_LIMIT_FREE: z.coerce.number().int().min(0).default(300),
  API_RATE_LIMIT_PREMIUM: z.coerce.number().int().min(0).default(3000),
  API_RATE_LIMIT_ADMIN: z.coerce.number().int().min(0).default(0),
  /** Behind a reverse proxy: take the client IP from X-Forwarded-For (its last hop). Unset: the socket's address. */
  API_TRUST_PROXY: z
    .enum(['', '0', '1', 'false', 'true'])
    .default('')
    .transform((value) => value === '1' || value === 'true'),
  /** Redis for the API's rate limits and read cache. Unset: a project-local redis-server in AFWD_DATA_DIR/redis. */
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\/\S+$/, 'must look like redis://host:port')
      .optional(),
  ),
  /** Port of the project-local redis-server (used only without REDIS_URL). */
  LOCAL_REDIS_PORT: port.default(6389),
  /** Prefix of every key the API writes, so several deployments (or test suites) can share one Redis. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w.:-]{1,64}$/, 'must be 1-64 letters, digits or . : - _')
    .default('afwd:'),
  /** Issuer and audience written into, and required of, every access token. */
  JWT_ISSUER: z.string().min(1).default('afwd'),
  JWT_AUDIENCE: z.string().min(1).default('afwd-api'),
  /** Signing algorithm of new keys. */
  JWT_ALG: z.enum(['EdDSA', 'ES256']).default('EdDSA'),
  /** Days a signing key signs before a new one replaces it (the old one keeps verifying until its tokens expire). */
  JWT_KEY_ROTATION_DAYS: positiveInt.default(30),
  /** Stripe secret key. Unset: a test key for the local stripe-mock that `npm start` runs. */
  STRIPE_SECRET_KEY: optionalString,
  /** Stripe API base URL (e.g. http://127.0.0.1:12111 for stripe-mock). Unset: api.stripe.com with a live or test key, the local stripe-mock without one. */
  STRIPE_API_URL: optionalUrl,
  /** Signing secret of the webhook endpoint (whsec_...). Unset: a local one, printed by `npm start`. */
  STRIPE_WEBHOOK_SECRET: optionalString,
  /** Price of the premium subscription (price_...). */
  STRIPE_PRICE_ID: z.string().min(1).default('price_afwd_premium_monthly'),
  /** Days a subscriber whose payment failed keeps premium before the downgrade. */
  PAYMENT_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(7),
  /** Port of the local stripe-mock `npm start` runs when STRIPE_API_URL is unset. */
  LOCAL_STRIPE_MOCK_PORT: port.default(12111),
  /** Fantrax API base, up to and including /fxea/general. Unset: the local Fantrax-shaped server `npm start` runs. */
  FANTRAX_API_URL: optionalUrl,
  FANTRAX_REQUEST_TIMEOUT_MS: positiveInt.default(10_000),
  /** Port of the local Fantrax-shaped server. */
  LOCAL_FANTRAX_PORT: port.default(8790),
  /**
   * Keys that encrypt Fantrax Secret IDs (AES-256-GCM), as comma-separated id:base64 pairs of 32 bytes, newest first:
   * new secrets use the first, older ones still decrypt. Unset: a key generated once into AFWD_DATA_DIR.
   */
  FANTRAX_SECRET_KEYS: optionalString,
  /** Hour (0-23, schedule time zone) of the daily Fantrax sync. */
  FANTRAX_SYNC_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  /** SMTP server for e-mail, as smtp://user:pass@host:port or smtps://... Unset: the local SMTP server `npm start` runs. */
  SMTP_URL: optionalString.pipe(
    z
      .string()
      .regex(/^smtps?:\/\/\S+$/, 'must look like smtp://host:port')
      .optional(),
  ),
  /** Port of the local SMTP server, and of its web mailbox (the next port). */
  LOCAL_SMTP_PORT: port.default(2525),
  /** From address of every e-mail. */
  MAIL_FROM: z.string().min(3).default('A Fine Wine Dynasty <rankings@afinewinedynasty.test>'),
  /**
   * Secret that signs unsubscribe links and password-reset tokens (HMAC-SHA256), at least 32 characters.
   * Unset: one generated once into AFWD_DATA_DIR.
   */
  LINK_SIGNING_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** OTLP/HTTP collector base URL (traces go to its /v1/traces). Unset, with no traces endpoint: spans are not exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalHttpUrl,
  /** Full OTLP/HTTP traces URL, used as given; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalHttpUrl,
  /** Headers of every export (a collector's API key), as key=value pairs, comma-separated. */
  OTEL_EXPORTER_OTLP_HEADERS: z.string().trim().regex(OTLP_HEADERS, 'must look like key=value,key2=value2').default(''),
  /** `service.name` of the spans. Unset: each process's own (afwd-api, afwd-worker, afwd-start, afwd-pipeline). */
  OTEL_SERVICE_NAME: optionalString,
});

/**
 * Settings production must set, because unset (or at its default) each means a local stand-in: a project-local
 * database or Redis, the sample source, stripe-mock and its fixture price, the local Fantrax or SMTP server, a key
 * generated on one container's disk, a loopback address, a `.test` sender. `every` process, or the `api` only
 * (API_PUBLIC_URL is every process's: the worker's e-mails link to the API). The deployment tests (temporal-compose.yml,
 * k8s/) check each is set; a new setting whose fallback only suits a local run belongs here. Not listed, as safe unset:
 * STRIPE_API_URL (api.stripe.com once STRIPE_SECRET_KEY is real), TEMPORAL_CLI_PATH (only a loopback Temporal needs it).
 */
export const PRODUCTION_REQUIRED_SETTINGS = {
  DATABASE_URL: 'every',
  TEMPORAL_ADDRESS: 'every',
  MLB_STATS_API_URL: 'every',
  SITE_URL: 'every',
  REDIS_URL: 'every',
  STRIPE_SECRET_KEY: 'every',
  STRIPE_WEBHOOK_SECRET: 'every',
  STRIPE_PRICE_ID: 'every',
  FANTRAX_API_URL: 'every',
  FANTRAX_SECRET_KEYS: 'every',
  SMTP_URL: 'every',
  MAIL_FROM: 'every',
  LINK_SIGNING_SECRET: 'every',
  API_PUBLIC_URL: 'every',
  API_HOST: 'api',
  API_TRUST_PROXY: 'api',
} as const satisfies Partial<Record<keyof z.input<typeof EnvSchema>, 'every' | 'api'>>;

export interface Config {
  dataDir: string;
  databaseUrl: string | undefined;
  embeddedPgPort: number;
  database: { connectTimeoutMs: number; statementTimeoutMs: number; idleInTransactionTimeoutMs: number };
  temporal: { address: string; namespace: string; taskQueue: string; uiPort: number; cliPath: string | undefined };
  mlb: {
    baseUrl: string | undefined;
    requestsPerSecond: number | undefined;
    timeoutMs: number;
    maxRetries: number;
    archivePort: number;
  };
  sample: { seed: number; scale: number; fromSeason: number; toSeason: number; port: number };
  sitePort: number;
  siteUrl: string;
  metricsAddress: string | undefined;
  xgboost: { nthread: number; rounds: number };
  /** Thresholds of the data-quality circuit breaker (sources/validate/circuit-breaker.ts). */
  dataQuality: { cellMinRows: number; cellMaxShare: number; batchMinRows: number; batchMaxShare: number };
  schedules: {
    timezone: string;
    dailyUpdateHour: number;
    weeklyRetrainHour: number;
    bioRefreshHour: number;
    seasonMonths: { first: number; last: number };
  };
  /** When each season's regular season ends: what "the last complete season" means. */
  seasonCalendar: SeasonCalendar;
  api: {
    host: string;
    port: number;
    publicUrl: string;
    corsOrigins: string[];
    bodyLimitBytes: number;
    statementTimeoutMs: number;
    poolSize: number;
    shutdownGraceMs: number;
    /** Requests a minute per caller, by role; 0 = unlimited. */
    rateLimits: { anonymous: number; free: number; premium: number; admin: number };
    trustProxy: boolean;
    jwt: { issuer: string; audience: string; alg: 'EdDSA' | 'ES256'; keyRotationDays: number };
  };
  redis: { url: string | undefined; localPort: number; keyPrefix: string };
  stripe: {
    secretKey: string | undefined;
    apiUrl: string | undefined;
    webhookSecret: string | undefined;
    priceId: string;
    paymentGraceDays: number;
    localMockPort: number;
  };
  fantrax: {
    apiUrl: string | undefined;
    timeoutMs: number;
    localPort: number;
    secretKeys: string | undefined;
    syncHour: number;
  };
  mail: { smtpUrl: string | undefined; localPort: number; from: string };
  linkSigningSecret: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** OpenTelemetry (lib/tracing.ts): where spans are exported, if anywhere. */
  tracing: { otlpTracesUrl: string | undefined; otlpHeaders: Record<string, string>; serviceName: string | undefined };
}

/** A setting that is missing or malformed; the message names it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment once. Throws `ConfigError` naming every bad setting.
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const value = env[String(issue.path[0])];
      return `${issue.path.join('.')}=${JSON.stringify(value)}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const [firstMonth = 0, lastMonth = 0] = e.SEASON_MONTHS.split('-').map(Number);
  if (firstMonth > lastMonth) {
    throw new ConfigError(
      `Invalid configuration: SEASON_MONTHS="${e.SEASON_MONTHS}": the first month is after the last`,
    );
  }
  if (!Intl.supportedValuesOf('timeZone').includes(e.SCHEDULE_TIMEZONE) && e.SCHEDULE_TIMEZONE !== 'UTC') {
    throw new ConfigError(`Invalid configuration: SCHEDULE_TIMEZONE="${e.SCHEDULE_TIMEZONE}" is not an IANA time zone`);
  }
  let seasonCalendar: SeasonCalendar;
  try {
    seasonCalendar = calendarFrom(e.REGULAR_SEASON_END, e.REGULAR_SEASON_END_DATES);
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration: REGULAR_SEASON_END="${e.REGULAR_SEASON_END}", REGULAR_SEASON_END_DATES="${e.REGULAR_SEASON_END_DATES}": ${(error as Error).message}`,
    );
  }
  if (e.SAMPLE_FROM_SEASON > e.SAMPLE_TO_SEASON) {
    throw new ConfigError(
      `Invalid configuration: SAMPLE_FROM_SEASON (${e.SAMPLE_FROM_SEASON}) is after SAMPLE_TO_SEASON (${e.SAMPLE_TO_SEASON})`,
    );
  }
  return {
    dataDir: path.resolve(e.AFWD_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    database: {
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: e.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiPort: e.TEMPORAL_UI_PORT,
      cliPath: e.TEMPORAL_CLI_PATH,
    },
    mlb: {
      baseUrl: e.MLB_STATS_API_URL,
      requestsPerSecond: e.MLB_REQUESTS_PER_SECOND,
      timeoutMs: e.MLB_REQUEST_TIMEOUT_MS,
      maxRetries: e.MLB_MAX_RETRIES,
      archivePort: e.ARCHIVE_PORT,
    },
    sample: {
      seed: e.SAMPLE_SEED,
      scale: e.SAMPLE_SCALE,
      fromSeason: e.SAMPLE_FROM_SEASON,
      toSeason: e.SAMPLE_TO_SEASON,
      port: e.SAMPLE_PORT,
    },
    sitePort: e.SITE_PORT,
    siteUrl: e.SITE_URL,
    metricsAddress: e.METRICS_ADDRESS || undefined,
    xgboost: { nthread: e.XGBOOST_NTHREAD, rounds: e.XGBOOST_ROUNDS },
    dataQuality: {
      cellMinRows: e.QUARANTINE_CELL_MIN_ROWS,
      cellMaxShare: e.QUARANTINE_CELL_MAX_SHARE,
      batchMinRows: e.QUARANTINE_BATCH_MIN_ROWS,
      batchMaxShare: e.QUARANTINE_BATCH_MAX_SHARE,
    },
    schedules: {
      timezone: e.SCHEDULE_TIMEZONE,
      dailyUpdateHour: e.DAILY_UPDATE_HOUR,
      weeklyRetrainHour: e.WEEKLY_RETRAIN_HOUR,
      bioRefreshHour: e.BIO_REFRESH_HOUR,
      seasonMonths: { first: Number(e.SEASON_MONTHS.split('-')[0]), last: Number(e.SEASON_MONTHS.split('-')[1]) },
    },
    seasonCalendar,
    api: {
      host: e.API_HOST,
      port: e.API_PORT,
      publicUrl: (e.API_PUBLIC_URL ?? `http://${e.API_HOST}:${e.API_PORT}`).replace(/\/+$/, ''),
      corsOrigins: (e.API_CORS_ORIGINS ?? new URL(e.SITE_URL).origin)
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      bodyLimitBytes: e.API_BODY_LIMIT_BYTES,
      statementTimeoutMs: e.API_STATEMENT_TIMEOUT_MS,
      poolSize: e.API_DB_POOL_SIZE,
      shutdownGraceMs: e.API_SHUTDOWN_GRACE_MS,
      rateLimits: {
        anonymous: e.API_RATE_LIMIT_ANONYMOUS,
        free: e.API_RATE_LIMIT_FREE,
        premium: e.API_RATE_LIMIT_PREMIUM,
        admin: e.API_RATE_LIMIT_ADMIN,
      },
      trustProxy: e.API_TRUST_PROXY,
      jwt: { issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE, alg: e.JWT_ALG, keyRotationDays: e.JWT_KEY_ROTATION_DAYS },
    },
    redis: { url: e.REDIS_URL, localPort: e.LOCAL_REDIS_PORT, keyPrefix: e.REDIS_KEY_PREFIX },
    stripe: {
      secretKey: e.STRIPE_SECRET_KEY,
      apiUrl: e.STRIPE_API_URL,
      webhookSecret: e.STRIPE_WEBHOOK_SECRET,
      priceId: e.STRIPE_PRICE_ID,
      paymentGraceDays: e.PAYMENT_GRACE_DAYS,
      localMockPort: e.LOCAL_STRIPE_MOCK_PORT,
    },
    fantrax: {
      apiUrl: e.FANTRAX_API_URL,
      timeoutMs: e.FANTRAX_REQUEST_TIMEOUT_MS,
      localPort: e.LOCAL_FANTRAX_PORT,
      secretKeys: e.FANTRAX_SECRET_KEYS,
      syncHour: e.FANTRAX_SYNC_HOUR,
    },
    mail: { smtpUrl: e.SMTP_URL, localPort: e.LOCAL_SMTP_PORT, from: e.MAIL_FROM },
    linkSigningSecret: e.LINK_SIGNING_SECRET,
    logLevel: e.LOG_LEVEL,
    tracing: {
      otlpTracesUrl:
        e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
        (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined),
      otlpHeaders: parseOtlpHeaders(e.OTEL_EXPORTER_OTLP_HEADERS),
      serviceName: e.OTEL_SERVICE_NAME,
    },
  };
}

/** OTEL_EXPORTER_OTLP_HEADERS (already shaped as key=value pairs): values are percent-encoded, as the OTLP spec says. */
function parseOtlpHeaders(value: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of value.split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    try {
      headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      throw new ConfigError(
        `Invalid configuration: OTEL_EXPORTER_OTLP_HEADERS: the value of ${pair.slice(0, at).trim()} is not valid percent-encoding`,
      );
    }
  }
  return headers;
}

/** Folders under the data dir, derived rather than configured so they can never disagree. */
export function dataPaths(config: Pick<Config, 'dataDir'>) {
  const d = config.dataDir;
  return {
    postgres: path.join(d, 'postgres'),
    redis: path.join(d, 'redis'),
    temporalDb: path.join(d, 'temporal.sqlite'),
    artifacts: path.join(d, 'artifacts'),
    features: path.join(d, 'artifacts', 'features'),
    models: path.join(d, 'artifacts', 'models'),
    snapshots: path.join(d, 'artifacts', 'snapshots'),
    siteBuilds: path.join(d, 'site', 'builds'),
    /** Symlink to the build being served; replaced atomically by publishing. */
    siteCurrent: path.join(d, 'site', 'current'),
  };
}
