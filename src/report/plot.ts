/**
 * A small, dependency-free SVG line-plot module for scientific figures. It runs unchanged in
 * Node and in the browser (no DOM, no Node APIs): it returns an SVG document as a string.
 *
 * Features: several series (line, points, steps), filled ±σ bands, vertical/horizontal marker
 * lines with labels, axes with "nice" ticks (1-2-5 steps) or a log axis, labels with units,
 * a legend, and non-finite values breaking a line instead of corrupting it.
 */

export interface Band {
  /** lower edge of the band, same length as x */
  lo: ArrayLike<number>;
  /** upper edge of the band, same length as x */
  hi: ArrayLike<number>;
  /** fill opacity (default 0.22) */
  opacity?: number;
  /** legend text for the band, e.g. "±1σ (calibrated)" */
  label?: string;
}

export interface Series {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  label?: string;
  /** CSS colour; default: the next colour of the palette */
  color?: string;
  /** stroke width in px (default 1.8) */
  width?: number;
  /** SVG dash array, e.g. "6 4" */
  dash?: string;
  /** 'line' (default), 'points', 'line+points', 'steps' (centred histogram steps) */
  style?: 'line' | 'points' | 'line+points' | 'steps';
  /** marker radius for points (default 2.5) */
  radius?: number;
  band?: Band;
}

export interface MarkerLine {
  /** position on the axis in data units */
  at: number;
  label?: string;
  color?: string;
  dash?: string;
}

export interface PlotSpec {
  title?: string;
  /** axis labels, with units, e.g. "r (Å)", "k (Å⁻¹)" */
  xlabel?: string;
  ylabel?: string;
  series: Series[];
  vlines?: MarkerLine[];
  hlines?: MarkerLine[];
  /** width and height of the SVG in px (default 640 × 400) */
  width?: number;
  height?: number;
  /** fixed axis limits; missing ends are taken from the data */
  xlim?: [number | undefined, number | undefined];
  ylim?: [number | undefined, number | undefined];
  logX?: boolean;
  logY?: boolean;
  /** legend position (default 'top-right'); 'none' hides it */
  legend?: 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left' | 'none';
  /** include y = 0 in the y range (default false) */
  includeZeroY?: boolean;
  /** an id prefix for clip paths, so several plots can be inlined in one HTML page */
  id?: string;
  /** a short note under the plot (e.g. data attribution) */
  footnote?: string;
}

/** Colour-blind-safe palette (Okabe & Ito 2008). */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
];

const FONT = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";

/** Escape text for use inside SVG/HTML element content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** Format a number compactly for SVG coordinates. */
function f(x: number): string {
  return (Math.round(x * 100) / 100).toString();
}

/**
 * "Nice" linear ticks covering [lo, hi] with about `target` intervals: the step is 1, 2, 2.5 or 5
 * times a power of ten (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
 */
export function niceTicks(
  lo: number,
  hi: number,
  target = 6,
): { ticks: number[]; step: number; lo: number; hi: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { ticks: [0, 1], step: 1, lo: 0, hi: 1 };
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const raw = (hi - lo) / Math.max(1, target);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const m = raw / p;
  const mult = m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10;
  const step = mult * p;
  const t0 = Math.floor(lo / step + 1e-9) * step;
  const t1 = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  const n = Math.round((t1 - t0) / step);
  for (let i = 0; i <= n; i++) ticks.push(cleanFloat(t0 + i * step, step));
  return { ticks, step, lo: t0, hi: t1 };
}

function cleanFloat(x: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  const r = Number(x.toFixed(Math.min(15, digits)));
  return Object.is(r, -0) ? 0 : r;
}

