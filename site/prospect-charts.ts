/**
 * The charts of a prospect page, as SVG strings: his key rates by age against the level's average, his probability
 * and rank over the snapshots, and the SHAP waterfall from the average prospect to him.
 */
import type { Prospect } from '../lib/snapshot.ts';
import { lineChart, waterfallChart, type Point } from './charts.ts';
import { ageInSeason, levelKey, levelName, type RateAverages } from './derive.ts';
import { explainFactors, formatAverage, formatPercent, formatShortDate, sortStats } from './format.ts';
import { maxOf, minOf } from './extremes.ts';

type Rate = keyof RateAverages;

export interface ChartView {
  id: string;
  title: string;
  svg: string;
}

const RATES: Record<'hitting' | 'pitching', { rate: Rate; short: string; long: string; iso?: boolean }[]> = {
  hitting: [
    { rate: 'strikeoutRate', short: 'K%', long: 'strikeout rate' },
    { rate: 'walkRate', short: 'BB%', long: 'walk rate' },
    { rate: 'powerRate', short: 'ISO', long: 'isolated power', iso: true },
  ],
  pitching: [
    { rate: 'strikeoutRate', short: 'K%', long: 'strikeout rate' },
    { rate: 'walkRate', short: 'BB%', long: 'walk rate' },
    { rate: 'powerRate', short: 'HR%', long: 'home runs per batter faced' },
  ],
};

/** His key rates, one chart per rate, each point a season at a level, against that level's average. */
export function trajectoryCharts(p: Prospect, asOfSeason: number, averages: Map<string, RateAverages>): ChartView[] {
  const group = p.isPitcher ? 'pitching' : 'hitting';
  const lines = sortStats(p.stats).filter((l) => l.group === group);
  if (lines.length === 0) return [];
  const byAge = p.age !== null;
  // Two levels in one season share an age; nudge the later one right so both show.
  const seen = new Map<number, number>();
  const xs = lines.map((l) => {
    const k = seen.get(l.season) ?? 0;
    seen.set(l.season, k + 1);
    return (byAge ? ageInSeason(p.age, asOfSeason, l.season)! : l.season) + k * 0.2;
  });
  const [lo, hi] = [minOf(xs), maxOf(xs)];
  const xDomain: [number, number] = hi - lo < 1 ? [Math.floor(lo) - 0.5, Math.ceil(hi) + 0.5] : [lo - 0.4, hi + 0.4];
  const xTicks = Array.from(
    { length: Math.floor(xDomain[1]) - Math.ceil(xDomain[0]) + 1 },
    (_, i) => Math.ceil(xDomain[0]) + i,
  );
  return RATES[group].flatMap(({ rate, short, long, iso }) => {
    const main: Point[] = [];
    const reference: Point[] = [];
    const said: string[] = [];
    const fmt = (v: number) => (iso ? formatAverage(v) : formatPercent(v));
    lines.forEach((line, i) => {
      const value = line[rate];
      if (value === null) return;
      const avg = averages.get(levelKey(line.group, line.level))?.[rate] ?? null;
      main.push({ x: xs[i]!, y: value, label: line.level });
      if (avg !== null) reference.push({ x: xs[i]!, y: avg });
      const when = byAge ? `at ${ageInSeason(p.age, asOfSeason, line.season)} in ${line.season}` : `in ${line.season}`;
      said.push(
        `${fmt(value)} ${when} in ${levelName(line.level)}${avg === null ? '' : ` (level average ${fmt(avg)})`}`,
      );
    });
    if (main.length === 0) return [];
    // Whole percentage points (or ten points of ISO) at least, so the ticks never repeat a label.
    const values = [...main, ...reference].map((pt) => pt.y);
    const grain = 0.01;
    const yDomain: [number, number] = [
      Math.max(0, Math.floor((minOf(values) - grain) / (2 * grain)) * 2 * grain),
      Math.ceil((maxOf(values) + grain) / (2 * grain)) * 2 * grain,
    ];
    const id = `trajectory-${rate}`;
    const title = `${short} by ${byAge ? 'age' : 'season'}, against the level's average`;
    const svg = lineChart({
      id,
      title,
      description: `${p.name}'s ${long}: ${said.join('; ')}.`,
      series: [
        { name: p.name.split(' ').at(-1) ?? p.name, kind: 'main', points: main },
        { name: 'Level average', kind: 'reference', points: reference },
      ],
      formatX: (x) => String(x),
      formatY: (y) => (iso ? formatAverage(y) : `${Math.round(y * 100)}%`),
      xTicks,
      xDomain,
      yDomain,
    });
    return [{ id, title, svg }];
  });
}

