/**
 * Test-only workflow: writes one line through Temporal's workflow logger, so a test can read the line's trace ids
 * (infra/tracing.e2e.test.ts). None of the pipeline's workflows logs at info while nothing fails.
 */
import { log } from '@temporalio/workflow';

export async function logInWorkflow(): Promise<void> {
  log.info('a traced workflow line');
}
