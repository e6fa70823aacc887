/**
 * What the deployment tests (infra/compose*.test.ts, k8s/manifests.test.ts) know of lib/config.ts, read from its
 * source so a new setting needs no second list: the settings it accepts, and the ones a production process must set
 * because leaving them unset (or at their default) means a local stand-in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/config.ts';

interface Setting {
  name: string;
  /** The doc comment above it (empty when it shares the comment of the setting before). */
  doc: string;
  /** Its zod schema, as written. */
  schema: string;
}

/**
 * Unset settings whose documented fallback is safe in production, with the reason:
 * STRIPE_API_URL: unset means api.stripe.com once STRIPE_SECRET_KEY is a real key (which production sets);
 * TEMPORAL_CLI_PATH: only a loopback TEMPORAL_ADDRESS ever looks for the CLI.
 */
const SAFE_WHEN_UNSET = new Set(['STRIPE_API_URL', 'TEMPORAL_CLI_PATH']);

/** Defaults that only suit the local stand-ins though the text does not say so: stripe-mock's fixture price. */
const STAND_IN_DEFAULTS = new Set(['STRIPE_PRICE_ID']);

function settings(): Setting[] {
  const source = readFileSync(path.join(REPO_ROOT, 'lib/config.ts'), 'utf8');
  const start = source.indexOf('const EnvSchema = z.object({');
  const end = source.indexOf('\n});', start);
  if (start < 0 || end < 0) throw new Error('lib/config.ts: EnvSchema not found');
  const found: Setting[] = [];
  let doc: string[] = [];
  let inDoc = false;
  for (const line of source.slice(start, end).split('\n').slice(1)) {
    const trimmed = line.trim();
    if (trimmed.startsWith('/**')) {
      inDoc = true;
      doc = [];
    }
    if (inDoc) {
      doc.push(trimmed.replace(/^\/\*\*|\*\/$|^\*/g, '').trim());
      if (trimmed.endsWith('*/')) inDoc = false;
      continue;
    }
    const match = /^ {2}([A-Z][A-Z0-9_]*):\s*(.*)$/.exec(line);
    if (match) {
      found.push({ name: match[1]!, doc: doc.join(' '), schema: match[2]! });
      doc = [];
    }
  }
  return found;
}

/** Every setting lib/config.ts reads. */
export function configSettings(): Set<string> {
  return new Set(settings().map((s) => s.name));
}

/** A doc comment saying that leaving the setting unset means a local stand-in (and not, say, a per-process name). */
const STAND_IN_WHEN_UNSET = /\bUnset:[^.]*\b(local|project-local|sample|generated|stripe-mock|socket)\b/i;

/**
 * Settings a process of the given kind must set in production: those whose doc says unset means a local stand-in,
 * those whose default is a loopback address, and STAND_IN_DEFAULTS. `API_*` settings concern the API process only.
 */
export function productionRequiredSettings(process: 'api' | 'other'): string[] {
  return settings()
    .filter((s) => STAND_IN_WHEN_UNSET.test(s.doc) || /\.default\('[^']*(localhost|127\.0\.0\.1)/.test(s.schema) || STAND_IN_DEFAULTS.has(s.name))
    .map((s) => s.name)
    .filter((name) => !SAFE_WHEN_UNSET.has(name))
    .filter((name) => process === 'api' || !name.startsWith('API_'));
}
