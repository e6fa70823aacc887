import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { breachMessage, DATA_QUALITY_BREACH } from './breach.ts';

describe('breachMessage', () => {
  it('finds the breach under a workflow failure and prints one season a line', () => {
    const breach = ApplicationFailure.nonRetryable(
      'data-quality breach in 2 of 11 seasons; ... season 2016, batch 4: a | season 2017, batch 7: b',
      DATA_QUALITY_BREACH,
    );
    const failed = new WorkflowFailedError('Workflow execution failed', breach, RetryState.NON_RETRYABLE_FAILURE);
    expect(breachMessage(failed)).toBe(
      'Stopped by the data-quality circuit breaker; nothing downstream ran.\ndata-quality breach in 2 of 11 seasons; ... season 2016, batch 4: a\nseason 2017, batch 7: b',
    );
  });

  it('is null for any other failure', () => {
    const other = new ActivityFailure(
      'x',
      'loadSeason',
      '1',
      RetryState.MAXIMUM_ATTEMPTS_REACHED,
      'id',
      ApplicationFailure.create({ message: 'db down' }),
    );
    expect(
      breachMessage(new WorkflowFailedError('Workflow execution failed', other, RetryState.NON_RETRYABLE_FAILURE)),
    ).toBeNull();
    expect(breachMessage(new Error('plain'))).toBeNull();
    expect(breachMessage(undefined)).toBeNull();
  });
});
