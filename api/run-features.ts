/**
 * A prediction run's model version and feature orders (db/predictions.ts runFeatures), read once per cache version
 * and run rather than on every prediction or explanation cache miss. A publish retires the whole read cache at once,
 * and under load every premium request then misses together: this halves the queries each of those misses makes.
 * A run's features never change once it is stored; keying by the cache version as well (as prospects.ts does for the
 * latest snapshot) bounds the memo to what the current publication serves. Failures and unknown runs are not kept.
 */
import { runFeatures, type RunFeatures } from '../db/predictions.ts';
import type { Queryable } from '../lib/db.ts';
import type { ReadCache } from './env.ts';

/** Runs remembered per version: the served one, and a few more for `as_of` requests. */
export const RUN_FEATURES_PER_VERSION = 32;

const byVersion = new WeakMap<object, { version: string; runs: Map<string, Promise<RunFeatures | null>> }>();

export function servedRunFeatures(
  deps: { pool: Queryable; cache: Pick<ReadCache, 'version'> },
  predictionRunId: string,
): Promise<RunFeatures | null> {
  const version = deps.cache.version();
  let memo = byVersion.get(deps);
  if (memo?.version !== version) {
    memo = { version, runs: new Map() };
    byVersion.set(deps, memo);
  }
  const runs = memo.runs;
  const known = runs.get(predictionRunId);
  if (known) return known;
  const features = runFeatures(deps.pool, predictionRunId);
  if (runs.size >= RUN_FEATURES_PER_VERSION) runs.delete(runs.keys().next().value!);
  runs.set(predictionRunId, features);
  const forget = () => {
    if (runs.get(predictionRunId) === features) runs.delete(predictionRunId);
  };
  features.then((found) => {
    if (!found) forget();
  }, forget);
  return features;
}
