/** Dynasty value: role weights, years to the ETA, and the same discounting the site applies. */
import { describe, expect, it } from 'vitest';
import { dynastyValue as siteDynastyValue } from '../site/dynasty.ts';
import { discountedValue, dynastyValue, roleWeight, ROLE_WEIGHTS, UNKNOWN_ETA_YEARS } from './dynasty.ts';

describe('roleWeight', () => {
  it.each([
    ['an everyday hitter', { position: 'SS', isPitcher: false }, ROLE_WEIGHTS.hitter],
    ['a catcher by abbreviation', { position: 'C', isPitcher: false }, ROLE_WEIGHTS.catcher],
    ['a catcher by position code', { position: '2', isPitcher: false }, ROLE_WEIGHTS.catcher],
    ['a hitter without a position', { position: null, isPitcher: false }, ROLE_WEIGHTS.hitter],
    ['a full-time starter', { position: 'P', isPitcher: true, gamesStartedShare: 1 }, ROLE_WEIGHTS.starter],
    ['a full-time reliever', { position: 'P', isPitcher: true, gamesStartedShare: 0 }, ROLE_WEIGHTS.reliever],
    ['a piggyback arm at 80% starts', { position: 'P', isPitcher: true, gamesStartedShare: 0.8 }, ROLE_WEIGHTS.starter],
    ['a swingman at half starts', { position: 'P', isPitcher: true, gamesStartedShare: 0.5 }, 0.675],
    ['a pitcher whose starts are unknown', { position: 'P', isPitcher: true, gamesStartedShare: null }, 0.675],
  ])('weighs %s', (_name, input, expected) => {
    expect(roleWeight(input)).toBeCloseTo(expected, 10);
  });
});

describe('dynastyValue', () => {
  it('is 100 x p x role weight x 0.9^years at the default discount', () => {
    const v = dynastyValue({ probability: 0.4, position: 'CF', isPitcher: false, eta: 2028, asOfSeason: 2026 });
    expect(v).toEqual({ roleWeight: 1, yearsToEta: 2, value: expect.closeTo(100 * 0.4 * 0.81, 10) });
  });

  it('does not discount a prospect already in the majors, and never counts negative years', () => {
    expect(
      dynastyValue({ probability: 0.5, position: 'C', isPitcher: false, eta: 2026, asOfSeason: 2026 }).value,
    ).toBeCloseTo(42.5, 10);
    expect(
      dynastyValue({ probability: 0.5, position: 'C', isPitcher: false, eta: 2024, asOfSeason: 2026 }).yearsToEta,
    ).toBe(0);
  });

  it('charges an unknown ETA the years past the success window', () => {
    const v = dynastyValue({
      probability: 0.1,
      position: 'P',
      isPitcher: true,
      gamesStartedShare: 1,
      eta: null,
      asOfSeason: 2026,
    });
    expect(v.yearsToEta).toBe(UNKNOWN_ETA_YEARS);
    expect(v.value).toBeCloseTo(100 * 0.1 * 0.9 * 0.9 ** UNKNOWN_ETA_YEARS, 10);
  });

  it('lets a contender and a rebuilder disagree: a steep discount favours the near prospect', () => {
    const near = { probability: 0.3, position: '2B', isPitcher: false, eta: 2027, asOfSeason: 2026 };
    const far = { ...near, probability: 0.45, eta: 2030 };
    expect(dynastyValue({ ...near, discount: 0.3 }).value).toBeGreaterThan(
      dynastyValue({ ...far, discount: 0.3 }).value,
    );
    expect(dynastyValue({ ...near, discount: 0.03 }).value).toBeLessThan(
      dynastyValue({ ...far, discount: 0.03 }).value,
    );
  });

  it('rejects a discount outside [0, 1)', () => {
    expect(() => discountedValue({ probability: 0.2, roleWeight: 1, yearsToEta: 1 }, 1)).toThrow(RangeError);
  });

  it('re-discounts exactly as the site does', () => {
    for (const discount of [0, 0.03, 0.1, 0.3]) {
      for (const input of [
        { probability: 0.37, roleWeight: 0.45, yearsToEta: 3 },
        { probability: 0.9, roleWeight: 0.85, yearsToEta: 0 },
      ]) {
        expect(discountedValue(input, discount)).toBeCloseTo(siteDynastyValue(input, discount), 12);
      }
    }
  });
});
