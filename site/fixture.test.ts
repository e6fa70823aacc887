// The committed fixture is exactly what the generator makes, and it is internally consistent like a real snapshot.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SnapshotSchema } from '../lib/snapshot.ts';
import {
  FIXTURE_OPTIONS,
  FIXTURE_PATH,
  generateSnapshot,
  serializeSnapshot,
} from './test-fixtures/generate-snapshot.ts';

describe('fixture snapshot', () => {
  it('is up to date with its generator (node site/test-fixtures/generate-snapshot.ts)', async () => {
    expect(await readFile(FIXTURE_PATH, 'utf8')).toBe(serializeSnapshot(generateSnapshot(FIXTURE_OPTIONS)));
  });

  it.each([40, 1200])('is consistent with %i prospects', (count) => {
    const snapshot = SnapshotSchema.parse(generateSnapshot({ count, seed: 3 }));
    const { prospects } = snapshot;
    expect(prospects.map((p) => p.rank)).toEqual(prospects.map((_, i) => i + 1));
    expect(new Set(prospects.map((p) => p.slug)).size).toBe(count);
    expect(new Set(prospects.map((p) => p.name)).size).toBe(count);
    for (let i = 1; i < count; i++)
      expect(prospects[i - 1]!.probability).toBeGreaterThanOrEqual(prospects[i]!.probability);
    for (const p of prospects) {
      expect(p.history.at(-1)).toEqual({
        date: snapshot.generatedAt.slice(0, 10),
        rank: p.rank,
        probability: p.probability,
      });
      expect(p.trend).toBe(p.history.length > 1 ? p.history.at(-2)!.rank - p.rank : null);
      expect(p.isPitcher).toBe(p.position === 'P');
      expect(p.stats.every((l) => l.group === (p.isPitcher ? 'pitching' : 'hitting'))).toBe(true);
    }
    for (const mover of [...snapshot.movers.risers, ...snapshot.movers.fallers]) {
      const p = prospects.find((x) => x.slug === mover.slug)!;
      expect(mover.previousRank - mover.rank).toBe(p.trend);
    }
    expect(snapshot.movers.risers.length).toBeGreaterThan(0);
    expect(snapshot.movers.fallers.length).toBeGreaterThan(0);
  });

  it('is the same for the same seed', () => {
    expect(generateSnapshot({ count: 30, seed: 5 })).toEqual(generateSnapshot({ count: 30, seed: 5 }));
  });
});
