/**
 * SVG charts rendered at build time: line charts (rate trajectories, probability and rank over time, reliability)
 * and the SHAP waterfall. Each returns a self-contained, accessible <svg role="img"> string: a <title> and a <desc>
 * saying what it shows, styled by classes in site.css, scaled to its container through its viewBox.
 */
import { maxOf, minOf } from './extremes.ts';

export interface Point {
  x: number;
  y: number;
  /** Drawn next to the point (e.g. the level). */
  label?: string;
}

export interface Series {
  name: string;
  points: Point[];
  /** "main" is the prospect (solid line, dots), "reference" the comparison (dashed). */
  kind: 'main' | 'reference';
}

export interface LineChartOptions {
  /** Unique on the page: prefixes the ids of the title and description. */
  id: string;
  title: string;
  description: string;
  series: Series[];
  formatX: (x: number) => string;
  formatY: (y: number) => string;
  xTicks?: number[];
  yDomain?: [number, number];
  xDomain?: [number, number];
  /** Largest value at the bottom (ranks). */
  invertY?: boolean;
  width?: number;
  height?: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const n = (x: number) => Number(x.toFixed(1));

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max - min < 1e-12) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw * 0.75) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step - 1e-9) * step; t <= max + step * 1e-9; t += step)
    ticks.push(Number(t.toFixed(10)));
  return ticks;
}

function extent(values: number[], pad: number): [number, number] {
  const lo = minOf(values);
  const hi = maxOf(values);
  const room = hi - lo > 1e-12 ? (hi - lo) * pad : Math.abs(hi) * 0.1 || 1;
  return [lo - room, hi + room];
}

function svgOpen(id: string, title: string, description: string, width: number, height: number, kind: string): string {
  return (
    `<svg class="chart chart-${kind}" viewBox="0 0 ${width} ${height}" role="img" ` +
    `aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>`
  );
}

export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 320;
  const height = o.height ?? 190;
  const m = { left: 46, right: 14, top: 26, bottom: 28 };
  const all = o.series.flatMap((s) => s.points);
  if (all.length === 0) return '';
  const [x0, x1] =
    o.xDomain ??
    extent(
      all.map((p) => p.x),
      0.06,
    );
  const [y0, y1] =
    o.yDomain ??
    extent(
      all.map((p) => p.y),
      0.12,
    );
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0 || 1)) * (width - m.left - m.right);
  const sy = (y: number) => {
    const t = (y - y0) / (y1 - y0 || 1);
    return o.invertY ? m.top + t * (height - m.top - m.bottom) : height - m.bottom - t * (height - m.top - m.bottom);
  };
  const parts = [svgOpen(o.id, o.title, o.description, width, height, 'line')];
  for (const t of niceTicks(Math.min(y0, y1), Math.max(y0, y1), 4)) {
    parts.push(
      `<line class="grid" x1="${m.left}" x2="${width - m.right}" y1="${n(sy(t))}" y2="${n(sy(t))}"/>`,
      `<text class="tick" x="${m.left - 5}" y="${n(sy(t) + 3.5)}" text-anchor="end">${escapeXml(o.formatY(t))}</text>`,
    );
  }
  const xTicks = (o.xTicks ?? niceTicks(x0, x1, 4)).filter((t) => t >= x0 - 1e-9 && t <= x1 + 1e-9);
  for (const t of xTicks) {
    parts.push(
      `<text class="tick" x="${n(sx(t))}" y="${height - m.bottom + 15}" text-anchor="middle">${escapeXml(o.formatX(t))}</text>`,
    );
  }
  parts.push(
    `<line class="axis" x1="${m.left}" x2="${width - m.right}" y1="${height - m.bottom}" y2="${height - m.bottom}"/>`,
  );
  let legendX = m.left;
  for (const s of o.series) {
    const cls = s.kind === 'main' ? 'main' : 'ref';
    const path = s.points.map((p, i) => `${i ? 'L' : 'M'}${n(sx(p.x))} ${n(sy(p.y))}`).join('');
    if (s.points.length > 1) parts.push(`<path class="line ${cls}" d="${path}"/>`);
    for (const p of s.points) {
      parts.push(
        `<circle class="dot ${cls}" cx="${n(sx(p.x))}" cy="${n(sy(p.y))}" r="${s.kind === 'main' ? 3.2 : 2.4}"/>`,
      );
      if (p.label) {
        parts.push(
          `<text class="point-label" x="${n(sx(p.x))}" y="${n(sy(p.y) - 7)}" text-anchor="middle">${escapeXml(p.label)}</text>`,
        );
      }
    }
    parts.push(
      `<line class="line ${cls}" x1="${legendX}" x2="${legendX + 16}" y1="10" y2="10"/>`,
      `<text class="legend" x="${legendX + 20}" y="13.5">${escapeXml(s.name)}</text>`,
    );
    legendX += 32 + s.name.length * 5.6;
  }
  parts.push('</svg>');
  return parts.join('');
}

