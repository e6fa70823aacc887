// Tests for the static compare data: a card per prospect and the name index, from the fixture snapshot.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../lib/snapshot.ts';
import { COMPARE_FACTORS, COMPARE_SEASONS, compareCard, prospectIndex } from './compare-data.ts';
import { explainFactors } from './format.ts';
import { FIXTURE_PATH } from './test-fixtures/generate-snapshot.ts';

const snapshot = JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as Snapshot;

describe('compare data', () => {
  it('keeps what a compare column shows: the facts, the biggest factors in points, the latest seasons', () => {
    const p = snapshot.prospects.find((x) => x.stats.length > COMPARE_SEASONS && x.factors.length > COMPARE_FACTORS)!;
    const card = compareCard(p);
    expect(card).toMatchObject({
      playerId: p.playerId,
      slug: p.slug,
      name: p.name,
      rank: p.rank,
      probability: p.probability,
      eta: p.eta,
      dynastyValue: p.dynasty.value,
      yearsToEta: p.dynasty.yearsToEta,
      organization: p.organization?.name ?? 'Unaffiliated',
    });
    expect(card.factors).toHaveLength(COMPARE_FACTORS);
    expect(card.factors.map((f) => f.label)).toEqual(explainFactors(p, COMPARE_FACTORS).factors.map((f) => f.label));
    const sizes = card.factors.map((f) => Math.abs(f.points));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(card.stats).toHaveLength(COMPARE_SEASONS);
    expect(card.stats[0]!.season).toBe(Math.max(...p.stats.map((s) => s.season)));
    // Small: a column is a fetch of a few hundred bytes, not the whole card.
    expect(JSON.stringify(card).length).toBeLessThan(JSON.stringify(p).length / 2);
  });

  it('indexes every prospect by rank with id, name, slug, club and position', () => {
    const index = prospectIndex(snapshot.prospects);
    expect(index).toHaveLength(snapshot.prospects.length);
    expect(index.map((row) => row[3])).toEqual([...index.map((row) => row[3])].sort((a, b) => a - b));
    const first = snapshot.prospects.find((p) => p.rank === 1)!;
    expect(index[0]).toEqual([
      first.playerId,
      first.name,
      first.slug,
      1,
      first.organization?.abbreviation ?? '',
      first.position,
    ]);
  });
});
