/**
 * N(θ) peak positions as a derived number with σ (browser-safe). The positions a report shows are
 * the peaks of the mean N(θ) (findPeaks: above 10 % of the highest, ≥ 8° apart, 3-point smoothing,
 * parabola-refined); each one's spread is the sample standard deviation of the same peak in the
 * members' own N(θ) — a member's peak is "the same" when it is the nearest one within ±PEAK_MATCH_DEG
 * (members without it are counted, not used). The calibration (src/nn/calibration.ts) matches a
 * predicted peak to the true N(θ)'s peak the same way, so σ says how far the true peak of that family
 * lies; a predicted peak with no true peak within ±PEAK_MATCH_DEG is a spurious peak that no σ covers
 * (evaluate counts those).
 */
import { findPeaks } from '../report/peaks.js';

/** The peak finder's settings for N(θ) (report, app, predict and calibration use these). */
export const THETA_PEAK_OPTIONS = { minRel: 0.1, minSeparation: 8, smooth: 1 } as const;

/** Two N(θ) peaks closer than this [degrees] are the same peak (member vs mean, prediction vs truth). */
export const PEAK_MATCH_DEG = 10;

/** An N(θ) peak position of the mean prediction with its σ. */
export interface AnglePeakEstimate {
  /** position [degrees] */
  theta: number;
  /** σ [degrees]: calibrated when the model's calibration has a bad_peak term, else the spread; NaN when < 2 members show it */
  theta_std: number;
  /** the bare spread of the members' positions of this peak [degrees] */
  spread: number;
  /** members whose N(θ) has this peak (within ±PEAK_MATCH_DEG) */
  members_with_peak: number;
}

/** Peak positions [degrees] of an N(θ) on θ, in increasing θ. */
export function thetaPeakPositions(theta: ArrayLike<number>, bad: ArrayLike<number>): number[] {
  return findPeaks(theta, bad, THETA_PEAK_OPTIONS).map((p) => p.x);
}

/** The candidate nearest to x within ±maxDist, or NaN. */
export function matchPeak(x: number, candidates: readonly number[], maxDist = PEAK_MATCH_DEG): number {
  let best = NaN;
  let d = Infinity;
  for (const c of candidates) {
    const dc = Math.abs(c - x);
    if (dc <= maxDist && dc < d) {
      d = dc;
      best = c;
    }
  }
  return best;
}

/** Peaks of the mean N(θ) with the spread of each over the members' N(θ) (theta_std = spread). */
export function anglePeakEstimates(
  theta: ArrayLike<number>,
  meanBad: ArrayLike<number>,
  memberBads: readonly ArrayLike<number>[],
): AnglePeakEstimate[] {
  const memberPeaks = memberBads.map((b) => thetaPeakPositions(theta, b));
  return thetaPeakPositions(theta, meanBad).map((x) => {
    const pos = memberPeaks.map((ps) => matchPeak(x, ps)).filter(Number.isFinite);
    let spread = NaN;
    if (pos.length >= 2) {
      const m = pos.reduce((a, b) => a + b, 0) / pos.length;
      spread = Math.sqrt(pos.reduce((a, b) => a + (b - m) * (b - m), 0) / (pos.length - 1));
    }
    return { theta: x, theta_std: spread, spread, members_with_peak: pos.length };
  });
}
