/**
 * Which Temporal server an entry point uses: a loopback TEMPORAL_ADDRESS may be served by the local dev server
 * (started through the Temporal CLI when none answers); any other address names a real server (temporal-compose.yml's
 * `temporal:7233`), which is waited for and never replaced, so images without the CLI can run every entry point.
 */
import type { Logger } from '../lib/log.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { temporalAnswers, type DevServer } from './temporal-cli.ts';

/** True when `host:port` is on this machine, the only place `temporal server start-dev` can listen for it. */
export function needsDevServer(address: string): boolean {
  const host = address.slice(0, address.lastIndexOf(':')).toLowerCase();
  return host === 'localhost' || host === '0.0.0.0' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Waits until the server at `address` answers (compose starts the worker while Temporal is still setting up its
 * schema), then hands it back as a server this process does not own. Throws a PrerequisiteError after `timeoutMs`.
 */
export async function awaitTemporalServer(options: {
  address: string;
  uiPort: number;
  log: Logger;
  timeoutMs?: number;
}): Promise<DevServer> {
  const { address, uiPort, log, timeoutMs = 120_000 } = options;
  const deadline = Date.now() + timeoutMs;
  let warned = false;
  while (!(await temporalAnswers(address, Math.min(5000, Math.max(100, deadline - Date.now()))))) {
    if (Date.now() >= deadline) {
      throw new PrerequisiteError(
        `No Temporal server answered at TEMPORAL_ADDRESS=${address} within ${Math.round(timeoutMs / 1000)} s.`,
      );
    }
    if (!warned) log.warn({ address }, 'waiting for the Temporal server');
    warned = true;
    await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, deadline - Date.now()))));
  }
  log.info({ address }, 'using the Temporal server at TEMPORAL_ADDRESS');
  const host = address.slice(0, address.lastIndexOf(':'));
  return { address, uiUrl: `http://${host}:${uiPort}`, owned: false, stop: async () => {} };
}
