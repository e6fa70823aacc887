/**
 * assessFreshness: how old each source's last successful ingest is, and whether that is older than the source allows.
 * Pure (the clock is an argument), so a health endpoint, a workflow and a test all get the same answer.
 *
 * Sources are the union of those with a recorded success and those with a limit:
 * - a source with a limit that never succeeded (null, missing or an invalid Date) is stale, with ageHours null;
 * - a source without a configured limit is reported (maxAgeHours null) but never stale: there is nothing to break;
 * - a success stamped after `now` (clock skew between hosts) counts as age 0, not as a negative age.
 */

export interface FreshnessInput {
  now: Date;
  lastSuccess: ReadonlyMap<string, Date | null>;
  maxAgeHours: Readonly<Record<string, number>>;
}

export interface SourceFreshness {
  source: string;
  lastSuccess: Date | null;
  /** Hours since the last success, or null if there never was one. */
  ageHours: number | null;
  maxAgeHours: number | null;
  stale: boolean;
}

const HOUR_MS = 3_600_000;

export function assessFreshness({ now, lastSuccess, maxAgeHours }: FreshnessInput): SourceFreshness[] {
  if (Number.isNaN(now.getTime())) throw new RangeError('assessFreshness: now is an invalid Date');
  for (const [source, hours] of Object.entries(maxAgeHours)) {
    if (!(typeof hours === 'number' && hours > 0 && Number.isFinite(hours))) {
      throw new RangeError(
        `assessFreshness: maxAgeHours of ${source} must be a positive number of hours, got ${String(hours)}`,
      );
    }
  }
  const sources = [...new Set([...lastSuccess.keys(), ...Object.keys(maxAgeHours)])].sort();
  return sources.map((source) => {
    const seen = lastSuccess.get(source) ?? null;
    const at = seen !== null && !Number.isNaN(seen.getTime()) ? seen : null;
    const limit = Object.hasOwn(maxAgeHours, source) ? (maxAgeHours[source] ?? null) : null;
    const ageHours = at === null ? null : Math.max(0, (now.getTime() - at.getTime()) / HOUR_MS);
    const stale = limit !== null && (ageHours === null || ageHours > limit);
    return { source, lastSuccess: at, ageHours, maxAgeHours: limit, stale };
  });
}
