/**
 * What the deployment tests (infra/compose*.test.ts, k8s/manifests.test.ts) know of lib/config.ts: the settings it
 * accepts, read from its source so a new setting needs no second list, and the ones a production process must set
 * (its explicit PRODUCTION_REQUIRED_SETTINGS).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PRODUCTION_REQUIRED_SETTINGS, REPO_ROOT } from '../lib/config.ts';

interface Setting {
  name: string;
  /** The doc comment above it (empty when it shares the comment of the setting before). */
  doc: string;
  /** Its zod schema, as written. */
  schema: string;
}

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

/** Settings a process of the given kind must set in production: lib/config.ts's PRODUCTION_REQUIRED_SETTINGS. */
export function productionRequiredSettings(process: 'api' | 'other'): string[] {
  return Object.entries(PRODUCTION_REQUIRED_SETTINGS)
    .filter(([, who]) => who === 'every' || process === 'api')
    .map(([name]) => name);
}
