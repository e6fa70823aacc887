/**
 * Answers counted by phase and status (the redis-kill scenario's before / outage / after), and Prometheus counters
 * read from an exposition text: pure, tested beside it.
 */

/** A phase that starts at `fromMs` (since the run's start) and lasts until the next phase's start. */
export interface Phase {
  name: string;
  fromMs: number;
}

/** The phase a moment falls in: the last one started at or before `atMs` (the first for moments before it). */
export function phaseAt(phases: readonly Phase[], atMs: number): string {
  if (!phases.length) throw new Error('phaseAt: no phases');
  let current = phases[0]!;
  for (const phase of phases) if (phase.fromMs <= atMs) current = phase;
  return current.name;
}

/** Counts of answers by phase, then status ('error' for a request that got no answer). */
export class StatusTally {
  private readonly counts = new Map<string, Map<string, number>>();

  add(phase: string, status: number | 'error'): void {
    const byStatus = this.counts.get(phase) ?? new Map<string, number>();
    const key = String(status);
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    this.counts.set(phase, byStatus);
  }

  /** Answers of `phase` whose status matches `test` (e.g. 5xx). */
  count(phase: string, test: (status: string) => boolean = () => true): number {
    let n = 0;
    for (const [status, c] of this.counts.get(phase) ?? []) if (test(status)) n += c;
    return n;
  }

  /** `200: 12,345, 503: 2` for a phase (statuses in order), or `none`. */
  describe(phase: string): string {
    const byStatus = [...(this.counts.get(phase) ?? [])].sort(([a], [b]) => a.localeCompare(b));
    return byStatus.length ? byStatus.map(([s, c]) => `${s}: ${c.toLocaleString('en-US')}`).join(', ') : 'none';
  }
}

export const is5xx = (status: string): boolean => /^5\d\d$/.test(status);

/**
 * Sums a Prometheus counter's samples whose labels include every pair of `labels`, from an exposition text.
 * @example counterSum(text, 'cache_requests_total', { result: 'hit' })
 */
export function counterSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`, 'gm'))) {
    const have = new Map([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) sum += Number(m[2]);
  }
  return sum;
}
