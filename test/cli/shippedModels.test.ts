/**
 * The shipped per-element models on the measured LISA foils (300 K, test/fixtures/xas): `predict`
 * picks the spectrum's own element's model, and the first shell comes out at the crystallographic
 * values (fcc Cu a = 3.615 Å → 2.556 Å; hcp Co 6 + 6 at 2.497/2.507 Å → 2.50 Å; fcc Ni 2.492 Å, 12
 * neighbours; bcc Fe a = 2.866 Å → 8 at 2.482 Å and 6 at 2.866 Å) with a forward-check R-factor that
 * says the predicted structure reproduces the data. Nothing in the models was tuned to these files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const foils = join(root, 'test', 'fixtures', 'xas');

function predict(file: string, model?: string) {
  const args = ['predict', join(foils, file), '--json', ...(model ? ['--model', model] : [])];
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// [element, file, R1 (Å), CN of the headline shell, tolerance of R1, tolerance of CN, R-factor limit
//  (R space, over the forward check's window), k-space R-factor limit]
const CASES: [string, string, number, number, number, number, number, number][] = [
  // measured R space (window 1 Å – 2·R1 − 1 Å): Ni 0.0044, Cu 0.0061, Co 0.0117; k space (whole signal,
  // same ΔE and S0²): 0.058, 0.072, 0.050 — the bounds leave room for retrained models
  ['ni', 'Ni_foil_LISA_300K.xdi', 2.492, 12, 0.01, 0.5, 0.02, 0.09],
  ['cu', 'Cu_foil_LISA.xdi', 2.556, 12, 0.01, 0.5, 0.02, 0.09],
  ['co', 'Co_foil_LISA.xdi', 2.5, 12, 0.01, 0.5, 0.02, 0.09],
  // bcc Fe: measured 0.0140 / 0.144; true ZJW MD bcc Fe at a = 2.866 Å against this foil give
  // 0.011–0.024 / 0.128–0.168 (fe-probe dataset; numbers in src/exafs/resimulate.ts R_FACTOR_WARNING)
  ['fe', 'Fe_foil_LISA.xdi', 2.482, 8, 0.01, 0.5, 0.03, 0.18],
];

for (const [el, file, r1, cn, dr, dcn, rf, rfk] of CASES) {
  test(`${file}: the ${el}-k model, R1 ${r1} ± ${dr} Å, CN ${cn} ± ${dcn}, R-factor ≤ ${rf} (k space ≤ ${rfk})`, (t) => {
    if (!existsSync(join(root, 'data', 'models', `${el}-k`, 'model.json'))) {
      t.skip(`data/models/${el}-k is not shipped`);
      return;
    }
    const j = predict(file);
    assert.match(j.model, new RegExp(`data[\\\\/]models[\\\\/]${el}-k$`));
    assert.ok(!j.warnings.some((w: string) => /element difference/.test(w)), j.warnings.join('; '));
    const fs = j.first_shell;
    assert.ok(Math.abs(fs.r - r1) <= dr, `R1 ${fs.r} vs ${r1}`);
    assert.ok(Math.abs(fs.cn - cn) <= dcn, `CN ${fs.cn} vs ${cn}`);
    const rs = j.resimulated;
    assert.ok(rs.r_factor <= rf, `R-factor ${rs.r_factor} over R ${rs.r_range}`);
    assert.ok(rs.r_factor_k <= rfk, `k-space R-factor ${rs.r_factor_k}`);
    // the window ends 1 Å below twice the predicted R1
    assert.ok(rs.r_range[0] === 1 && Math.abs(rs.r_range[1] - (2 * fs.r - 1)) < 1e-9, `window ${rs.r_range}`);
    assert.ok(!j.warnings.some((w: string) => /misses the data/.test(w)), j.warnings.join('; '));
    if (el === 'fe') {
      // the 6 second neighbours at a = 2.866 Å are reported with the combined bcc shell (8 + 6)
      assert.ok(fs.combined, 'bcc combined shell reported');
      assert.ok(Math.abs(fs.combined.cn - 14) <= 1, `combined CN ${fs.combined.cn}`);
    }
    if (j.s02) assert.ok(j.s02.mean > 0.5 && j.s02.mean < 1.2, `S0² ${j.s02.mean}`);
  });
}

test("a spectrum read through another element's model says so (element difference)", () => {
  const j = predict('Cu_foil_LISA.xdi', join(root, 'data', 'models', 'ni-k'));
  assert.ok(
    j.warnings.some((w: string) => /element difference/.test(w)),
    j.warnings.join('; '),
  );
});

test("a wrong model's structure fails the forward check: the Cu foil through fe-k", (t) => {
  if (!existsSync(join(root, 'data', 'models', 'fe-k', 'model.json'))) {
    t.skip('data/models/fe-k is not shipped');
    return;
  }
  // fe-k reads fcc Cu as R1 2.695 Å, CN 13 (it knows Fe structures); measured R-factor 0.155 (each
  // foil through its own model: ≤ 0.014)
  const j = predict('Cu_foil_LISA.xdi', join(root, 'data', 'models', 'fe-k'));
  assert.ok(j.resimulated.r_factor > 0.1, `R-factor ${j.resimulated.r_factor}`);
  assert.ok(
    j.warnings.some((w: string) =>
      /misses the data \(R-factor 0\.\d+ over R 1\.00–\d\.\d\d Å > 0\.05\)/.test(w),
    ),
    j.warnings.join('; '),
  );
});
