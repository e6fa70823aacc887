/**
 * Every activity of the pipeline, built from injected dependencies. Workflows import only the type.
 */
import type { ActivityDeps } from './context.ts';
import { createAccountActivities } from './account.ts';
import { createBillingActivities } from './billing.ts';
import { createBioRefreshActivities } from './bio-refresh.ts';
import { createFantraxActivities } from './fantrax.ts';
import { createFeatureActivities } from './features.ts';
import { createFreshnessActivities } from './freshness.ts';
import { createGradeImportActivities } from './grades.ts';
import { createIngestActivities } from './ingest.ts';
import { createInferenceActivities } from './inference.ts';
import { createModelActivities } from './model.ts';
import { createMonitoringActivities } from './monitoring.ts';
import { createNotificationActivities } from './notifications.ts';
import { createPublishActivities } from './publish.ts';

export type { ActivityDeps } from './context.ts';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createIngestActivities(deps),
    ...createBioRefreshActivities(deps),
    ...createFeatureActivities(deps),
    ...createFreshnessActivities(deps),
    ...createGradeImportActivities(deps),
    ...createModelActivities(deps),
    ...createInferenceActivities(deps),
    ...createMonitoringActivities(deps),
    ...createPublishActivities(deps),
    ...createBillingActivities(deps),
    ...createFantraxActivities(deps),
    ...createNotificationActivities(deps),
    ...createAccountActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