export interface WaterfallOptions {
  id: string;
  title: string;
  description: string;
  /** Probability of the average prospect, in percent. */
  base: number;
  steps: { label: string; points: number }[];
  /** Percentage points of the factors not shown; omitted when about zero. */
  other: number;
  /** The prediction, in percent. */
  final: number;
  width?: number;
}

const signed = (points: number) => `${points >= 0 ? '+' : '−'}${Math.abs(points).toFixed(1)}`;

/**
 * Horizontal waterfall from the average prospect's probability to this one's: one row per factor, its bar
 * starting where the previous one ended. Labels sit above the bars so long ones fit on a phone.
 */
export function waterfallChart(o: WaterfallOptions): string {
  const width = o.width ?? 400;
  const rowHeight = 34;
  const m = { left: 14, right: 52, top: 6, bottom: 24 };
  type Row = { label: string; from: number; to: number; kind: 'base' | 'up' | 'down' | 'total'; value: string };
  const rows: Row[] = [
    { label: 'Average prospect', from: 0, to: o.base, kind: 'base', value: `${o.base.toFixed(1)}%` },
  ];
  let at = o.base;
  const steps = Math.abs(o.other) >= 0.05 ? [...o.steps, { label: 'All other factors', points: o.other }] : o.steps;
  for (const step of steps) {
    rows.push({
      label: step.label,
      from: at,
      to: at + step.points,
      kind: step.points >= 0 ? 'up' : 'down',
      value: signed(step.points),
    });
    at += step.points;
  }
  rows.push({ label: 'This prospect', from: 0, to: o.final, kind: 'total', value: `${o.final.toFixed(1)}%` });
  const lo = minOf(
    rows.map((r) => Math.min(r.from, r.to)),
    0,
  );
  const hi = maxOf(
    rows.map((r) => Math.max(r.from, r.to)),
    1,
  );
  const height = m.top + rows.length * rowHeight + m.bottom;
  const sx = (x: number) => m.left + ((x - lo) / (hi - lo)) * (width - m.left - m.right);
  const parts = [svgOpen(o.id, o.title, o.description, width, height, 'waterfall')];
  const axisY = height - m.bottom;
  for (const t of niceTicks(lo, hi, 4)) {
    parts.push(
      `<line class="grid" x1="${n(sx(t))}" x2="${n(sx(t))}" y1="${m.top}" y2="${axisY}"/>`,
      `<text class="tick" x="${n(sx(t))}" y="${axisY + 15}" text-anchor="middle">${n(t)}%</text>`,
    );
  }
  rows.forEach((row, i) => {
    const y = m.top + i * rowHeight;
    const left = sx(Math.min(row.from, row.to));
    const barWidth = Math.max(1, Math.abs(sx(row.to) - sx(row.from)));
    parts.push(
      `<text class="row-label" x="${m.left}" y="${y + 12}">${escapeXml(row.label)}</text>`,
      `<rect class="bar-${row.kind}" x="${n(left)}" y="${y + 17}" width="${n(barWidth)}" height="11" rx="2"/>`,
      `<text class="row-value" x="${n(left + barWidth + 4)}" y="${y + 26.5}">${escapeXml(row.value)}</text>`,
    );
    const next = rows[i + 1];
    if (next && next.kind !== 'total') {
      const x = n(sx(row.to));
      parts.push(`<line class="connector" x1="${x}" x2="${x}" y1="${y + 28}" y2="${y + rowHeight + 17}"/>`);
    }
  });
  parts.push('</svg>');
  return parts.join('');
}
