// The worked example of docs/local-order.md: a prediction (`exafsnn predict --json`) against the
// truth of the configuration (`exafsnn analyze --json`): g(r) and N(θ) on the prediction's grids,
// R1 and CN, the local-order shares; writes a two-panel SVG (g(r), N(θ): truth and prediction ± σ).
//   node scripts/local-order-example.mjs TRUTH.json PREDICTION.json OUT.svg
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { plotSvg } from '../dist/src/report/plot.js';

const [truthFile, predFile, svgFile] = process.argv.slice(2);
if (!truthFile || !predFile) {
  process.stderr.write('usage: node scripts/local-order-example.mjs TRUTH.json PREDICTION.json [OUT.svg]\n');
  process.exit(2);
}
const t = JSON.parse(readFileSync(truthFile, 'utf8'));
let p = JSON.parse(readFileSync(predFile, 'utf8'));
if (Array.isArray(p.results)) p = p.results[0];

/** Linear interpolation of (xs, ys) at x. */
function at(xs, ys, x) {
  let j = 0;
  while (j < xs.length - 2 && xs[j + 1] < x) j++;
  const f = (x - xs[j]) / (xs[j + 1] - xs[j]);
  return ys[j] * (1 - f) + ys[j + 1] * f;
}
const gTrue = p.r.map((r) => at(t.r, t.g, r));
const badTrue = p.theta.map((th) => at(t.theta, t.bad, th));
const rms = (a, b) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length);
const inside = (a, b, s) => a.filter((v, i) => Math.abs(v - b[i]) <= s[i]).length / a.length;
const lo = p.local_order;
const pair = (truth, pred) => ({ truth, mean: pred?.mean ?? null, std: pred?.std ?? null });
const out = {
  g: { rms: rms(p.g, gTrue), peak_true: Math.max(...gTrue), within_1sigma: inside(p.g, gTrue, p.g_std) },
  bad: {
    rms: rms(p.bad, badTrue),
    peak_true: Math.max(...badTrue),
    within_1sigma: inside(p.bad, badTrue, p.bad_std),
  },
  r1: pair(t.r1, { mean: p.first_shell.r, std: p.first_shell.r_std }),
  cn: pair(t.cn, { mean: p.first_shell.cn, std: p.first_shell.cn_std }),
  pairs_1551: pair(t.local_order.pairs_1551, lo?.pairs_1551),
  pairs_1421: pair(t.local_order.pairs_1421, lo?.pairs_1421),
  pairs_1422: pair(t.local_order.pairs_1422, lo?.pairs_1422),
  ico_atoms: pair(t.local_order.cna_ico, lo?.atoms?.ico),
};
process.stdout.write(JSON.stringify(out, null, 1) + '\n');

if (svgFile) {
  const band = (m, s) => ({ lo: m.map((v, i) => v - s[i]), hi: m.map((v, i) => v + s[i]), label: '±1σ' });
  const pc = (x) => (100 * x).toFixed(1);
  const g = plotSvg({
    id: 'lo-g',
    title: 'g(r)',
    xlabel: 'r (Å)',
    ylabel: 'g(r)',
    width: 480,
    height: 320,
    series: [
      { x: t.r, y: t.g, label: 'truth (MD)', color: '#222222', width: 1.4 },
      { x: p.r, y: p.g, label: 'predicted', color: '#c0392b', band: band(p.g, p.g_std) },
    ],
    xlim: [p.r[0], p.r[p.r.length - 1]],
  });
  const b = plotSvg({
    id: 'lo-b',
    title: 'N(θ)',
    xlabel: 'θ (degrees)',
    ylabel: 'N(θ) per degree',
    width: 480,
    height: 320,
    series: [
      { x: t.theta, y: t.bad, label: 'truth (MD)', color: '#222222', width: 1.4 },
      { x: p.theta, y: p.bad, label: 'predicted', color: '#c0392b', band: band(p.bad, p.bad_std) },
    ],
    footnote: lo
      ? `1551 pairs: truth ${pc(t.local_order.pairs_1551)} %, predicted ${pc(lo.pairs_1551.mean)} ± ${pc(lo.pairs_1551.std)} %`
      : undefined,
  });
  // two panels side by side in one SVG
  const inner = (s, dx) =>
    s.replace(/^<svg[^>]*>/, `<g transform="translate(${dx},0)">`).replace(/<\/svg>$/, '</g>');
  writeFileSync(
    svgFile,
    `<svg xmlns="http://www.w3.org/2000/svg" width="960" height="320" viewBox="0 0 960 320">${inner(g, 0)}${inner(b, 480)}</svg>\n`,
  );
}
