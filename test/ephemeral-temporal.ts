/**
 * An ephemeral Temporal dev server from the project's CLI (in memory, free loopback ports, no UI, the search
 * attributes the workflows write): the one the tests' global setup, the benchmarks and the chaos scenarios run on.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES, locateTemporalCli } from '../infra/temporal-cli.ts';

export async function startEphemeralTemporal(): Promise<TestWorkflowEnvironment> {
  const cli = locateTemporalCli();
  if (!cli) throw new Error('No Temporal CLI: run `sh scripts/bootstrap.sh` first (npm test does).');
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli },
      ip: '127.0.0.1',
      ui: false,
      extraArgs: Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    },
  });
}