/** Probability and rank in each snapshot so far. */
export function historyCharts(p: Prospect): ChartView[] {
  if (p.history.length === 0) return [];
  const xs = p.history.map((h) => Date.parse(h.date));
  const tickIndexes =
    p.history.length <= 5
      ? p.history.map((_, i) => i)
      : [0, Math.floor((p.history.length - 1) / 2), p.history.length - 1];
  const xTicks = tickIndexes.map((i) => xs[i]!);
  const day = 86_400_000;
  const xDomain: [number, number] =
    xs.length === 1
      ? [xs[0]! - 7 * day, xs[0]! + 7 * day]
      : [xs[0]! - (xs.at(-1)! - xs[0]!) * 0.06, xs.at(-1)! + (xs.at(-1)! - xs[0]!) * 0.06];
  const formatX = (x: number) => formatShortDate(new Date(x).toISOString());
  const when = (h: Prospect['history'][number]) => formatShortDate(h.date);
  const maxRank = maxOf(p.history.map((h) => h.rank));
  const maxP = maxOf(p.history.map((h) => h.probability));
  return [
    {
      id: 'history-probability',
      title: 'Probability over time',
      svg: lineChart({
        id: 'history-probability',
        title: 'Probability of MLB success, run by run',
        description: `${p.name}'s probability: ${p.history.map((h) => `${formatPercent(h.probability)} on ${when(h)}`).join(', ')}.`,
        series: [
          { name: 'Probability', kind: 'main', points: p.history.map((h, i) => ({ x: xs[i]!, y: h.probability })) },
        ],
        formatX,
        formatY: (y) => `${Math.round(y * 100)}%`,
        xTicks,
        xDomain,
        yDomain: [0, Math.min(1, Math.max(0.1, Math.ceil(maxP * 10 + 0.5) / 10))],
      }),
    },
    {
      id: 'history-rank',
      title: 'Rank over time',
      svg: lineChart({
        id: 'history-rank',
        title: 'Overall rank, run by run',
        description: `${p.name}'s rank: ${p.history.map((h) => `#${h.rank} on ${when(h)}`).join(', ')}.`,
        series: [{ name: 'Rank', kind: 'main', points: p.history.map((h, i) => ({ x: xs[i]!, y: h.rank })) }],
        formatX,
        formatY: (y) => `#${Math.round(y)}`,
        xTicks,
        xDomain,
        yDomain: [1, Math.max(maxRank + Math.ceil(maxRank * 0.15), 5)],
        invertY: true,
      }),
    },
  ];
}

/** The SHAP waterfall, in percentage points of probability. */
export function waterfall(p: Prospect): string {
  const e = explainFactors(p);
  const moves = e.factors.map((f) => `${f.label} ${f.points >= 0 ? '+' : '−'}${Math.abs(f.points).toFixed(1)}`);
  return waterfallChart({
    id: 'shap-waterfall',
    title: `What moves ${p.name} from the average prospect to ${formatPercent(p.probability)}`,
    description:
      `Starting from ${formatPercent(e.baseProbability)} for a prospect the model knows nothing about: ` +
      `${moves.join(', ')} percentage points; all other factors ${e.otherPoints >= 0 ? '+' : '−'}` +
      `${Math.abs(e.otherPoints).toFixed(1)}; ending at ${formatPercent(p.probability)}.`,
    base: e.baseProbability * 100,
    steps: e.factors.map((f) => ({ label: `${f.label} (${f.value})`, points: f.points })),
    other: e.otherPoints,
    final: p.probability * 100,
  });
}
