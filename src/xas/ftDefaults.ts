/**
 * The one set of χ(k) → χ(R) Fourier-transform defaults, shared by `process`, `predict`, the HTML
 * report and the browser app (and shown in their help): k 3–14 Å⁻¹ (the k range of the shipped
 * models; kmax is lowered to 0.5 Å⁻¹ below the end of the data when the data stop earlier), a
 * Hanning window with dk = 1 Å⁻¹ sills, k-weight 2. Browser-safe.
 */
import { UserError } from '../util/errors.js';
import { windowName, WINDOW_NAMES } from './window.js';

export interface FtSettings {
  kmin: number;
  kmax: number;
  dk: number;
  window: string;
  kweight: number;
}

export const FT_DEFAULTS: Readonly<FtSettings> = Object.freeze({
  kmin: 3,
  kmax: 14,
  dk: 1,
  window: 'hanning',
  kweight: 2,
});

/**
 * The FT settings used for a χ(k) that reaches `kmaxData`: the given ones, the defaults for the rest.
 * A kmax beyond the data is an error when given, and lowered (to kmaxData − 0.5, on a 0.5 grid)
 * when it is the default.
 */
export function resolveFt(given: Partial<FtSettings>, kmaxData: number, what = 'spectrum'): FtSettings {
  const s: FtSettings = { ...FT_DEFAULTS, ...dropUndefined(given) };
  try {
    s.window = windowName(s.window);
  } catch {
    throw new UserError(`--ft-window ${s.window}: expected one of ${WINDOW_NAMES.join(', ')}`);
  }
  if (given.kmax === undefined && s.kmax > kmaxData - 0.5)
    s.kmax = Math.max(s.kmin + 1, Math.floor((kmaxData - 0.5) * 2) / 2);
  if (!(s.kmax > s.kmin))
    throw new UserError(`--ft-kmin ${s.kmin} / --ft-kmax ${s.kmax}: kmax must be larger than kmin`);
  if (given.kmax !== undefined && s.kmax > kmaxData + 1e-9)
    throw new UserError(
      `--ft-kmax ${s.kmax}: the ${what}'s χ(k) ends at k = ${kmaxData.toFixed(2)} Å⁻¹; choose a kmax inside the data`,
    );
  if (s.dk < 0) throw new UserError(`--ft-dk ${s.dk}: must be ≥ 0`);
  return s;
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
