import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  renderPredictReport,
  renderEvaluateReport,
  writeReport,
  seriesCsv,
  pm,
  loadResvg,
} from '../../src/report/index.js';
import { syntheticPredictInput, syntheticEvaluateInput, syntheticSpectrum } from './fixtures.js';
import { checkWellFormed } from './xmlcheck.js';

/** Anything a browser would fetch: src/href attributes, CSS url() and @import, <link>, remote scripts. */
function externalRefs(html: string): string[] {
  const hits: string[] = [];
  for (const re of [
    /\b(?:src|href|xlink:href|action|poster|data)\s*=\s*["']?(?!#)[^"'\s>]+/gi,
    /url\(\s*["']?(?!#)[^)]*\)/gi,
    /@import/gi,
    /<link\b/gi,
    /<iframe\b/gi,
  ]) {
    for (const m of html.matchAll(re)) hits.push(m[0]);
  }
  return hits;
}

test('predict report: self-contained page with the numbers, the figures and the settings', () => {
  const rep = renderPredictReport(syntheticPredictInput(1));
  const h = rep.html;
  assert.deepEqual(externalRefs(h), []);
  assert.ok(!/https?:\/\//.test(h), 'no http(s) URL anywhere in the page');
  assert.deepEqual(checkWellFormed(h, true), []);
  // the first-shell numbers, with σ and units
  assert.ok(h.includes('2.490 ± 0.012 Å'), 'R1 ± σ');
  assert.ok(h.includes('11.8 ± 0.4'), 'CN ± σ');
  assert.ok(h.includes('8333.00 eV'), 'E0');
  // fcc-like synthetic N(θ): peaks at 60, 90, 120 degrees
  assert.match(h, /60\.\d, 90\.\d, 120\.\d/);
  assert.ok(h.includes('0.0213'), 'R-factor');
  // the R-factor with its window (R space) and the k-space one beside it
  assert.ok(h.includes('R-factor (R 1.00–3.98 Å)'), 'R-factor card with its window');
  assert.ok(h.includes('0.0612'), 'k-space R-factor');
  // model identity, settings, attribution
  assert.ok(h.includes('ni-k-test') && h.includes('rbkg') && h.includes('hanning'));
  assert.ok(h.includes('Based on the LISA XAS Repository'));
  // seven figures inline, each also a named plot
  assert.deepEqual(
    rep.plots.map((p) => p.name),
    ['mu_e', 'chi_k', 'chi_r', 'g_r', 'n_theta', 'chi_resim', 'chi_resim_r'],
  );
  assert.equal((h.match(/<svg /g) ?? []).length, 7);
  // the R-space figure marks the window
  assert.ok(rep.plots.find((p) => p.name === 'chi_resim_r')!.svg.includes('3.98 Å'), 'window marked');
  for (const p of rep.plots) assert.deepEqual(checkWellFormed(p.svg), [], p.name);
  // the g(r) and N(θ) figures carry their ±σ bands
  for (const name of ['g_r', 'n_theta'])
    assert.ok(rep.plots.find((p) => p.name === name)!.svg.includes('class="band"'), name);
  // a machine-readable copy of the numbers
  const json = JSON.parse(
    h.match(/<script type="application\/json" id="exafsnn-data">([\s\S]*?)<\/script>/)![1],
  );
  assert.equal(json.first_shell[0].r1, 2.49);
  assert.equal(json.spectra[0].e0, 8333);
});

test('predict report: local order (1551 card and table) when the model predicts it, nothing otherwise', () => {
  const input = syntheticPredictInput(1);
  const plain = renderPredictReport(input).html;
  assert.ok(!plain.includes('Local order') && !plain.includes('1551'));
  const ms = (mean: number, std: number) => ({ mean, std });
  input.spectra[0].prediction!.local_order = {
    pairs_1551: ms(0.157, 0.021),
    pairs_1421: ms(0.04, 0.01),
    pairs_1422: ms(0.09, 0.012),
    atoms: {
      fcc: ms(0, 0.001),
      hcp: ms(0, 0.001),
      bcc: ms(0, 0.001),
      ico: ms(0.005, 0.002),
      other: ms(0.995, 0.002),
    },
  };
  const h = renderPredictReport(input).html;
  assert.deepEqual(checkWellFormed(h, true), []);
  assert.ok(h.includes('<h3>Local order</h3>'));
  assert.ok(h.includes('15.7 ± 2.1 %'), '1551 share in percent with σ');
  assert.match(h, /icosahedral \(1551\) first-shell pairs/);
  assert.match(h, /atoms icosahedral \(CNA\)<\/td><td class="num">0\.50 ± 0\.20<\/td><td>%<\/td>/);
  const json = JSON.parse(
    h.match(/<script type="application\/json" id="exafsnn-data">([\s\S]*?)<\/script>/)![1],
  );
  assert.equal(json.spectra[0].local_order.pairs_1551.mean, 0.157);
});

test('predict report: hostile file names are escaped and cannot close the JSON block', () => {
  const s = syntheticSpectrum({ file: '/x/<script>alert(1)</script>.xdi' });
  const rep = renderPredictReport({ spectra: [s], generated: 't' });
  assert.ok(!rep.html.includes('<script>alert'));
  assert.ok(rep.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.equal(
    (rep.html.match(/<\/script>/g) ?? []).length,
    1,
    'only the JSON block closes a script element',
  );
  for (const p of rep.plots) assert.match(p.name, /^[A-Za-z0-9._-]+$/);
});

test('temperature series: table in T order, CSV with units and one row per file', () => {
  const inp = syntheticPredictInput(3);
  inp.spectra.reverse(); // given out of order
  const rep = renderPredictReport(inp);
  assert.ok(rep.html.includes('temperature series'));
  assert.deepEqual(
    rep.rows.map((r) => r.temperature),
    [300, 500, 700],
  );
  const lines = rep.csv!.trim().split('\r\n');
  assert.equal(
    lines[0],
    'file,temperature_K,R1_A,R1_std_A,CN,CN_std,theta_peaks_deg,r_factor,r_factor_rmin_A,r_factor_rmax_A',
  );
  assert.equal(lines.length, 4);
  const row = lines[1].split(',');
  assert.equal(row[0], 'Ni_300K.xdi');
  assert.equal(Number(row[1]), 300);
  assert.equal(Number(row[2]), 2.49);
  assert.deepEqual(row.slice(7).map(Number), [0.0213, 1, 3.98]);
  // R1 vs T figure plus seven per file, file-prefixed
  assert.equal(rep.plots.length, 1 + 3 * 7);
  assert.ok(rep.plots.some((p) => p.name === 'Ni_700K_g_r'));
  // CSV quoting
  assert.match(seriesCsv([{ ...rep.rows[0], file: 'a,"b".xdi' }]), /^[^\r]+\r\n"a,""b"".xdi",/);
});

test('pm: value and σ rounded to what σ supports (PDG: two digits of σ for 100–354, else one)', () => {
  assert.equal(pm(2.4913, 0.0123, 3), '2.491 ± 0.012');
  assert.equal(pm(11.83, 0.41, 1), '11.8 ± 0.4');
  assert.equal(pm(11.83, 2.1, 1), '11.8 ± 2.1');
  assert.equal(pm(12.63, 0.96, 1), '12.6 ± 1.0');
  assert.equal(pm(2.4987, 0.0011, 3), '2.4987 ± 0.0011');
  assert.equal(pm(8.75, 0.9, 1), '8.8 ± 0.9');
  assert.equal(pm(126.3, 12, 1), '126 ± 12');
  assert.equal(pm(2.4987, 0.02, 3), '2.499 ± 0.020');
  assert.equal(pm(NaN, 1), '—');
});

test('evaluate report: heads, classes, worst-200 plot, examples with bands, calibration', () => {
  const rep = renderEvaluateReport(syntheticEvaluateInput());
  const h = rep.html;
  assert.deepEqual(externalRefs(h), []);
  assert.deepEqual(checkWellFormed(h, true), []);
  assert.ok(h.includes('1.230e-2') && h.includes('2.100e-3'), 'test MSE per head');
  assert.ok(h.includes('0.976'), 'skill of g: 1 − 0.0123/0.52');
  assert.ok(h.includes('>liquid<') && h.includes('3.300e-3'));
  assert.deepEqual(
    rep.plots.map((p) => p.name),
    ['worst_mse', 'calibration_g', 'example1_g_r', 'example1_n_theta'],
  );
  assert.ok(h.includes('>liquid #1000<') && h.includes('The first 10 of 200'), 'worst-samples table');
  const worst = rep.plots[0].svg;
  assert.ok(worst.includes('worst 200') && worst.includes('>10⁻¹</text>'), 'log axis');
  assert.equal((worst.match(/<circle/g) ?? []).length, 200);
  assert.ok(rep.plots[2].svg.includes('class="band"'));
});

test('writeReport: every figure as SVG (+PNG), the CSV, report.html last, no temp files left', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-report-'));
  try {
    const w = writeReport(join(dir, 'out'), renderPredictReport(syntheticPredictInput(1)), { pngScale: 1 });
    const files = readdirSync(join(dir, 'out')).sort();
    assert.equal(w.files[w.files.length - 1], 'report.html');
    assert.ok(files.includes('report.html') && files.includes('first_shell.csv'));
    assert.ok(files.includes('g_r.svg') && files.includes('n_theta.svg') && files.includes('chi_resim.svg'));
    assert.ok(!files.some((f) => f.startsWith('.') || f.endsWith('.tmp')), files.join(' '));
    if (loadResvg()) {
      assert.equal(w.png, true);
      const png = readFileSync(join(dir, 'out', 'g_r.png'));
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      // width in the IHDR chunk: the SVG's 640 px at scale 1
      assert.equal(png.readUInt32BE(16), 640);
    } else {
      assert.equal(w.png, false);
      assert.ok(w.notes[0].includes('PNG export unavailable'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('predict report: a spectrum of another element than the model is flagged', () => {
  const inp = syntheticPredictInput(1);
  inp.spectra[0].element = 'Cu';
  const h = renderPredictReport(inp).html;
  assert.match(h, /The model was trained for Ni K; this spectrum is Cu K\./);
  assert.ok(!renderPredictReport(syntheticPredictInput(1)).html.includes('The model was trained for'));
});
