import { describe, expect, it } from 'vitest';
import { promotionDecision, rollbackDecision } from './registry.ts';

describe('promotionDecision', () => {
  const champion = { rocAuc: 0.85, brier: 0.05, rows: 1000 };
  it('serves the first usable model', () => {
    expect(promotionDecision({ rocAuc: 0.7, brier: 0.08, rows: 10 }, null)).toMatchObject({
      promote: true,
      reason: 'no champion yet',
    });
  });
  it('promotes only a candidate at least as good on AUC and Brier', () => {
    expect(promotionDecision({ rocAuc: 0.86, brier: 0.049, rows: 1000 }, champion).promote).toBe(true);
    expect(promotionDecision({ rocAuc: 0.87, brier: 0.051, rows: 1000 }, champion).promote).toBe(false);
    expect(promotionDecision({ rocAuc: 0.84, brier: 0.04, rows: 1000 }, champion).promote).toBe(false);
  });
  it('keeps the champion on a tie', () => {
    expect(promotionDecision({ rocAuc: 0.85, brier: 0.05, rows: 1000 }, champion)).toMatchObject({
      promote: false,
      reason: expect.stringMatching(/^ties the champion/),
    });
  });
  it('never promotes a candidate without a usable score', () => {
    expect(promotionDecision({ rocAuc: Number.NaN, brier: 0.01, rows: 0 }, null).promote).toBe(false);
  });
});

describe('rollbackDecision', () => {
  it('rolls back only when the serving model is worse on both metrics', () => {
    expect(
      rollbackDecision({ rocAuc: 0.8, brier: 0.07, rows: 500 }, { rocAuc: 0.83, brier: 0.06, rows: 500 }).promote,
    ).toBe(true);
    expect(
      rollbackDecision({ rocAuc: 0.8, brier: 0.05, rows: 500 }, { rocAuc: 0.83, brier: 0.06, rows: 500 }).promote,
    ).toBe(false);
  });
});
