/**
 * Reading one `/stats` page, and deciding where the next one starts. Every container of the requested group is read
 * (not only `stats[0]`): a response may carry several (one per group or stat type asked for), each paged with the
 * same `limit`/`offset` and each with its own `totalSplits`.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Container types the parsers read; career and advanced containers are not season lines. */
const READ_TYPES = new Set(['season', 'yearByYear']);

/**
 * The splits of every container of `group` (or without a group) whose type is a season type (or absent), in order.
 * Anything that is not a `{ stats: [...] }` body, or holds no container of the group and type, gives no splits.
 */
export function statsSplitsOf(body: unknown, group: string): unknown[] {
  const out: unknown[] = [];
  const read = readContainers(body, group);
  if (!('problem' in read)) for (const c of read) for (const s of c.splits) out.push(s);
  return out;
}

interface Container {
  splits: unknown[];
  totalSplits: number | null;
}

const NOT_STATS = 'expected { stats: [{ splits: [...] }] }';

function readContainers(body: unknown, group: string): Container[] | { problem: string } {
  const list = isObj(body) ? body.stats : undefined;
  if (!Array.isArray(list)) return { problem: NOT_STATS };
  const out: Container[] = [];
  const skipped: string[] = [];
  for (const c of list as unknown[]) {
    if (!isObj(c)) continue;
    const g = isObj(c.group) ? c.group.displayName : undefined;
    const t = isObj(c.type) ? c.type.displayName : undefined;
    if ((typeof g === 'string' && g !== group) || (typeof t === 'string' && !READ_TYPES.has(t))) {
      skipped.push(`${typeof g === 'string' ? g : '(no group)'}/${typeof t === 'string' ? t : '(no type)'}`);
      continue;
    }
    if (!Array.isArray(c.splits)) return { problem: NOT_STATS };
    out.push({
      splits: c.splits as unknown[],
      totalSplits: typeof c.totalSplits === 'number' && Number.isInteger(c.totalSplits) ? c.totalSplits : null,
    });
  }
  // Containers, but none of the group and a season type: this page's lines are not here (a source that answers
  // another stat type or group), and reading it as an empty page would lose them without a trace.
  if (out.length === 0 && skipped.length > 0) {
    return {
      problem: `no ${group} season container among the ${skipped.length} the body holds (${[...new Set(skipped)].join(', ')})`,
    };
  }
  return out;
}

export interface StatsPage {
  splits: unknown[];
  /** Splits the fullest container returned: how far this page advanced the list. */
  received: number;
  /** The list's length as the server reports it (the largest container's), or null when it reports none. */
  totalSplits: number | null;
}

/** A page's splits and counts, or a reason when the body is not a `/stats` body. */
export function readStatsPage(body: unknown, group: string): StatsPage | { problem: string } {
  const containers = readContainers(body, group);
  if ('problem' in containers) return containers;
  const splits: unknown[] = [];
  let received = 0;
  let total: number | null = null;
  for (const c of containers) {
    for (const s of c.splits) splits.push(s);
    received = Math.max(received, c.splits.length);
    if (c.totalSplits !== null) total = Math.max(total ?? 0, c.totalSplits);
  }
  return { splits, received, totalSplits: total };
}

export type PageStep =
  | { kind: 'done' }
  /** Go on at `offset`; `capped` when the server sent fewer splits than asked while more remain (it caps `limit`). */
  | { kind: 'next'; offset: number; capped: boolean }
  | { kind: 'error'; reason: string };

/**
 * Where paging goes after a page. Follows `totalSplits` when the server reports it: a short page with more remaining
 * means the server caps `limit`, and paging continues from what was actually received (never a silent truncation);
 * an empty page before the end, or a total that changes between pages (the list moved under the pager, so pages
 * may overlap or skip), is an error. Without `totalSplits`, a short page ends the list.
 */
export function nextPage(p: {
  offset: number;
  limit: number;
  received: number;
  totalSplits: number | null;
  firstTotal: number | null;
}): PageStep {
  const { offset, limit, received, totalSplits, firstTotal } = p;
  if (totalSplits === null)
    return received < limit ? { kind: 'done' } : { kind: 'next', offset: offset + received, capped: false };
  if (firstTotal !== null && totalSplits !== firstTotal) {
    return {
      kind: 'error',
      reason: `totalSplits changed from ${firstTotal} to ${totalSplits} while paging (the list changed between pages; refetch with --refresh)`,
    };
  }
  const end = offset + received;
  if (end >= totalSplits) return { kind: 'done' };
  if (received === 0)
    return {
      kind: 'error',
      reason: `totalSplits is ${totalSplits} but the page at offset ${offset} is empty: the list would be truncated at ${offset}`,
    };
  return { kind: 'next', offset: end, capped: received < limit };
}
