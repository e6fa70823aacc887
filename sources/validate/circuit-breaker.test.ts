import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.ts';
import {
  assertThresholds,
  DEFAULT_BREAKER_THRESHOLDS,
  describeCellVerdict,
  expectedCells,
  judgeQuality,
  MAX_CELLS_IN_MESSAGE,
  tallyOutcomes,
  type LineOutcome,
} from './circuit-breaker.ts';

const MISSING_BF = { field: 'stat.battersFaced', rule: 'missing_field' } as const;
const NEG_K = { field: 'stat.strikeOuts', rule: 'negative_count' } as const;

function outcomes(
  season: number,
  sportId: number | null,
  group: 'hitting' | 'pitching',
  loaded: number,
  quarantined: { cause: LineOutcome['cause']; n: number }[] = [],
): LineOutcome[] {
  const out: LineOutcome[] = [];
  for (let i = 0; i < loaded; i++) out.push({ season, sportId, group, cause: null });
  for (const { cause, n } of quarantined) for (let i = 0; i < n; i++) out.push({ season, sportId, group, cause });
  return out;
}

describe('tallyOutcomes', () => {
  it('counts lines and quarantined lines per (season, level, group), causes most frequent first', () => {
    const cells = tallyOutcomes([
      ...outcomes(2006, 1, 'pitching', 3, [
        { cause: NEG_K, n: 1 },
        { cause: MISSING_BF, n: 2 },
      ]),
      ...outcomes(2006, 1, 'hitting', 4),
      ...outcomes(2006, null, 'hitting', 0, [{ cause: { field: 'sport.id', rule: 'missing_field' }, n: 1 }]),
    ]);
    expect(cells).toHaveLength(3);
    const pitching = cells.find((c) => c.group === 'pitching' && c.sportId === 1);
    expect(pitching).toMatchObject({ rows: 6, quarantined: 3 });
    expect(pitching?.causes).toEqual([
      { ...MISSING_BF, count: 2 },
      { ...NEG_K, count: 1 },
    ]);
    expect(cells.find((c) => c.group === 'hitting' && c.sportId === 1)).toMatchObject({
      rows: 4,
      quarantined: 0,
      causes: [],
    });
    expect(cells.find((c) => c.sportId === null)).toMatchObject({ rows: 1, quarantined: 1 });
  });
});

