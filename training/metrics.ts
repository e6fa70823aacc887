/**
 * Scores of probabilistic predictions for a rare outcome: ranking (ROC-AUC, PR-AUC) and calibration
 * (Brier score, log loss). Accuracy is deliberately absent: with ~5% positives, "never" scores 95%.
 */

export interface Scores {
  rows: number;
  positives: number;
  rocAuc: number;
  prAuc: number;
  brier: number;
  logLoss: number;
}

/** ROC-AUC by the rank-sum formula, with ties given their average rank. NaN when a class is absent. */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!] === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Average precision (area under the precision-recall curve, step-wise). NaN without positives. */
export function prAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const order = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const positives = order.reduce((s, i) => s + (labels[i] === 1 ? 1 : 0), 0);
  if (positives === 0) return Number.NaN;
  let truePositives = 0;
  let sum = 0;
  order.forEach((index, k) => {
    if (labels[index] === 1) {
      truePositives++;
      sum += truePositives / (k + 1);
    }
  });
  return sum / positives;
}

export function brier(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum += (probabilities[i]! - labels[i]!) ** 2;
  return sum / labels.length;
}

export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  const eps = 1e-15;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probabilities[i]!));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / labels.length;
}

export function score(labels: ArrayLike<number>, probabilities: ArrayLike<number>): Scores {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  return {
    rows: labels.length,
    positives,
    rocAuc: rocAuc(labels, probabilities),
    prAuc: prAuc(labels, probabilities),
    brier: brier(labels, probabilities),
    logLoss: logLoss(labels, probabilities),
  };
}
