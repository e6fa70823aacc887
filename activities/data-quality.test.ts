import { Writable } from 'node:stream';
import type { MetricGauge, MetricMeter, MetricTags } from '@temporalio/common';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { judgeQuality, tallyOutcomes, type LineOutcome } from '../sources/validate/circuit-breaker.ts';
import { DATA_QUALITY_BREACH, dataQualityBreach, reportQuality } from './data-quality.ts';

const lines = (sportId: number, group: 'hitting' | 'pitching', loaded: number, missingBf: number): LineOutcome[] => [
  ...Array.from({ length: loaded }, () => ({ season: 2006, sportId, group, cause: null })),
  ...Array.from({ length: missingBf }, () => ({
    season: 2006,
    sportId,
    group,
    cause: { field: 'stat.battersFaced', rule: 'missing_field' },
  })),
];
const breached = judgeQuality(tallyOutcomes([...lines(1, 'pitching', 0, 600), ...lines(1, 'hitting', 900, 0)]));
const clean = judgeQuality(tallyOutcomes([...lines(1, 'pitching', 600, 1), ...lines(1, 'hitting', 900, 0)]));

/** A meter that records every gauge value it is given, as the worker's Prometheus registry would export it. */
function recordingMeter() {
  const values: { name: string; value: number; tags: MetricTags }[] = [];
  const meter = {
    createGauge: (name: string) =>
      ({ set: (value: number, tags: MetricTags = {}) => values.push({ name, value, tags }) }) as unknown as MetricGauge,
  } as unknown as MetricMeter;
  return { meter, values };
}

function capturingLog() {
  const out: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'info' },
    new Writable({
      write: (c: Buffer, _e, done) => {
        out.push(JSON.parse(c.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  return { log, out };
}

describe('reportQuality', () => {
  it('on a breach: the quarantine-spike alert with cells and dominant reason, spike gauge 1, share per cell', () => {
    const { meter, values } = recordingMeter();
    const { log, out } = capturingLog();
    reportQuality(log, meter, { batchId: 42, season: 2006 }, breached);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      alert: 'quarantine-spike',
      level: 40,
      batchId: 42,
      season: 2006,
      rows: 1500,
      quarantined: 600,
    });
    expect(out[0]?.cells).toEqual([
      {
        cell: '2006 MLB pitching',
        rows: 600,
        quarantined: 600,
        dominant: 'missing field stat.battersFaced',
        tripped: true,
      },
    ]);
    expect(String(out[0]?.msg)).toContain(
      '2006 MLB pitching: 600 of 600 rows quarantined (100%), dominant reason: missing field stat.battersFaced',
    );
    expect(values).toContainEqual({ name: 'afwd_quarantine_spike', value: 1, tags: { season: '2006' } });
    expect(values).toContainEqual({
      name: 'afwd_quarantine_share',
      value: 1,
      tags: { season: '2006', level: 'MLB', group: 'pitching' },
    });
    expect(values).toContainEqual({
      name: 'afwd_quarantine_share',
      value: 0,
      tags: { season: '2006', level: 'MLB', group: 'hitting' },
    });
  });

  it('on a clean load: no alert, and the gauges are reset (spike 0, the small share as it is)', () => {
    const { meter, values } = recordingMeter();
    const { log, out } = capturingLog();
    reportQuality(log, meter, { batchId: 43, season: 2006 }, clean);
    expect(out).toEqual([]);
    expect(values).toContainEqual({ name: 'afwd_quarantine_spike', value: 0, tags: { season: '2006' } });
    expect(values.find((v) => v.name === 'afwd_quarantine_share' && v.tags.group === 'pitching')?.value).toBeCloseTo(
      1 / 601,
      6,
    );
  });
});

describe('dataQualityBreach', () => {
  it('is non-retryable, typed DataQualityBreach, and tells the operator where to look', () => {
    const failure = dataQualityBreach({ batchId: 42, season: 2006 }, breached);
    expect(failure.type).toBe(DATA_QUALITY_BREACH);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/^season 2006, batch 42: data-quality breach: 2006 MLB pitching: 600 of 600 rows/);
    expect(failure.message).toContain('npm run quarantine -- --batch 42');
    expect(failure.details?.[0]).toMatchObject({ batchId: 42, season: 2006, quarantined: 600 });
  });
});