/** Decade ticks for a log axis over [lo, hi] (both > 0). */
export function logTicks(
  lo: number,
  hi: number,
): { ticks: number[]; minor: number[]; lo: number; hi: number } {
  const d0 = Math.floor(Math.log10(lo));
  const d1 = Math.ceil(Math.log10(hi));
  const ticks: number[] = [];
  const minor: number[] = [];
  for (let d = d0; d <= d1; d++) {
    ticks.push(Number(`1e${d}`));
    if (d < d1) for (let m = 2; m <= 9; m++) minor.push(Number(`${m}e${d}`));
  }
  return { ticks, minor, lo: Number(`1e${d0}`), hi: Number(`1e${d1}`) };
}

/** Tick label: fixed digits matching the step, or exponent form for very large/small values. */
export function formatTick(x: number, step: number): string {
  if (x === 0) return '0';
  const ax = Math.abs(x);
  if (ax >= 1e5 || ax < 1e-3) return formatExp(x);
  // as many decimals as the step needs to be exact (0.25 → 2, 0.5 → 1, 5 → 0)
  let digits = 0;
  while (
    digits < 6 &&
    Math.abs(Math.round(step * 10 ** digits) - step * 10 ** digits) > 1e-6 * step * 10 ** digits
  )
    digits++;
  return x.toFixed(digits).replace('-', '−');
}

function formatExp(x: number): string {
  const e = Math.floor(Math.log10(Math.abs(x)));
  const m = x / Math.pow(10, e);
  const sup = String(e)
    .split('')
    .map((c) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(c)] ?? (c === '-' ? '⁻' : c))
    .join('');
  const ms = Math.abs(m - 1) < 1e-9 ? '' : `${Number(m.toFixed(2))}×`;
  return `${ms}10${sup}`.replace('-', '−');
}

interface Extent {
  lo: number;
  hi: number;
}

function extentOf(
  values: ArrayLike<number>[],
  positiveOnly: boolean,
  e: Extent = { lo: Infinity, hi: -Infinity },
): Extent {
  for (const v of values) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (!Number.isFinite(x) || (positiveOnly && x <= 0)) continue;
      if (x < e.lo) e.lo = x;
      if (x > e.hi) e.hi = x;
    }
  }
  return e;
}

/** Plot-area geometry: SVG size, margins (room for title, tick labels, footnote), plot size. */
interface Layout {
  W: number;
  H: number;
  id: string;
  m: { left: number; right: number; top: number; bottom: number };
  pw: number;
  ph: number;
  footLines: string[];
}

/** Data → pixel mapping of both axes, with their ticks. */
interface Scales {
  xe: Extent;
  ye: Extent;
  xTicks: number[];
  xMinor: number[];
  xStep: number;
  yTicks: number[];
  yMinor: number[];
  yStep: number;
  tx: (v: number) => number;
  ty: (v: number) => number;
  okX: (v: number) => boolean;
  okY: (v: number) => boolean;
}

function plotLayout(spec: PlotSpec): Layout {
  const W = spec.width ?? 640;
  const H = spec.height ?? 400;
  const id = (spec.id ?? 'p').replace(/[^A-Za-z0-9_-]/g, '_');
  // footnotes wrap to the plot width (about 5.3 px per character at 9.5 px)
  const footLines = spec.footnote ? wrapText(spec.footnote, Math.max(20, Math.floor((W - 12) / 5.3))) : [];
  const foot = footLines.length ? 4 + 12 * footLines.length : 0;
  const m = { left: 68, right: 24, top: spec.title ? 34 : 14, bottom: 50 + foot };
  return { W, H, id, m, pw: W - m.left - m.right, ph: H - m.top - m.bottom, footLines };
}

