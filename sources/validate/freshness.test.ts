// assessFreshness: ages, staleness, never-succeeded and unconfigured sources, clock skew, bad limits.
import { describe, expect, it } from 'vitest';
import { assessFreshness } from './freshness.ts';

const now = new Date('2026-05-10T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe('assessFreshness', () => {
  it('reports each source with its age and whether it is past its limit, sorted by source', () => {
    const result = assessFreshness({
      now,
      lastSuccess: new Map([
        ['mlb-stats-api', hoursAgo(30)],
        ['fangraphs', hoursAgo(2)],
      ]),
      maxAgeHours: { 'mlb-stats-api': 26, fangraphs: 24 * 7 },
    });
    expect(result).toEqual([
      { source: 'fangraphs', lastSuccess: hoursAgo(2), ageHours: 2, maxAgeHours: 168, stale: false },
      { source: 'mlb-stats-api', lastSuccess: hoursAgo(30), ageHours: 30, maxAgeHours: 26, stale: true },
    ]);
  });

  it('is fresh exactly at the limit and stale just past it', () => {
    const at = (h: number) =>
      assessFreshness({ now, lastSuccess: new Map([['s', hoursAgo(h)]]), maxAgeHours: { s: 24 } })[0]?.stale;
    expect(at(24)).toBe(false);
    expect(at(24.01)).toBe(true);
  });

  it('calls a source with a limit and no success (null, missing or invalid) stale, with no age', () => {
    const result = assessFreshness({
      now,
      lastSuccess: new Map<string, Date | null>([
        ['never', null],
        ['broken', new Date('nonsense')],
      ]),
      maxAgeHours: { never: 24, broken: 24, missing: 24 },
    });
    expect(result.map((r) => [r.source, r.lastSuccess, r.ageHours, r.stale])).toEqual([
      ['broken', null, null, true],
      ['missing', null, null, true],
      ['never', null, null, true],
    ]);
  });

  it('reports a source without a limit but never calls it stale', () => {
    const [r] = assessFreshness({ now, lastSuccess: new Map([['csv-import', hoursAgo(5000)]]), maxAgeHours: {} });
    expect(r).toEqual({
      source: 'csv-import',
      lastSuccess: hoursAgo(5000),
      ageHours: 5000,
      maxAgeHours: null,
      stale: false,
    });
  });

  it('treats a success stamped in the future (clock skew) as age 0', () => {
    const [r] = assessFreshness({ now, lastSuccess: new Map([['s', hoursAgo(-1)]]), maxAgeHours: { s: 1 } });
    expect(r?.ageHours).toBe(0);
    expect(r?.stale).toBe(false);
  });

  it('refuses an invalid clock or limit with a precise message', () => {
    expect(() => assessFreshness({ now: new Date('x'), lastSuccess: new Map(), maxAgeHours: {} })).toThrow(
      'now is an invalid Date',
    );
    expect(() => assessFreshness({ now, lastSuccess: new Map(), maxAgeHours: { s: 0 } })).toThrow(
      'maxAgeHours of s must be a positive number of hours, got 0',
    );
    expect(() => assessFreshness({ now, lastSuccess: new Map(), maxAgeHours: { s: Number.NaN } })).toThrow('got NaN');
  });
});
