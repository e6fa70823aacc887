import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, RetryState } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { DATA_QUALITY_BREACH as ACTIVITY_TYPE } from '../sources/validate/breach-details.ts';
import { DATA_QUALITY_BREACH, findBreach, passOnBreach } from './data-quality.ts';

const breach = ApplicationFailure.nonRetryable('season 2006, batch 4: data-quality breach: ...', DATA_QUALITY_BREACH, {
  batchId: 4,
});
const inActivity = new ActivityFailure(
  'activity failed',
  'loadSeason',
  '7',
  RetryState.NON_RETRYABLE_FAILURE,
  'identity',
  breach,
);
const inChild = new ChildWorkflowFailure(
  'default',
  { workflowId: 'p/season-2006', runId: 'r' },
  'ingestSeason',
  RetryState.NON_RETRYABLE_FAILURE,
  inActivity,
);

describe('findBreach', () => {
  it('finds the breach through activity and child-workflow failures', () => {
    expect(findBreach(breach)).toBe(breach);
    expect(findBreach(inActivity)).toBe(breach);
    expect(findBreach(inChild)).toBe(breach);
  });

  it('finds nothing in other failures', () => {
    const other = new ActivityFailure(
      'x',
      'loadSeason',
      '7',
      RetryState.MAXIMUM_ATTEMPTS_REACHED,
      'id',
      ApplicationFailure.create({ message: 'db down', type: 'Error' }),
    );
    expect(findBreach(other)).toBeNull();
    expect(findBreach(new Error('plain'))).toBeNull();
    expect(findBreach('not an error')).toBeNull();
  });

  it('matches the type the activity throws', () => {
    expect(DATA_QUALITY_BREACH).toBe(ACTIVITY_TYPE);
  });
});

describe('passOnBreach', () => {
  it('re-throws the breach at this level, non-retryable, with its message and details', () => {
    let thrown: unknown;
    try {
      passOnBreach(inChild);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ApplicationFailure);
    expect(thrown).toMatchObject({
      type: DATA_QUALITY_BREACH,
      nonRetryable: true,
      message: breach.message,
      details: [{ batchId: 4 }],
    });
  });

  it('re-throws any other error unchanged', () => {
    const other = new Error('db down');
    expect(() => passOnBreach(other)).toThrow(other);
  });
});