/** Axis ranges from the data (and limits, markers, steps), ticks, and the data → pixel maps. */
function plotScales(spec: PlotSpec, { m, pw, ph }: Layout): Scales {
  const xs = spec.series.map((s) => s.x);
  // with fixed x limits, the y range follows only the points inside them
  const xl0 = spec.xlim?.[0] ?? -Infinity;
  const xl1 = spec.xlim?.[1] ?? Infinity;
  const inX = (x: ArrayLike<number>, y: ArrayLike<number>): ArrayLike<number> => {
    if (xl0 === -Infinity && xl1 === Infinity) return y;
    const out: number[] = [];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] >= xl0 && x[i] <= xl1) out.push(y[i]);
    return out;
  };
  const ys: ArrayLike<number>[] = [];
  for (const s of spec.series) {
    ys.push(inX(s.x, s.y));
    if (s.band) ys.push(inX(s.x, s.band.lo), inX(s.x, s.band.hi));
  }
  let xe = extentOf(xs, !!spec.logX);
  // histogram steps reach half a bin beyond their first and last centres
  for (const s of spec.series) {
    const n = s.x.length;
    if (s.style === 'steps' && n > 1 && !spec.logX) {
      xe.lo = Math.min(xe.lo, s.x[0] - (s.x[1] - s.x[0]) / 2);
      xe.hi = Math.max(xe.hi, s.x[n - 1] + (s.x[n - 1] - s.x[n - 2]) / 2);
    }
  }
  let ye = extentOf(ys, !!spec.logY);
  for (const v of spec.vlines ?? [])
    if (Number.isFinite(v.at)) xe = { lo: Math.min(xe.lo, v.at), hi: Math.max(xe.hi, v.at) };
  if (spec.includeZeroY && !spec.logY) ye = { lo: Math.min(ye.lo, 0), hi: Math.max(ye.hi, 0) };
  if (!(xe.lo <= xe.hi)) xe = spec.logX ? { lo: 1, hi: 10 } : { lo: 0, hi: 1 };
  if (!(ye.lo <= ye.hi)) ye = spec.logY ? { lo: 1, hi: 10 } : { lo: 0, hi: 1 };
  if (spec.xlim?.[0] !== undefined) xe.lo = spec.xlim[0];
  if (spec.xlim?.[1] !== undefined) xe.hi = spec.xlim[1];
  if (spec.ylim?.[0] !== undefined) ye.lo = spec.ylim[0];
  if (spec.ylim?.[1] !== undefined) ye.hi = spec.ylim[1];

  // x: the data range exactly (ticks inside); y: padded by 4 % and expanded to nice ticks
  let xTicks: number[];
  let xMinor: number[] = [];
  let xStep = 1;
  if (spec.logX) {
    const t = logTicks(xe.lo, xe.hi);
    xTicks = t.ticks.filter((v) => v >= xe.lo * 0.999 && v <= xe.hi * 1.001);
    xMinor = t.minor.filter((v) => v >= xe.lo && v <= xe.hi);
  } else {
    const t = niceTicks(xe.lo, xe.hi, Math.max(3, Math.round(pw / 80)));
    xStep = t.step;
    xTicks = t.ticks.filter((v) => v >= xe.lo - 1e-9 * t.step && v <= xe.hi + 1e-9 * t.step);
  }
  let yTicks: number[];
  let yMinor: number[] = [];
  let yStep = 1;
  if (spec.logY) {
    const t = logTicks(ye.lo, ye.hi);
    if (spec.ylim?.[0] === undefined) ye.lo = t.lo;
    if (spec.ylim?.[1] === undefined) ye.hi = t.hi;
    yTicks = t.ticks.filter((v) => v >= ye.lo * 0.999 && v <= ye.hi * 1.001);
    yMinor = t.minor.filter((v) => v >= ye.lo && v <= ye.hi);
  } else {
    // matplotlib-like: the data range padded by 4 %, ticks inside it; a range that starts at
    // (or just below) zero starts at zero when includeZeroY is set
    const span = ye.hi - ye.lo;
    const pad = span * 0.04 || Math.abs(ye.hi) * 0.1 || 1;
    let lo0 = ye.lo - pad;
    if (spec.includeZeroY && ye.lo >= -0.02 * span) lo0 = Math.min(0, ye.lo);
    const hi0 = ye.hi + pad;
    ye = { lo: spec.ylim?.[0] ?? lo0, hi: spec.ylim?.[1] ?? hi0 };
    const t = niceTicks(ye.lo, ye.hi, Math.max(3, Math.round(ph / 60)));
    yStep = t.step;
    yTicks = t.ticks.filter((v) => v >= ye.lo - 1e-9 * t.step && v <= ye.hi + 1e-9 * t.step);
  }
  if (xe.hi === xe.lo) xe.hi = xe.lo + 1;
  if (ye.hi === ye.lo) ye.hi = ye.lo + 1;

  const tx = spec.logX
    ? (v: number) =>
        m.left + ((Math.log10(v) - Math.log10(xe.lo)) / (Math.log10(xe.hi) - Math.log10(xe.lo))) * pw
    : (v: number) => m.left + ((v - xe.lo) / (xe.hi - xe.lo)) * pw;
  const ty = spec.logY
    ? (v: number) =>
        m.top + ph - ((Math.log10(v) - Math.log10(ye.lo)) / (Math.log10(ye.hi) - Math.log10(ye.lo))) * ph
    : (v: number) => m.top + ph - ((v - ye.lo) / (ye.hi - ye.lo)) * ph;
  const okX = (v: number) => Number.isFinite(v) && (!spec.logX || v > 0);
  const okY = (v: number) => Number.isFinite(v) && (!spec.logY || v > 0);

  return { xe, ye, xTicks, xMinor, xStep, yTicks, yMinor, yStep, tx, ty, okX, okY };
}

