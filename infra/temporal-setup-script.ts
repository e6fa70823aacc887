/**
 * k8s/temporal-setup.sh as the deployment tests read it: the one script that registers the namespace and the search
 * attributes, run by temporal-compose.yml's `temporal-setup` service and by the Kubernetes afwd-temporal-setup Job.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/config.ts';

/** Its path from the repository root, as the compose mounts it (`./` + this) and kustomize names it (from k8s/). */
export const TEMPORAL_SETUP_SCRIPT = 'k8s/temporal-setup.sh';

export function temporalSetupScript(): string {
  return readFileSync(path.join(REPO_ROOT, TEMPORAL_SETUP_SCRIPT), 'utf8');
}

/** The search attributes it registers (`register NAME TYPE` lines), by name; a name registered twice is an error. */
export function registeredSearchAttributes(script = temporalSetupScript()): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [, name, type] of script.matchAll(/^register (\S+) (\S+)$/gm)) {
    if (name! in found) throw new Error(`${TEMPORAL_SETUP_SCRIPT}: ${name} is registered twice`);
    found[name!] = type!;
  }
  return found;
}