describe('judgeQuality', () => {
  it('trips on the real incident: every MLB pitching line missing battersFaced, and names cell, counts, field', () => {
    const v = judgeQuality(
      tallyOutcomes([
        ...outcomes(2006, 1, 'pitching', 0, [{ cause: MISSING_BF, n: 9593 }]),
        ...outcomes(2006, 1, 'hitting', 14_000),
        ...outcomes(2006, 11, 'pitching', 50_000, [{ cause: NEG_K, n: 3 }]),
        ...outcomes(2006, 11, 'hitting', 5_000),
      ]),
    );
    expect(v.breached).toBe(true);
    expect(v.cells.filter((c) => c.tripped).map((c) => [c.season, c.sportId, c.group])).toEqual([
      [2006, 1, 'pitching'],
    ]);
    expect(v.message).toContain(
      '2006 MLB pitching: 9,593 of 9,593 rows quarantined (100%), dominant reason: missing field stat.battersFaced',
    );
    // 9,596 of 78,596 = 12.2%: the batch share trips too, and the message says so.
    expect(v.batchTripped).toBe(true);
    expect(v.message).toContain('batch: 9,596 of 78,596 rows quarantined (12%)');
  });

  it("does not trip on scattered faults like the sample's or the real data's (well under 1% per cell)", () => {
    const v = judgeQuality(
      tallyOutcomes([
        ...outcomes(2015, 12, 'pitching', 600, [{ cause: NEG_K, n: 2 }]),
        ...outcomes(2015, 16, 'hitting', 450, [{ cause: { field: null, rule: 'pa_accounting' }, n: 4 }]),
        ...outcomes(2015, 1, 'hitting', 900),
      ]),
    );
    expect(v).toMatchObject({ breached: false, batchTripped: false, message: null, rows: 1956, quarantined: 6 });
    expect(v.cells.every((c) => !c.tripped)).toBe(true);
  });

  it('judges a cell only from cellMinRows lines, and trips only ABOVE the share', () => {
    const t = { cellMinRows: 50, cellMaxShare: 0.2, batchMinRows: 1_000_000, batchMaxShare: 0.05 };
    // 40 lines all quarantined: too small a cell to judge alone.
    expect(
      judgeQuality(tallyOutcomes(outcomes(2015, 16, 'pitching', 0, [{ cause: MISSING_BF, n: 40 }])), t).breached,
    ).toBe(false);
    // Exactly 20% of 50 is the limit, not over it; 11 of 50 is.
    expect(
      judgeQuality(tallyOutcomes(outcomes(2015, 16, 'pitching', 40, [{ cause: MISSING_BF, n: 10 }])), t).breached,
    ).toBe(false);
    expect(
      judgeQuality(tallyOutcomes(outcomes(2015, 16, 'pitching', 39, [{ cause: MISSING_BF, n: 11 }])), t).breached,
    ).toBe(true);
  });

  it('trips on the batch share when no cell is big enough, naming the worst cells', () => {
    const t = { ...DEFAULT_BREAKER_THRESHOLDS, cellMinRows: 1000 };
    const v = judgeQuality(
      tallyOutcomes([
        ...outcomes(2016, 1, 'pitching', 0, [{ cause: MISSING_BF, n: 13 }]),
        ...outcomes(2016, 1, 'hitting', 20),
        ...outcomes(2016, 14, 'pitching', 0, [{ cause: MISSING_BF, n: 30 }]),
        ...outcomes(2016, 14, 'hitting', 60),
      ]),
      t,
    );
    expect(v.batchTripped).toBe(true);
    expect(v.cells.some((c) => c.tripped)).toBe(false);
    expect(v.message).toMatch(
      /^data-quality breach: 2016 A pitching: 30 of 30 rows quarantined \(100%\), dominant reason: missing field stat\.battersFaced; 2016 MLB pitching: 13 of 13/,
    );
    expect(v.message).toContain('batch: 43 of 123 rows quarantined (35%)');
  });

  it('says how many more cells tripped than it lists', () => {
    const all = [11, 12, 13, 14, 15, 16, 5442].flatMap((sportId) =>
      outcomes(2006, sportId, 'pitching', 0, [{ cause: MISSING_BF, n: 60 }]),
    );
    const v = judgeQuality(tallyOutcomes(all));
    expect(v.cells.filter((c) => c.tripped)).toHaveLength(7);
    expect(v.message).toContain(`and ${7 - MAX_CELLS_IN_MESSAGE} more cells`);
  });

  it('trips on a lost stats response, whatever the rates of the lines that did arrive', () => {
    const lost = [{ url: 'http://x/api/v1/stats?group=pitching&season=2016&offset=2000', reason: 'body is not JSON' }];
    const v = judgeQuality(tallyOutcomes(outcomes(2016, 12, 'pitching', 500)), DEFAULT_BREAKER_THRESHOLDS, lost);
    expect(v).toMatchObject({ breached: true, batchTripped: false, lostResponses: lost });
    expect(v.message).toMatch(
      /^data-quality breach: 1 stats response lost after retries, so their lines are missing \(http:\/\/x\/api\/v1\/stats\?group=pitching&season=2016&offset=2000: body is not JSON\)/,
    );
  });

  it('trips on a batch with no pitching line at all, naming the empty cell (500 clean hitting lines do not hide it)', () => {
    const cells = tallyOutcomes(outcomes(2016, 1, 'hitting', 500));
    const v = judgeQuality(cells, DEFAULT_BREAKER_THRESHOLDS, [], expectedCells(2016, cells));
    expect(v).toMatchObject({
      breached: true,
      batchTripped: false,
      rows: 500,
      quarantined: 0,
      emptyCells: [{ season: 2016, sportId: 1, group: 'pitching' }],
    });
    expect(v.message).toMatch(
      /^data-quality breach: 2016 MLB pitching: no lines at all; batch: 0 of 500 rows quarantined \(0%\)/,
    );
    // Without the expectation (an MLB-only season, a bio refresh) the same lines pass, as before.
    expect(judgeQuality(cells).breached).toBe(false);
  });

  it('trips on a minor level whose batters arrived without its pitchers, and counts an all-quarantined cell as present', () => {
    const cells = tallyOutcomes([
      ...outcomes(2016, 1, 'hitting', 500),
      ...outcomes(2016, 1, 'pitching', 0, [{ cause: MISSING_BF, n: 3 }]),
      ...outcomes(2016, 11, 'hitting', 300),
      ...outcomes(2016, 11, 'pitching', 280),
      ...outcomes(2016, 12, 'hitting', 310),
    ]);
    const v = judgeQuality(cells, DEFAULT_BREAKER_THRESHOLDS, [], expectedCells(2016, cells));
    expect(v.emptyCells).toEqual([{ season: 2016, sportId: 12, group: 'pitching' }]);
    expect(v.message).toMatch(/^data-quality breach: 2016 AA pitching: no lines at all;/);
  });

  it('expects MLB hitting and pitching, and both groups of every minor level with lines (a level with none is not expected)', () => {
    const cells = tallyOutcomes([
      ...outcomes(2019, 14, 'pitching', 5),
      ...outcomes(2019, null, 'hitting', 1),
      ...outcomes(2019, 11, 'hitting', 2),
    ]);
    expect(expectedCells(2019, cells).map((c) => `${c.sportId}:${c.group}`)).toEqual([
      '1:hitting',
      '1:pitching',
      '11:hitting',
      '11:pitching',
      '14:hitting',
      '14:pitching',
    ]);
    const full = tallyOutcomes([...outcomes(2019, 1, 'hitting', 40), ...outcomes(2019, 1, 'pitching', 40)]);
    expect(judgeQuality(full, DEFAULT_BREAKER_THRESHOLDS, [], expectedCells(2019, full))).toMatchObject({
      breached: false,
      emptyCells: [],
    });
  });

  it('an empty batch passes (nothing to judge)', () => {
    expect(judgeQuality([])).toMatchObject({ breached: false, rows: 0, share: 0 });
  });

  it("rejects unusable thresholds with the setting's name", () => {
    expect(() => assertThresholds({ ...DEFAULT_BREAKER_THRESHOLDS, cellMaxShare: 1.5 })).toThrow(/cellMaxShare/);
    expect(() => judgeQuality([], { ...DEFAULT_BREAKER_THRESHOLDS, batchMinRows: -1 })).toThrow(/batchMinRows/);
  });
});