/** Grid lines at the ticks, and the y = 0 line when it is inside the range. */
function drawGrid(spec: PlotSpec, { m, pw, ph }: Layout, { xTicks, yTicks, tx, ty, ye }: Scales): string[] {
  const out: string[] = [];
  const grid: string[] = [];
  for (const v of yTicks) grid.push(`M${f(m.left)} ${f(ty(v))}H${f(m.left + pw)}`);
  for (const v of xTicks) grid.push(`M${f(tx(v))} ${f(m.top)}V${f(m.top + ph)}`);
  out.push(`<path class="grid" d="${grid.join('')}" stroke="#e3e3e3" stroke-width="1" fill="none"/>`);
  if (!spec.logY && ye.lo < 0 && ye.hi > 0)
    out.push(
      `<path class="zero" d="M${f(m.left)} ${f(ty(0))}H${f(m.left + pw)}" stroke="#9a9a9a" stroke-width="1" fill="none"/>`,
    );
  return out;
}

/** Bands, then lines, steps and points (so lines stay on top), then marker lines: the clipped body. */
function drawSeries(spec: PlotSpec, { m, pw, ph }: Layout, sc: Scales, colors: string[]): string[] {
  const { tx, ty, okX, okY } = sc;
  const body: string[] = [];
  spec.series.forEach((s, si) => {
    if (!s.band) return;
    const segs = bandSegments(s.x, s.band.lo, s.band.hi, okX, okY);
    const d = segs
      .map((seg) => {
        const up = seg.map((i) => `${f(tx(s.x[i]))} ${f(ty(s.band!.hi[i]))}`);
        const dn = seg
          .slice()
          .reverse()
          .map((i) => `${f(tx(s.x[i]))} ${f(ty(s.band!.lo[i]))}`);
        return `M${up.join('L')}L${dn.join('L')}Z`;
      })
      .join('');
    if (d)
      body.push(
        `<path class="band" d="${d}" fill="${colors[si]}" fill-opacity="${s.band.opacity ?? 0.22}" stroke="none"/>`,
      );
  });
  spec.series.forEach((s, si) => {
    const style = s.style ?? 'line';
    const c = colors[si];
    const w = s.width ?? 1.8;
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    if (style === 'line' || style === 'line+points') {
      const d = linePath(s.x, s.y, sc);
      if (d)
        body.push(
          `<path class="series" d="${d}" fill="none" stroke="${c}" stroke-width="${w}" stroke-linejoin="round" stroke-linecap="round"${dash}/>`,
        );
    }
    if (style === 'steps') {
      const d = stepPath(s.x, s.y, sc);
      if (d)
        body.push(`<path class="series" d="${d}" fill="none" stroke="${c}" stroke-width="${w}"${dash}/>`);
    }
    if (style === 'points' || style === 'line+points') {
      const r = s.radius ?? 2.5;
      const pts: string[] = [];
      const n = Math.min(s.x.length, s.y.length);
      for (let i = 0; i < n; i++) {
        if (!okX(s.x[i]) || !okY(s.y[i])) continue;
        pts.push(`<circle cx="${f(tx(s.x[i]))}" cy="${f(ty(s.y[i]))}" r="${r}"/>`);
      }
      body.push(`<g class="points" fill="${c}" stroke="none">${pts.join('')}</g>`);
    }
  });
  for (const v of spec.vlines ?? []) {
    if (!okX(v.at)) continue;
    const c = v.color ?? '#555';
    body.push(
      `<path class="vline" d="M${f(tx(v.at))} ${f(m.top)}V${f(m.top + ph)}" stroke="${c}" stroke-width="1.2" stroke-dasharray="${v.dash ?? '5 4'}" fill="none"/>`,
    );
  }
  for (const h of spec.hlines ?? []) {
    if (!okY(h.at)) continue;
    const c = h.color ?? '#555';
    body.push(
      `<path class="hline" d="M${f(m.left)} ${f(ty(h.at))}H${f(m.left + pw)}" stroke="${c}" stroke-width="1.2" stroke-dasharray="${h.dash ?? '5 4'}" fill="none"/>`,
    );
  }
  return body;
}

