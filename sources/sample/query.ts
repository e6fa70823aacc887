/**
 * Query-string readers for the sample server: each returns the parsed value or throws a BadRequest whose message
 * names the parameter and what was wrong, which the server answers as a 400.
 */

export class BadRequest extends Error {
  override name = 'BadRequest';
}

export function intParam(
  q: URLSearchParams,
  name: string,
  opts: { min?: number; max?: number; fallback?: number } = {},
): number {
  const raw = q.get(name);
  if (raw === null || raw === '') {
    if (opts.fallback !== undefined) return opts.fallback;
    throw new BadRequest(`missing required query parameter "${name}"`);
  }
  if (!/^-?\d+$/.test(raw)) throw new BadRequest(`query parameter "${name}" must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (opts.min !== undefined && value < opts.min)
    throw new BadRequest(`query parameter "${name}" must be >= ${opts.min}, got ${value}`);
  if (opts.max !== undefined && value > opts.max)
    throw new BadRequest(`query parameter "${name}" must be <= ${opts.max}, got ${value}`);
  return value;
}

/** A comma-separated (or repeated) list of integers, e.g. sportIds=11,12 or personIds=1&personIds=2. */
export function intListParam(q: URLSearchParams, name: string): number[] | null {
  const all = q.getAll(name);
  if (all.length === 0) return null;
  const parts = all
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw new BadRequest(`query parameter "${name}" is empty`);
  return parts.map((s) => {
    if (!/^\d+$/.test(s)) throw new BadRequest(`query parameter "${name}" must list integers, got "${s}"`);
    return Number(s);
  });
}

/** A comma-separated list of words from an allowed set, case-insensitive; returns them lower-cased. */
export function enumListParam<T extends string>(q: URLSearchParams, name: string, allowed: readonly T[]): T[] {
  const raw = q
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (raw.length === 0)
    throw new BadRequest(`missing required query parameter "${name}" (one of ${allowed.join(', ')})`);
  return raw.map((s) => {
    const found = allowed.find((a) => a.toLowerCase() === s.toLowerCase());
    if (!found) throw new BadRequest(`query parameter "${name}" must be one of ${allowed.join(', ')}, got "${s}"`);
    return found;
  });
}