describe('describeCellVerdict', () => {
  it("gives the dominant cause's own count when other causes share the cell", () => {
    const [cell] = tallyOutcomes(
      outcomes(2007, null, 'hitting', 10, [
        { cause: NEG_K, n: 5 },
        { cause: { field: null, rule: 'pa_accounting' }, n: 2 },
      ]),
    );
    expect(cell && describeCellVerdict(cell)).toBe(
      '2007 unknown level hitting: 7 of 17 rows quarantined (41%), dominant reason: negative_count (stat.strikeOuts) (5 rows)',
    );
  });
});

describe('configuration', () => {
  it("lib/config.ts defaults are the breaker's defaults, and QUARANTINE_* settings override them", () => {
    expect(loadConfig({}).dataQuality).toEqual(DEFAULT_BREAKER_THRESHOLDS);
    expect(loadConfig({ QUARANTINE_CELL_MAX_SHARE: '0.5', QUARANTINE_BATCH_MIN_ROWS: '10' }).dataQuality).toMatchObject(
      { cellMaxShare: 0.5, batchMinRows: 10 },
    );
    expect(() => loadConfig({ QUARANTINE_BATCH_MAX_SHARE: '5' })).toThrow(/QUARANTINE_BATCH_MAX_SHARE/);
  });
});
