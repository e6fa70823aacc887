/**
 * The cause of a quarantined season line reduced to a field and a rule, so rejects can be counted by cause: the
 * circuit breaker names the dominant one ("missing field stat.battersFaced") and the quarantine report groups by it.
 * A reason text stays the full story per row; the cause is its key.
 *
 * Causes come from three places: the shape check (a zod issue with its path), the parser (its reason texts, in
 * sources/mlb-stats-api/parse-stats.ts and parse-counts.ts; reject-cause.test.ts runs the real parser so a reworded
 * message fails a test instead of falling silently into `parse_reject`) and the domain rules (their rule ids).
 */

export interface RejectCause {
  /** Path of the offending field in the split ('stat.battersFaced', 'player.id'), or null when no one field is. */
  field: string | null;
  /** Short key of what is wrong: 'missing_field', 'bad_type', 'negative_count', a domain rule id, ... */
  rule: string;
}

/** "missing field stat.battersFaced", "bf_accounting", "negative_count (stat.strikeOuts)" */
export function describeCause(cause: RejectCause): string {
  if (cause.rule === 'missing_field' && cause.field) return `missing field ${cause.field}`;
  return cause.field ? `${cause.rule} (${cause.field})` : cause.rule;
}

/** The first issue of a failed shape check: a field that is absent is missing; one that is present has the wrong type. */
export function causeOfShapeIssue(issue: { path: string; input: unknown }): RejectCause {
  return { field: issue.path, rule: issue.input === undefined ? 'missing_field' : 'bad_type' };
}

const stat = (name: string | undefined): string | null => (name ? `stat.${name}` : null);

/** Parser reason texts, most specific first. The stat counts are named bare by the parser, hence the `stat.` prefix. */
const PARSE_PATTERNS: readonly [RegExp, (m: RegExpExecArray) => RejectCause][] = [
  [/^split is not an object/, () => ({ field: null, rule: 'not_an_object' })],
  [/^missing player id/, () => ({ field: 'player.id', rule: 'missing_field' })],
  [/^missing or invalid season/, () => ({ field: 'season', rule: 'invalid_value' })],
  [/^missing sport\.id/, () => ({ field: 'sport.id', rule: 'missing_field' })],
  [/^missing stat object/, () => ({ field: 'stat', rule: 'missing_field' })],
  [/^missing outs and inningsPitched/, () => ({ field: 'stat.outs', rule: 'missing_field' })],
  [/^unreadable inningsPitched/, () => ({ field: 'stat.inningsPitched', rule: 'invalid_value' })],
  [/^missing (\w+)/, (m) => ({ field: stat(m[1]), rule: 'missing_field' })],
  [/^(\w+) is not an integer/, (m) => ({ field: stat(m[1]), rule: 'not_integer' })],
  [/^negative (\w+)/, (m) => ({ field: stat(m[1]), rule: 'negative_count' })],
  // "hits (5) exceed atBats (3)": the left-hand count is the one named; a sum of several names no single field.
  [/^(\w+) \(\d+\) exceeds? /, (m) => ({ field: stat(m[1]), rule: 'inconsistent_counts' })],
  [/ exceeds? /, () => ({ field: null, rule: 'inconsistent_counts' })],
  [/^second, different aggregate row/, () => ({ field: null, rule: 'conflicting_aggregate' })],
  [/^conflicting rows/, () => ({ field: null, rule: 'conflicting_rows' })],
];

export function causeOfParseReason(reason: string): RejectCause {
  for (const [pattern, cause] of PARSE_PATTERNS) {
    const m = pattern.exec(reason);
    if (m) return cause(m);
  }
  return { field: null, rule: 'parse_reject' };
}

/** A domain rule of rules.ts / season-lines.ts names the problem itself; it concerns the line, not one field. */
export function causeOfRule(rule: string): RejectCause {
  return { field: null, rule };
}
