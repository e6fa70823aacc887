/**
 * What `--source` names: a directory of recorded responses (the layout of ../shared/realdata), or a project landing
 * zone to replay (`landing:<postgres url>`, optionally `#<origin>` when that landing zone holds several sources).
 */
import path from 'node:path';

export type SourceSpec =
  { kind: 'directory'; dir: string } | { kind: 'landing'; databaseUrl: string; origin: string | undefined };

/** @throws Error with the expected forms when `spec` is neither. */
export function parseSourceSpec(spec: string, cwd: string = process.cwd()): SourceSpec {
  const text = spec.trim();
  if (text === '') throw new Error('--source must name a directory of recorded responses or landing:<postgres url>');
  if (text.startsWith('landing:')) {
    const rest = text.slice('landing:'.length);
    const hash = rest.indexOf('#');
    const databaseUrl = hash < 0 ? rest : rest.slice(0, hash);
    const origin = hash < 0 ? undefined : rest.slice(hash + 1).replace(/\/+$/, '');
    if (!/^postgres(ql)?:\/\//.test(databaseUrl) || !URL.canParse(databaseUrl)) {
      throw new Error(`--source landing:<url> needs a postgres:// URL, got "${databaseUrl}"`);
    }
    if (origin !== undefined && !(/^https?:\/\//.test(origin) && URL.canParse(origin))) {
      throw new Error(
        `--source landing:<url>#<origin> needs an http(s) origin such as http://127.0.0.1:8787, got "${origin}"`,
      );
    }
    return { kind: 'landing', databaseUrl, origin };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new Error(
      `--source takes a directory or landing:<postgres url>, got the URL "${text}" (a live server goes in MLB_STATS_API_URL)`,
    );
  }
  return { kind: 'directory', dir: path.resolve(cwd, text) };
}

/** The spec without secrets, for logs and the console. */
export function describeSourceSpec(spec: SourceSpec): string {
  if (spec.kind === 'directory') return `recorded archive ${spec.dir}`;
  const u = new URL(spec.databaseUrl);
  u.password = '';
  return `landing zone of ${u.toString()}${spec.origin ? ` (responses of ${spec.origin})` : ''}`;
}
