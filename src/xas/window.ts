/**
 * Fourier-transform windows Ω(x) on a uniform grid, with the shapes and the edge bookkeeping of
 * Larch's `ftwindow` (xraylarch larch/xafs/xafsft.py): the window rises over
 * [xmin − dx/2, xmin + dx/2] and falls over [xmax − dx2/2, xmax + dx2/2], both ends snapped to grid
 * points.
 *   hanning  sin²/cos² tapers;  fhanning  tapers a fraction dx of the range;  parzen  linear tapers;
 *   welch  parabolic tapers;  sine  sin over the whole range;  gaussian  exp(−(x−c)²/(2dx²));
 *   kaiser  (I0(dx·√(1−((x−c)/w)²)) − 1)/(I0(dx) − 1);  bessel  ifeffit's Kaiser–Bessel I0(dx·√…)/I0(dx).
 */
import { UserError } from '../util/errors.js';

export type WindowName =
  'hanning' | 'fhanning' | 'parzen' | 'welch' | 'sine' | 'gaussian' | 'kaiser' | 'bessel';
export const WINDOW_NAMES: readonly WindowName[] = [
  'hanning',
  'fhanning',
  'parzen',
  'welch',
  'sine',
  'gaussian',
  'kaiser',
  'bessel',
];

/** Accept Larch's 3-letter prefixes ("han", "kai", ...) and full names, case-insensitive. */
export function windowName(name: string): WindowName {
  const p = name.trim().toLowerCase().slice(0, 3);
  const map: Record<string, WindowName> = {
    han: 'hanning',
    fha: 'fhanning',
    par: 'parzen',
    wel: 'welch',
    sin: 'sine',
    gau: 'gaussian',
    kai: 'kaiser',
    bes: 'bessel',
  };
  const w = map[p];
  if (!w) throw new UserError(`unknown FT window "${name}"; expected one of ${WINDOW_NAMES.join(', ')}`);
  return w;
}

/** Modified Bessel function I0(x) by its power series (converges quickly for the |x| ≲ 50 used in windows). */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Window values on the uniform grid x (see module comment). dx2 defaults to dx. */
export function ftwindow(
  x: ArrayLike<number>,
  opts: { xmin?: number; xmax?: number; dx?: number; dx2?: number; window?: string } = {},
): Float64Array {
  const n = x.length;
  const nam = windowName(opts.window ?? 'hanning');
  let dx1 = opts.dx ?? 1;
  let dx2 = opts.dx2 ?? dx1;
  let xlo = Infinity;
  let xhi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i] < xlo) xlo = x[i];
    if (x[i] > xhi) xhi = x[i];
  }
  const xmin = opts.xmin ?? xlo;
  const xmax = opts.xmax ?? xhi;
  const xstep = (x[n - 1] - x[0]) / (n - 1);
  const xeps = 1e-4 * xstep;
  let x1 = Math.max(xlo, xmin - dx1 / 2);
  let x2 = xmin + dx1 / 2 + xeps;
  let x3 = xmax - dx2 / 2 - xeps;
  let x4 = Math.min(xhi, xmax + dx2 / 2);
  if (nam === 'fhanning') {
    if (dx1 < 0) dx1 = 0;
    if (dx2 > 1) dx2 = 1;
    x2 = x1 + xeps + (dx1 * (xmax - xmin)) / 2;
    x3 = x4 - xeps - (dx2 * (xmax - xmin)) / 2;
  } else if (nam === 'gaussian') dx1 = Math.max(dx1, xeps);
  const asint = (v: number) => Math.trunc((v + xeps) / xstep);
  let i1 = Math.max(0, asint(x1));
  const i2 = Math.max(0, asint(x2));
  let i3 = Math.min(n - 1, asint(x3));
  const i4 = Math.min(n - 1, asint(x4));
  if (i2 === i1) i1 = Math.max(0, i2 - 1);
  if (i4 === i3) i3 = Math.max(i2, i4 - 1);
  x1 = x[i1];
  x2 = x[i2];
  x3 = x[i3];
  x4 = x[i4];
  if (x1 === x2) x2 += xeps;
  if (x3 === x4) x4 += xeps;
  const w = new Float64Array(n);
  for (let i = i2; i < i3; i++) w[i] = 1;
  switch (nam) {
    case 'hanning':
    case 'fhanning':
      for (let i = i1; i <= i2; i++) w[i] = Math.sin(((Math.PI / 2) * (x[i] - x1)) / (x2 - x1)) ** 2;
      for (let i = i3; i <= i4; i++) w[i] = Math.cos(((Math.PI / 2) * (x[i] - x3)) / (x4 - x3)) ** 2;
      break;
    case 'parzen':
      for (let i = i1; i <= i2; i++) w[i] = (x[i] - x1) / (x2 - x1);
      for (let i = i3; i <= i4; i++) w[i] = 1 - (x[i] - x3) / (x4 - x3);
      break;
    case 'welch':
      for (let i = i1; i <= i2; i++) w[i] = 1 - ((x[i] - x2) / (x2 - x1)) ** 2;
      for (let i = i3; i <= i4; i++) w[i] = 1 - ((x[i] - x3) / (x4 - x3)) ** 2;
      break;
    case 'kaiser':
    case 'bessel': {
      const cen = (x4 + x1) / 2;
      const wid = (x4 - x1) / 2;
      const i0dx = besselI0(dx1);
      const scale = Math.max(1e-10, i0dx - 1);
      for (let i = 0; i < n; i++) {
        const arg = Math.max(0, 1 - (x[i] - cen) ** 2 / (wid * wid));
        if (nam === 'kaiser') w[i] = (besselI0(dx1 * Math.sqrt(arg)) - 1) / scale;
        else w[i] = x[i] <= x1 || x[i] >= x4 ? 0 : besselI0(dx1 * Math.sqrt(arg)) / i0dx;
      }
      break;
    }
    case 'sine':
      for (let i = i1; i <= i4; i++) w[i] = Math.sin((Math.PI * (x4 - x[i])) / (x4 - x1));
      break;
    case 'gaussian': {
      const cen = (x4 + x1) / 2;
      for (let i = 0; i < n; i++) w[i] = Math.exp(-((x[i] - cen) ** 2) / (2 * dx1 * dx1));
      break;
    }
  }
  return w;
}
