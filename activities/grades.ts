/**
 * importGrades: the Temporal face of a scouting-board import (sources/csv/import-grades.ts). Its retries continue
 * one ingest batch; a wrong mapping or a broken file fails without retries.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { importGradesFile, type GradeImportInput, type GradeImportResult } from '../sources/csv/import-grades.ts';
import { MappingError } from '../sources/csv/mapping.ts';
import { CsvParseError } from '../sources/csv/parse-csv.ts';
import { activityLog, type ActivityDeps } from './context.ts';

export type { GradeImportInput, GradeImportResult } from '../sources/csv/import-grades.ts';

export function createGradeImportActivities({ pool, log }: ActivityDeps) {
  return {
    async importGrades(input: GradeImportInput): Promise<GradeImportResult> {
      const info = Context.current().info;
      const runKey = `${info.workflowExecution?.workflowId}/${info.workflowExecution?.runId}/${info.activityId}`;
      try {
        return await importGradesFile({ pool }, input, activityLog(log), runKey);
      } catch (error) {
        // A wrong mapping or a broken file fails the same way on every retry.
        if (error instanceof MappingError || error instanceof CsvParseError) {
          throw ApplicationFailure.nonRetryable(error.message, error.name);
        }
        throw error;
      }
    },
  };
}
