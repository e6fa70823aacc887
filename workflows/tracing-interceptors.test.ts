import { describe, expect, it } from 'vitest';
import { traceLogFields } from './tracing-interceptors.ts';

describe('traceLogFields', () => {
  it("names a workflow log line's trace ids traceId/spanId, as lib/log.ts names every other line's", () => {
    expect(
      traceLogFields({
        workflowId: 'w',
        trace_id: 'a'.repeat(32),
        span_id: 'b'.repeat(16),
        trace_flags: '01',
        error: 'x',
      }),
    ).toEqual({ workflowId: 'w', error: 'x', traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) });
  });

  it('leaves a line outside any span as it is', () => {
    const attributes = { workflowId: 'w' };
    expect(traceLogFields(attributes)).toBe(attributes);
  });
});
