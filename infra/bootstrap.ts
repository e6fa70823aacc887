/**
 * Installs the native prerequisites both README commands need, quickly when they are already there:
 * XGBoost's C library, the Temporal CLI, stripe-mock (tests, and local runs without Stripe settings), Redis (for the API's local server when REDIS_URL is unset, and for tests)
 * and (with --browser, for tests) Debian's Chromium, promtool (the alert rules' checks) and nginx (the production
 * front's configuration, run on loopback by infra/nginx.test.ts).
 * A missing prerequisite that cannot be installed ends with one sentence saying what to do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createLogger } from '../lib/log.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { ensurePromtool } from './promtool.ts';
import { locateRedisServer } from './redis.ts';
import { ensureStripeMock } from './stripe-mock.ts';
import { ensureTemporalCli } from './temporal-cli.ts';
import { locateXgboostLibrary } from '../training/xgboost-library.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
// On stderr: the bootstrap runs before commands whose stdout is their result (`npm run backtest -- --json`).
const log = createLogger({ level: process.env.LOG_LEVEL ?? 'info', name: 'bootstrap', toStderr: true });

let aptUpdated = false;
function aptInstall(pkg: string, why: string): boolean {
  const root = process.getuid?.() === 0;
  if (!root || !existsSync('/usr/bin/apt-get')) return false;
  log.info({ package: pkg }, `installing ${pkg} with apt-get (${why})`);
  const run = (args: string[]) =>
    execFileSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    run(['install', '-y', '--no-install-recommends', pkg]);
  } catch {
    // A fresh machine's package lists may be empty or stale: refresh once, then try again.
    if (aptUpdated) return false;
    aptUpdated = true;
    run(['update']);
    run(['install', '-y', '--no-install-recommends', pkg]);
  }
  return true;
}

function ensureXgboost(): void {
  try {
    locateXgboostLibrary();
  } catch (error) {
    if (!(error instanceof PrerequisiteError) || process.env.XGBOOST_LIBRARY_PATH) throw error;
    if (!aptInstall('libxgboost0', 'XGBoost C library')) throw error;
    locateXgboostLibrary();
  }
}

function ensureRedis(): void {
  if (locateRedisServer()) return;
  if (!aptInstall('redis-server', "the API's rate limits and read cache") || !locateRedisServer()) {
    throw new PrerequisiteError(
      'redis-server was not found: run `apt-get install redis-server` as root, or set REDIS_URL to a Redis server.',
    );
  }
}

function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  if (!aptInstall('chromium', 'browser tests')) {
    throw new PrerequisiteError(
      `Chromium was not found at ${CHROMIUM_PATH}: run \`apt-get install chromium\` as root.`,
    );
  }
}

/** Debian's nginx, unless NGINX_PATH names another binary (as infra/nginx.test.ts honours it). */
const DEBIAN_NGINX = '/usr/sbin/nginx';
function ensureNginx(): void {
  const own = process.env.NGINX_PATH;
  if (own) {
    if (existsSync(own)) return;
    throw new PrerequisiteError(
      `NGINX_PATH names ${own}, which does not exist: point it at an nginx binary or unset it.`,
    );
  }
  if (existsSync(DEBIAN_NGINX)) return;
  // Debian's package starts nginx on port 80 as it installs. A policy-rc.d that refuses every start (exit 101, the
  // Debian convention) keeps it from doing so; it is removed again, so nothing else on the machine changes.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = process.getuid?.() === 0 && !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    if (!aptInstall('nginx-light', "the production front's configuration tests") || !existsSync(DEBIAN_NGINX)) {
      throw new PrerequisiteError(
        `nginx was not found at ${DEBIAN_NGINX}: run \`apt-get install nginx-light\` as root.`,
      );
    }
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}

try {
  ensureXgboost();
  await ensureTemporalCli(log);
  // Tests start their own local Redis (unless TEST_REDIS_URL names one), whatever REDIS_URL says.
  const testRun = process.argv.includes('--browser');
  if (testRun ? !process.env.TEST_REDIS_URL : !process.env.REDIS_URL) ensureRedis();
  // Tests always run stripe-mock; `npm start` does when no Stripe is configured (docs/billing.md).
  if (testRun || (!process.env.STRIPE_API_URL && !process.env.STRIPE_SECRET_KEY)) await ensureStripeMock(log);
  if (process.argv.includes('--browser')) {
    ensureChromium();
    ensureNginx();
  }
  // ops/prometheus/alerts.test.ts checks the alert rules with promtool; nothing else needs it.
  if (testRun) await ensurePromtool(log);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`\n${message}\n`);
  process.exit(1);
}