/** Marker labels (outside the clip so they are never cut). */
function drawMarkerLabels(spec: PlotSpec, { m, pw }: Layout, { tx, ty, okX, okY }: Scales): string[] {
  const out: string[] = [];
  for (const v of spec.vlines ?? []) {
    if (!okX(v.at) || !v.label) continue;
    const x = tx(v.at);
    if (x < m.left - 1 || x > m.left + pw + 1) continue;
    const right = x < m.left + pw - 90;
    out.push(
      `<text class="vlabel" x="${f(right ? x + 4 : x - 4)}" y="${f(m.top + 13)}" text-anchor="${right ? 'start' : 'end'}" font-size="11" fill="${v.color ?? '#555'}">${escapeXml(v.label)}</text>`,
    );
  }
  for (const h of spec.hlines ?? []) {
    if (!okY(h.at) || !h.label) continue;
    out.push(
      `<text class="hlabel" x="${f(m.left + 4)}" y="${f(ty(h.at) - 4)}" font-size="11" fill="${h.color ?? '#555'}">${escapeXml(h.label)}</text>`,
    );
  }
  return out;
}

/** Frame, ticks, tick labels, axis labels and the footnote. */
function drawAxes(spec: PlotSpec, { W, H, m, pw, ph, footLines }: Layout, sc: Scales): string[] {
  const { xTicks, xMinor, xStep, yTicks, yMinor, yStep, tx, ty } = sc;
  const out: string[] = [];
  out.push(
    `<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333" stroke-width="1"/>`,
  );
  const tk: string[] = [];
  const lbl: string[] = [];
  for (const v of xTicks) {
    const x = tx(v);
    tk.push(`M${f(x)} ${f(m.top + ph)}v5`);
    lbl.push(
      `<text x="${f(x)}" y="${f(m.top + ph + 18)}" text-anchor="middle">${escapeXml(spec.logX ? formatExp(v) : formatTick(v, xStep))}</text>`,
    );
  }
  for (const v of xMinor) tk.push(`M${f(tx(v))} ${f(m.top + ph)}v3`);
  for (const v of yTicks) {
    const y = ty(v);
    tk.push(`M${f(m.left)} ${f(y)}h-5`);
    lbl.push(
      `<text x="${f(m.left - 8)}" y="${f(y + 4)}" text-anchor="end">${escapeXml(spec.logY ? formatExp(v) : formatTick(v, yStep))}</text>`,
    );
  }
  for (const v of yMinor) tk.push(`M${f(m.left)} ${f(ty(v))}h-3`);
  out.push(`<path class="ticks" d="${tk.join('')}" stroke="#333" stroke-width="1" fill="none"/>`);
  out.push(`<g class="ticklabels" fill="#333" font-size="11.5">${lbl.join('')}</g>`);
  if (spec.xlabel)
    out.push(
      `<text class="xlabel" x="${f(m.left + pw / 2)}" y="${f(m.top + ph + 40)}" text-anchor="middle" font-size="13" fill="#222">${escapeXml(spec.xlabel)}</text>`,
    );
  if (spec.ylabel) {
    const cx = 16;
    const cy = m.top + ph / 2;
    out.push(
      `<text class="ylabel" x="${cx}" y="${f(cy)}" text-anchor="middle" font-size="13" fill="#222" transform="rotate(-90 ${cx} ${f(cy)})">${escapeXml(spec.ylabel)}</text>`,
    );
  }
  footLines.forEach((line, i) =>
    out.push(
      `<text class="footnote" x="${W - 6}" y="${H - 5 - 12 * (footLines.length - 1 - i)}" text-anchor="end" font-size="9.5" fill="#777">${escapeXml(line)}</text>`,
    ),
  );
  return out;
}

