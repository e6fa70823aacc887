import { describe, expect, it } from 'vitest';
import { projectedPeak } from './players.ts';
import { FANGRAPHS_HEADER, baseballAmericaTop100Csv, fangraphsGradesCsv, fangraphsId } from './scouting.ts';
import { generateUniverse } from './universe.ts';

const universe = generateUniverse({ seed: 9, fromSeason: 2014, toSeason: 2020, scale: 0.2 });

function rows(csv: string): string[][] {
  return csv
    .trim()
    .split('\n')
    .map((l) => l.split(','));
}

/** Spearman rank correlation. */
function spearman(xs: number[], ys: number[]): number {
  const rank = (v: number[]) => {
    const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
    const r = new Array<number>(v.length);
    order.forEach(([, i], k) => {
      r[i] = k;
    });
    return r;
  };
  const rx = rank(xs);
  const ry = rank(ys);
  const n = xs.length;
  const d2 = rx.reduce((s, r, i) => s + (r - (ry[i] ?? 0)) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

describe('scouting CSV exports', () => {
  it('writes a FanGraphs-style board whose FV tracks hidden skill', () => {
    const table = rows(fangraphsGradesCsv(universe, 2016));
    expect(table[0]).toEqual(FANGRAPHS_HEADER);
    const body = table.slice(1);
    expect(body.length).toBeGreaterThan(200);
    for (const r of body.slice(0, 50)) {
      expect(r[4]).toMatch(/^\d{2}\+?$/);
      const tools = r.slice(6, 17).filter((t) => t !== '');
      expect(tools.length).toBeGreaterThanOrEqual(5);
      for (const t of tools) {
        const [present, future] = (t.split('/') as [string, string]).map(Number);
        expect(present).toBeGreaterThanOrEqual(20);
        expect(future).toBeLessThanOrEqual(80);
        expect(present).toBeLessThanOrEqual(future ?? 0);
      }
    }
    // FV is a noisy read of the truth: it must correlate with the projected peak, but not perfectly.
    const byFgId = new Map([...universe.people.values()].map((p) => [fangraphsId(p.id), p]));
    const fv: number[] = [];
    const peak: number[] = [];
    for (const r of body) {
      const p = byFgId.get(r[17] ?? '');
      const skill = p?.skillBySeason[2015];
      if (!p || skill === undefined) continue;
      fv.push(Number.parseInt(r[4] ?? '0', 10) + (r[4]?.endsWith('+') ? 2.5 : 0));
      peak.push(projectedPeak({ skill, dev: p.dev, born: p.born }, 2015));
    }
    expect(fv.length).toBeGreaterThan(body.length * 0.9);
    const rho = spearman(fv, peak);
    expect(rho).toBeGreaterThan(0.3);
    expect(rho).toBeLessThan(0.98);
  });

  it('writes a Baseball America-style Top 100 scaled to the universe', () => {
    const table = rows(baseballAmericaTop100Csv(universe, 2016));
    expect(table[0]).toEqual(['Rank', 'Player', 'Org', 'Pos', 'Year']);
    expect(table.slice(1)).toHaveLength(20);
    expect(table[1]?.[0]).toBe('1');
    expect(table[1]?.[4]).toBe('2016');
  });
});
