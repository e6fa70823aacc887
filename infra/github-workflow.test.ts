// The GitHub Actions workflow runs the same `npm test` as .ci/run, once, and caches the Go-built tools where the
// bootstrap looks for them.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/config.ts';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; container?: { image: string }; steps: Step[] }>;
}

const workflow = parse(readFileSync(path.join(REPO_ROOT, '.github', 'workflows', 'ci.yml'), 'utf8')) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

describe('.github/workflows/ci.yml', () => {
  it('runs on pushes and pull requests', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
  });

  it('runs exactly `npm test`, in one step, as .ci/run does', () => {
    const testing = steps.filter((s) => /\b(?:npm|npx|vitest)\b/.test(s.run ?? ''));
    expect(testing.map((s) => s.run?.trim())).toEqual(['npm test']);
    const ciRun = readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8')
      .trim()
      .split('\n');
    expect(ciRun.at(-1)).toBe('npm test');
  });

  it('runs as root on Debian 12, where the bootstrap installs its apt packages itself', () => {
    const [job] = Object.values(workflow.jobs);
    expect(job?.container?.image).toBe('debian:bookworm');
  });

  it('sets up Node 24 and Go, and caches the Go-built tools keyed on the files that pin their versions', () => {
    const uses = steps.map((s) => s.uses?.split('@')[0]);
    expect(uses).toEqual(
      expect.arrayContaining(['actions/checkout', 'actions/setup-node', 'actions/setup-go', 'actions/cache']),
    );
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe('24');
    const cache = steps.find((s) => s.uses?.startsWith('actions/cache'));
    expect(
      cache?.with?.path
        ?.split('\n')
        .map((p) => p.trim())
        .filter(Boolean),
    ).toEqual(['~/.cache/afwd', '~/.cache/go-build', '~/go/pkg/mod']);
    const pinned = [...(cache?.with?.key ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    expect(pinned).toEqual(['infra/temporal-cli.ts', 'infra/stripe-mock.ts', 'infra/promtool.ts']);
    for (const file of pinned) expect(existsSync(path.join(REPO_ROOT, file)), file).toBe(true);
  });
});
