/**
 * Deterministic workflow ids from business keys, so starting the same job twice attaches to the one running.
 */

export interface PipelineInput {
  /** First season to ingest (inclusive). */
  fromSeason: number;
  /** Last season to ingest (inclusive); the rankings score the last season finished by the run's date up to it. */
  toSeason: number;
  /** Refetch from the source instead of reusing the landing zone. @default false */
  refresh?: boolean;
}

export function pipelineWorkflowId(input: PipelineInput): string {
  return `run-pipeline-${input.fromSeason}-${input.toSeason}`;
}

/** Validates a pipeline input early with a precise message, before anything is started. */
export function assertPipelineInput(input: PipelineInput): void {
  const { fromSeason, toSeason } = input;
  if (!Number.isInteger(fromSeason) || !Number.isInteger(toSeason)) {
    throw new TypeError(`fromSeason and toSeason must be integers, got ${fromSeason} and ${toSeason}`);
  }
  if (fromSeason > toSeason) throw new RangeError(`fromSeason ${fromSeason} is after toSeason ${toSeason}`);
  if (toSeason - fromSeason < 5) {
    throw new RangeError(
      `a pipeline needs at least 6 seasons (labels look 4 seasons ahead), got ${fromSeason}-${toSeason}`,
    );
  }
}
