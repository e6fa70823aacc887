import { describe, expect, it } from 'vitest';
import { isoWeek } from './iso-week.ts';

describe('isoWeek', () => {
  it('numbers weeks from the one holding the first Thursday, across year ends', () => {
    expect(isoWeek(new Date('2026-11-30T04:00:00Z'))).toBe('2026-W49');
    expect(isoWeek(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53');
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2026-01-01T00:00:00Z'))).toBe('2026-W01');
    expect(isoWeek(new Date('2026-12-31T23:59:59Z'))).toBe('2026-W53');
  });
});