/** The legend box: one entry per labelled series and band. */
function drawLegend(spec: PlotSpec, { m, pw, ph }: Layout, colors: string[]): string[] {
  const out: string[] = [];
  const entries: { label: string; color: string; kind: 'line' | 'band' | 'point'; dash?: string }[] = [];
  spec.series.forEach((s, i) => {
    const style = s.style ?? 'line';
    if (s.label)
      entries.push({
        label: s.label,
        color: colors[i],
        kind: style === 'points' ? 'point' : 'line',
        dash: s.dash,
      });
    if (s.band?.label) entries.push({ label: s.band.label, color: colors[i], kind: 'band' });
  });
  const pos = spec.legend ?? 'top-right';
  if (entries.length && pos !== 'none') {
    const lw = Math.min(pw - 10, 34 + Math.max(...entries.map((e) => textWidth(e.label, 11.5))));
    const lh = 8 + entries.length * 17;
    const lx = pos.endsWith('left') ? m.left + 8 : m.left + pw - lw - 8;
    const ly = pos.startsWith('top') ? m.top + 8 : m.top + ph - lh - 8;
    const g: string[] = [`<g class="legend" font-size="11.5">`];
    g.push(
      `<rect x="${f(lx)}" y="${f(ly)}" width="${f(lw)}" height="${lh}" fill="#ffffff" fill-opacity="0.88" stroke="#c8c8c8" rx="3"/>`,
    );
    entries.forEach((e, i) => {
      const y = ly + 4 + i * 17 + 8.5;
      if (e.kind === 'band')
        g.push(
          `<rect x="${f(lx + 7)}" y="${f(y - 5)}" width="20" height="10" fill="${e.color}" fill-opacity="0.25"/>`,
        );
      else if (e.kind === 'point')
        g.push(`<circle cx="${f(lx + 17)}" cy="${f(y)}" r="3" fill="${e.color}"/>`);
      else
        g.push(
          `<path d="M${f(lx + 7)} ${f(y)}h20" stroke="${e.color}" stroke-width="2"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/>`,
        );
      g.push(`<text x="${f(lx + 32)}" y="${f(y + 4)}" fill="#222">${escapeXml(e.label)}</text>`);
    });
    g.push('</g>');
    out.push(g.join(''));
  }
  return out;
}

