/**
 * The registry's decisions, as pure functions: whether a candidate may replace the champion, and whether a serving
 * champion must be rolled back. Both compare models on the same rows, never on their own, different holdouts.
 */

export interface HoldoutScore {
  rocAuc: number;
  brier: number;
  rows: number;
}

export interface Decision {
  promote: boolean;
  reason: string;
}

/**
 * A candidate replaces the champion only if it is at least as good on both ranking (ROC-AUC) and calibration
 * (Brier) on the same holdout rows, and better on one. Without a champion, any candidate with a usable score serves.
 */
export function promotionDecision(candidate: HoldoutScore, champion: HoldoutScore | null): Decision {
  if (!Number.isFinite(candidate.rocAuc) || !Number.isFinite(candidate.brier)) {
    return {
      promote: false,
      reason: `candidate has no usable holdout score (AUC ${candidate.rocAuc}, Brier ${candidate.brier})`,
    };
  }
  if (!champion) return { promote: true, reason: 'no champion yet' };
  const auc = candidate.rocAuc - champion.rocAuc;
  const brier = candidate.brier - champion.brier;
  const summary = `AUC ${candidate.rocAuc.toFixed(4)} vs ${champion.rocAuc.toFixed(4)}, Brier ${candidate.brier.toFixed(5)} vs ${champion.brier.toFixed(5)} on ${candidate.rows} rows`;
  // A tie (the same data give the same model) keeps the champion: promoting it would only churn the registry.
  if (auc === 0 && brier === 0) return { promote: false, reason: `ties the champion: ${summary}` };
  if (auc >= 0 && brier <= 0) return { promote: true, reason: `beats the champion: ${summary}` };
  return { promote: false, reason: `does not beat the champion on both metrics: ${summary}` };
}

/**
 * On newly labelled data, a serving champion that is worse than the previous champion on both metrics is rolled
 * back; one metric worse is noise until it is both.
 */
export function rollbackDecision(serving: HoldoutScore, previous: HoldoutScore): Decision {
  const summary = `AUC ${serving.rocAuc.toFixed(4)} vs ${previous.rocAuc.toFixed(4)}, Brier ${serving.brier.toFixed(5)} vs ${previous.brier.toFixed(5)} on ${serving.rows} newly labelled rows`;
  if (serving.rocAuc < previous.rocAuc && serving.brier > previous.brier) {
    return { promote: true, reason: `serving model fell below the previous champion: ${summary}` };
  }
  return { promote: false, reason: `serving model holds: ${summary}` };
}
