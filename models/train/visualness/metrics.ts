/**
 * Binary classification metrics, macro-averaged over the two classes as in the TIMED paper's
 * Table 2 (visualness_dyvte.md §A8), and threshold tuning on a validation set (§A5: thresholds
 * are tuned on validation for every scorer, TIP-style and baselines alike).
 */
export interface Metrics { f1: number; precision: number; recall: number; accuracy: number; n: number }

export function classify(scores: readonly number[], threshold: number): boolean[] {
  return scores.map((s) => s > threshold);
}

export function metrics(pred: readonly boolean[], truth: readonly boolean[]): Metrics {
  if (pred.length !== truth.length) throw new Error(`metrics: ${pred.length} predictions for ${truth.length} labels`);
  const per = (cls: boolean) => {
    let tp = 0, fp = 0, fn = 0;
    pred.forEach((p, i) => {
      if (p === cls && truth[i] === cls) tp++;
      else if (p === cls) fp++;
      else if (truth[i] === cls) fn++;
    });
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
  };
  const a = per(true), b = per(false);
  const correct = pred.filter((p, i) => p === truth[i]).length;
  return {
    f1: (a.f1 + b.f1) / 2, precision: (a.precision + b.precision) / 2, recall: (a.recall + b.recall) / 2,
    accuracy: pred.length ? correct / pred.length : 0, n: pred.length,
  };
}

/** Threshold maximizing macro F1 on (scores, truth): midpoints between sorted distinct scores. */
export function tuneThreshold(scores: readonly number[], truth: readonly boolean[]): { threshold: number; f1: number } {
  const sorted = [...new Set(scores)].sort((x, y) => x - y);
  const candidates = [sorted[0] - 1e-6, ...sorted.slice(1).map((s, i) => (s + sorted[i]) / 2), sorted[sorted.length - 1] + 1e-6];
  let best = { threshold: candidates[0], f1: -1 };
  for (const t of candidates) {
    const f1 = metrics(classify(scores, t), truth).f1;
    if (f1 > best.f1) best = { threshold: t, f1 };
  }
  return best;
}
