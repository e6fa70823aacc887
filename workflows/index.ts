// The worker's workflowsPath: every workflow, one per file.
export * from './backfill-history.ts';
export * from './daily-update.ts';
export * from './ingest-season.ts';
export * from './publish-rankings.ts';
export * from './refresh-bios.ts';
export * from './run-pipeline.ts';
export * from './weekly-retraining.ts';
export * from './subscription.ts';
export * from './reconcile-subscriptions.ts';
export * from './fantrax-sync.ts';
export * from './send-outbox.ts';
export * from './weekly-digest.ts';
export * from './erase-stripe-customers.ts';
