/**
 * Empirical ROC curve with DeLong's AUC standard error, as pROC 1.18 builds it:
 * roc(y, score, direction) → thresholds, sensitivities, specificities; ci.auc(method = "delong");
 * coords(x = "best", best.method = "youden").
 */
import { InputError } from "../errors.js";
import { qnorm } from "./distributions.js";

export type RocDirection = "<" | ">";

export interface RocOptions {
  /**
   * "<": controls score lower than cases (a higher score means "more likely positive");
   * ">": the opposite; "auto" (default): as pROC, "<" when median(controls) <= median(cases).
   */
  direction?: "auto" | RocDirection;
  /** Confidence level of the DeLong interval; default 0.95. */
  confLevel?: number;
}

export interface RocYouden {
  /** pROC's threshold (midpoint between adjacent distinct scores) of the first maximising point. */
  threshold: number;
  sensitivity: number;
  specificity: number;
  /** Youden's J = sensitivity + specificity − 1. */
  j: number;
  /** Every threshold attaining the maximum, in pROC's coords() order (the first is reported above). */
  ties: number[];
}

export interface RocResult {
  auc: number;
  /** DeLong standard error of the AUC. */
  se: number;
  /** DeLong interval auc ∓ z·se, clipped to [0, 1] as pROC does. */
  lower: number;
  upper: number;
  confLevel: number;
  /** pROC's thresholds: ±Inf and midpoints of sorted distinct scores (ascending for "<", descending for ">"). */
  thresholds: Float64Array;
  /** Sensitivity and specificity at each threshold (sensitivity falls 1 → 0, specificity rises 0 → 1). */
  sensitivity: Float64Array;
  specificity: Float64Array;
  youden: RocYouden;
  n: number;
  nCases: number;
  nControls: number;
  direction: RocDirection;
  warnings: string[];
}

/** R's median of a sorted array. */
function medianSorted(v: Float64Array): number {
  const m = v.length;
  const h = m >> 1;
  return m % 2 === 1 ? v[h] : (v[h - 1] + v[h]) / 2;
}

/**
 * pROC's threshold rule: midpoints of adjacent distinct scores with −Inf and +Inf at the ends.
 * When two scores are adjacent doubles the midpoint rounds onto one of them; it is then moved to
 * the side that keeps that score's classification unchanged for the given direction.
 */
function procThresholds(u: Float64Array, direction: RocDirection, isScore: Set<number>): Float64Array {
  const m = u.length;
  const t = new Float64Array(m + 1);
  for (let i = 0; i <= m; i++) {
    const lo = i === 0 ? -Infinity : u[i - 1];
    const hi = i === m ? Infinity : u[i];
    let mid = (lo + hi) / 2;
    if (Math.abs(mid) > 1e100 || Number.isNaN(mid)) mid = lo / 2 + hi / 2; // avoid overflow of lo + hi
    if (isScore.has(mid)) {
      if (direction === "<" && mid === lo) mid = hi;
      else if (direction === ">" && mid === hi) mid = lo;
    }
    t[i] = mid;
  }
  return t;
}

/**
 * ROC analysis of a binary outcome `y` (1 = case, 0 = control) against `score`.
 * Ties in the score count ½ in the AUC (Mann–Whitney); the SE is DeLong's (placement variances
 * with n − 1 denominators), as pROC::ci.auc(method = "delong").
 */