/** Render a plot to a standalone SVG document string. */
export function plotSvg(spec: PlotSpec): string {
  const layout = plotLayout(spec);
  const { W, H, id, m, pw, ph } = layout;
  const sc = plotScales(spec, layout);
  const colors = spec.series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT}" font-size="12" role="img"${
      spec.title ? ` aria-label="${escapeXml(spec.title)}"` : ''
    }>`,
  );
  if (spec.title) out.push(`<title>${escapeXml(spec.title)}</title>`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(
    `<defs><clipPath id="${id}-clip"><rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}"/></clipPath></defs>`,
  );
  if (spec.title)
    out.push(
      `<text x="${f(m.left + pw / 2)}" y="21" text-anchor="middle" font-size="14" font-weight="bold" fill="#222">${escapeXml(spec.title)}</text>`,
    );
  out.push(...drawGrid(spec, layout, sc));
  out.push(`<g clip-path="url(#${id}-clip)">${drawSeries(spec, layout, sc, colors).join('')}</g>`);
  out.push(...drawMarkerLabels(spec, layout, sc));
  out.push(...drawAxes(spec, layout, sc));
  out.push(...drawLegend(spec, layout, colors));
  out.push('</svg>');
  return out.join('\n');
}

/** Greedy word wrap to at most `width` characters per line. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (cur && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** Rough text width in px for the legend box (average glyph widths of a sans-serif font). */
function textWidth(s: string, size: number): number {
  let w = 0;
  for (const c of s)
    w += /[ilj.,:;'|!()[\]]/.test(c) ? 0.3 : /[MWmw@%]/.test(c) ? 0.85 : /[A-Z]/.test(c) ? 0.66 : 0.56;
  return w * size;
}

/**
 * An SVG path through the drawable points (x and y finite, positive on a log axis); a point that
 * is not drawable lifts the pen. `segment(i, pen)` draws point i ("M…" when the pen was up).
 */
function tracePath(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  okX: (v: number) => boolean,
  okY: (v: number) => boolean,
  segment: (i: number, pen: boolean) => string,
): string {
  const n = Math.min(x.length, y.length);
  let d = '';
  let pen = false;
  for (let i = 0; i < n; i++) {
    if (!okX(x[i]) || !okY(y[i])) {
      pen = false;
      continue;
    }
    d += segment(i, pen);
    pen = true;
  }
  return d;
}

function linePath(x: ArrayLike<number>, y: ArrayLike<number>, { tx, ty, okX, okY }: Scales): string {
  return tracePath(x, y, okX, okY, (i, pen) => `${pen ? 'L' : 'M'}${f(tx(x[i]))} ${f(ty(y[i]))}`);
}

/** Histogram-style steps: each value spans half-way to its neighbours. */
function stepPath(x: ArrayLike<number>, y: ArrayLike<number>, { tx, ty, okX, okY }: Scales): string {
  const n = Math.min(x.length, y.length);
  return tracePath(x, y, okX, okY, (i, pen) => {
    const left = i > 0 ? (x[i - 1] + x[i]) / 2 : x[i] - (n > 1 ? (x[1] - x[0]) / 2 : 0.5);
    const right = i < n - 1 ? (x[i] + x[i + 1]) / 2 : x[i] + (n > 1 ? (x[n - 1] - x[n - 2]) / 2 : 0.5);
    return `${pen ? 'L' : 'M'}${f(tx(left))} ${f(ty(y[i]))}H${f(tx(right))}`;
  });
}

/** Runs of indices where x, lo and hi are all drawable. */
function bandSegments(
  x: ArrayLike<number>,
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  okX: (v: number) => boolean,
  okY: (v: number) => boolean,
): number[][] {
  const n = Math.min(x.length, lo.length, hi.length);
  const segs: number[][] = [];
  let cur: number[] = [];
  for (let i = 0; i < n; i++) {
    if (okX(x[i]) && okY(lo[i]) && okY(hi[i])) cur.push(i);
    else if (cur.length) {
      segs.push(cur);
      cur = [];
    }
  }
  if (cur.length) segs.push(cur);
  return segs.filter((s) => s.length > 1);
}

/** Convenience: a band of mean ± k·σ. */
export function stdBand(y: ArrayLike<number>, std: ArrayLike<number>, k = 1, label?: string): Band {
  const n = Math.min(y.length, std.length);
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lo[i] = y[i] - k * std[i];
    hi[i] = y[i] + k * std[i];
  }
  return { lo, hi, label };
}
