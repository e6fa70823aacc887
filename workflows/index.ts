// The worker's workflowsPath: every workflow, one per file.
export * from './run-pipeline.ts';