export function roc(y: ArrayLike<number>, score: ArrayLike<number>, options: RocOptions = {}): RocResult {
  const confLevel = options.confLevel ?? 0.95;
  const dirOpt = options.direction ?? "auto";
  if (!(confLevel > 0 && confLevel < 1)) throw new InputError(`roc: confLevel must be in (0, 1), got ${confLevel}`);
  if (dirOpt !== "auto" && dirOpt !== "<" && dirOpt !== ">") {
    throw new InputError(`roc: direction must be "auto", "<" or ">", got ${String(dirOpt)}`);
  }
  if (y.length !== score.length) throw new InputError(`roc: y has ${y.length} values but score has ${score.length}`);
  const n = y.length;
  if (n === 0) throw new InputError("roc: no observations");
  let nCases = 0;
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    if (yi !== 0 && yi !== 1) {
      throw new InputError(`roc: y at row ${i + 1} is ${String(yi)}; y must be 1 (case) or 0 (control)`);
    }
    const si = score[i];
    if (typeof si !== "number" || !Number.isFinite(si)) {
      throw new InputError(`roc: score at row ${i + 1} is ${String(si)}; remove or impute missing scores first`);
    }
    nCases += yi;
  }
  const nControls = n - nCases;
  if (nCases === 0) throw new InputError("roc: y has no cases (all 0)");
  if (nControls === 0) throw new InputError("roc: y has no controls (all 1)");

  const cases = new Float64Array(nCases);
  const controls = new Float64Array(nControls);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (y[i] === 1) cases[a++] = score[i];
    else controls[b++] = score[i];
  }
  cases.sort();
  controls.sort();
  const direction: RocDirection =
    dirOpt !== "auto" ? dirOpt : medianSorted(controls) <= medianSorted(cases) ? "<" : ">";

  // Distinct scores ascending with the number of cases and controls at each (merge of sorted arrays).
  const uArr: number[] = [];
  const caseAt: number[] = [];
  const ctrlAt: number[] = [];
  for (let a = 0, b = 0; a < nCases || b < nControls; ) {
    const v = b >= nControls || (a < nCases && cases[a] <= controls[b]) ? cases[a] : controls[b];
    let nc = 0;
    let nk = 0;
    while (a < nCases && cases[a] === v) {
      a++;
      nc++;
    }
    while (b < nControls && controls[b] === v) {
      b++;
      nk++;
    }
    uArr.push(v);
    caseAt.push(nc);
    ctrlAt.push(nk);
  }
  const u = Float64Array.from(uArr);
  const m = u.length;

  // Curve. For "<" a score is positive when above the threshold; thresholds ascend and the counts
  // of positives are suffix sums. For ">" a score is positive when below; pROC lists those
  // thresholds descending, so both directions run from sensitivity 1 down to 0.
  const asc = procThresholds(u, direction, new Set(uArr));
  const thresholds = new Float64Array(m + 1);
  const sensitivity = new Float64Array(m + 1);
  const specificity = new Float64Array(m + 1);
  // tp, fp after including groups from the "most positive" end; pROC forms se = tp/nCases and
  // sp = (nControls − fp)/nControls, which we copy so exact Youden ties are the same as pROC's.
  let tp = 0;
  let fp = 0;
  sensitivity[m] = 0;
  specificity[m] = 1;
  for (let s = 0; s < m; s++) {
    // s-th group from the positive end; its curve point sits at output index m − 1 − s.
    const g = direction === "<" ? m - 1 - s : s;
    tp += caseAt[g];
    fp += ctrlAt[g];
    sensitivity[m - 1 - s] = tp / nCases;
    specificity[m - 1 - s] = (nControls - fp) / nControls;
  }
  for (let i = 0; i <= m; i++) thresholds[i] = direction === "<" ? asc[i] : asc[m - i];

  // AUC and DeLong placements from the grouped counts. For "<", a case's placement is the share of
  // controls below it (ties ½); a control's is the share of cases above it. ">" mirrors this.
  const v10 = new Float64Array(nCases);
  const v01 = new Float64Array(nControls);
  let below = 0; // controls strictly below the current group ("<") — or above it for ">"
  let ia = 0;
  let ib = 0;
  const order = direction === "<" ? (s: number) => s : (s: number) => m - 1 - s;
  let casesBeyond = nCases; // cases strictly more positive than the current group (filled below)
  for (let s = 0; s < m; s++) {
    const g = order(s);
    casesBeyond -= caseAt[g];
    const pCase = (below + 0.5 * ctrlAt[g]) / nControls;
    for (let c = 0; c < caseAt[g]; c++) v10[ia++] = pCase;
    const pCtrl = (casesBeyond + 0.5 * caseAt[g]) / nCases;
    for (let c = 0; c < ctrlAt[g]; c++) v01[ib++] = pCtrl;
    below += ctrlAt[g];
  }
  let sum = 0;
  for (let i = 0; i < nCases; i++) sum += v10[i];
  const auc = sum / nCases;
  const warnings: string[] = [];
  let se = NaN;
  if (nCases > 1 && nControls > 1) {
    let sx = 0;
    for (let i = 0; i < nCases; i++) sx += (v10[i] - auc) * (v10[i] - auc);
    let sy = 0;
    for (let j = 0; j < nControls; j++) sy += (v01[j] - auc) * (v01[j] - auc);
    se = Math.sqrt(sx / (nCases - 1) / nCases + sy / (nControls - 1) / nControls);
  } else {
    warnings.push(
      `DeLong standard error needs at least 2 cases and 2 controls (have ${nCases} and ${nControls}); se and the interval are NaN`,
    );
  }
  const z = qnorm(1 - (1 - confLevel) / 2);
  const lower = Math.min(1, Math.max(0, auc - z * se));
  const upper = Math.min(1, Math.max(0, auc + z * se));
  let perfect = false;
  for (let i = 0; i <= m; i++) if (sensitivity[i] === 1 && specificity[i] === 1) perfect = true;
  if (perfect) warnings.push("ci.auc() of a ROC curve with AUC == 1 is always 1-1 and can be misleading.");

  // Youden: maximise se + sp over the curve (pROC's criterion with default weights), exact ties kept.
  let best = -Infinity;
  for (let i = 0; i <= m; i++) best = Math.max(best, sensitivity[i] + specificity[i]);
  const ties: number[] = [];
  let first = -1;
  for (let i = 0; i <= m; i++) {
    if (sensitivity[i] + specificity[i] === best) {
      if (first < 0) first = i;
      ties.push(thresholds[i]);
    }
  }
  if (ties.length > 1) {
    warnings.push(
      `Youden index is maximal at ${ties.length} thresholds (${ties.join(", ")}); the first, ${ties[0]}, is reported (pROC returns all)`,
    );
  }
  const youden: RocYouden = {
    threshold: thresholds[first],
    sensitivity: sensitivity[first],
    specificity: specificity[first],
    j: sensitivity[first] + specificity[first] - 1,
    ties,
  };

  return {
    auc,
    se,
    lower,
    upper,
    confLevel,
    thresholds,
    sensitivity,
    specificity,
    youden,
    n,
    nCases,
    nControls,
    direction,
    warnings,
  };
}
