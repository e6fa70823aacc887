// Tests for the build-time SVG charts: accessible markup, escaping, scales, and a waterfall that adds up.
import { describe, expect, it } from 'vitest';
import { escapeXml, lineChart, niceTicks, waterfallChart } from './charts.ts';

describe('niceTicks', () => {
  it('picks round steps covering the range', () => {
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.12, 0.31, 4)).toEqual([0.15, 0.2, 0.25, 0.3]);
    expect(niceTicks(3, 3)).toEqual([3]);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });
});

describe('lineChart', () => {
  const svg = lineChart({
    id: 'k',
    title: 'K% <by> age',
    description: "O'Neil & co",
    series: [
      {
        name: 'Him',
        kind: 'main',
        points: [
          { x: 19, y: 0.25, label: 'A' },
          { x: 20, y: 0.22, label: 'A+' },
        ],
      },
      {
        name: 'Level average',
        kind: 'reference',
        points: [
          { x: 19, y: 0.24 },
          { x: 20, y: 0.23 },
        ],
      },
    ],
    formatX: String,
    formatY: (y) => `${Math.round(y * 100)}%`,
  });

  it('is an image with its own title and description, escaped', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="k-title k-desc"/);
    expect(svg).toContain('<title id="k-title">K% &#60;by&#62; age</title>');
    expect(svg).toContain('<desc id="k-desc">O&#39;Neil &#38; co</desc>');
    expect(svg).toContain('>A+</text>');
    expect(svg.match(/<path class="line main"/g)).toHaveLength(1);
    expect(svg.match(/<path class="line ref"/g)).toHaveLength(1);
    expect(svg.match(/<circle/g)).toHaveLength(4);
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('puts rank 1 at the top when inverted', () => {
    const ranks = lineChart({
      id: 'r',
      title: 't',
      description: 'd',
      invertY: true,
      yDomain: [1, 11],
      formatX: String,
      formatY: String,
      series: [
        {
          name: 'Rank',
          kind: 'main',
          points: [
            { x: 0, y: 1 },
            { x: 1, y: 11 },
          ],
        },
      ],
    });
    const ys = [...ranks.matchAll(/<circle [^>]*cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(ys[0]).toBeLessThan(ys[1]!);
  });

  it('draws nothing without points', () => {
    expect(lineChart({ id: 'e', title: 't', description: 'd', series: [], formatX: String, formatY: String })).toBe('');
  });

  it('escapes every markup character', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&#60;a href=&#34;x&#34;&#62;&#38;&#39;');
  });
});

describe('waterfallChart', () => {
  it('chains each bar from where the last ended, from the base to the prediction', () => {
    const svg = waterfallChart({
      id: 'w',
      title: 'Why',
      description: 'Because',
      base: 20,
      steps: [
        { label: 'Age', points: 30 },
        { label: 'K%', points: -10 },
      ],
      other: 5,
      final: 45,
    });
    const bars = [...svg.matchAll(/<rect class="bar-(\w+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => ({
      kind: m[1],
      x: Number(m[2]),
      width: Number(m[3]),
    }));
    expect(bars.map((b) => b.kind)).toEqual(['base', 'up', 'down', 'up', 'total']);
    const [base, age, k, other, total] = bars as [
      (typeof bars)[0],
      (typeof bars)[0],
      (typeof bars)[0],
      (typeof bars)[0],
      (typeof bars)[0],
    ];
    // Each bar starts where the previous one ended; the last chained bar ends where the total does.
    expect(age.x).toBeCloseTo(base.x + base.width, 0);
    expect(k.x + k.width).toBeCloseTo(age.x + age.width, 0);
    expect(other.x).toBeCloseTo(k.x, 0);
    expect(other.x + other.width).toBeCloseTo(total.x + total.width, 0);
    expect(svg).toContain('>+30.0</text>');
    expect(svg).toContain('>−10.0</text>');
    expect(svg).toContain('>45.0%</text>');
    expect(svg).toContain('All other factors');
  });

  it('leaves out "other factors" when they add about nothing', () => {
    const svg = waterfallChart({ id: 'w', title: 't', description: 'd', base: 10, steps: [], other: 0.01, final: 10 });
    expect(svg).not.toContain('All other factors');
  });
});
