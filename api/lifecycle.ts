/**
 * Whether an API instance is draining (shutting down): /readyz answers 503 from the moment the server starts
 * closing, so a load balancer stops sending new requests while in-flight ones finish. Kept beside, not inside,
 * `ApiDeps`, keyed by the deps object the app was built from.
 */
import type { ApiDeps } from './env.ts';

const draining = new WeakSet<ApiDeps>();

export function startDraining(deps: ApiDeps): void {
  draining.add(deps);
}

export function isDraining(deps: ApiDeps): boolean {
  return draining.has(deps);
}
