import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processSpectrum } from '../../src/xas/index.js';
import {
  spectrumReport,
  temperatureOf,
  attributionFor,
  renderPredictReport,
} from '../../src/report/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const ni = join(root, '..', 'shared', 'data', 'spectra', 'Ni_foil_LISA_300K.xdi');
const skip = existsSync(ni) ? false : `shared data missing: ${ni} (CI puts shared/ beside the clone)`;

test('temperatureOf: XDI header first, then the file name', () => {
  assert.equal(temperatureOf('x.xdi', '# Sample.temperature: 300 K\n'), 300);
  assert.equal(temperatureOf('x.xdi', '# Sample.temperature: 25 C\n'), 298.15);
  assert.equal(temperatureOf('/d/Ni_foil_450K.xdi'), 450);
  assert.equal(temperatureOf('/d/Ni-77.5K-scan.dat'), 77.5);
  assert.equal(temperatureOf('/d/Ni_foil_LISA.xdi'), undefined);
  assert.equal(temperatureOf('/d/K1.xdi'), undefined);
});

test(
  'spectrumReport from a real processed spectrum (LISA Ni foil): processing view and attribution',
  { skip },
  () => {
    const text = readFileSync(ni, 'latin1');
    const res = processSpectrum(text, 'Ni_foil_LISA_300K.xdi');
    const s = spectrumReport(res, null, { text });
    assert.equal(s.temperature, 300);
    assert.equal(s.element, 'Ni');
    const p = s.processing;
    assert.equal(p.e0, res.e0);
    assert.equal(p.energy.length, p.mu.length);
    assert.ok(
      p.background && Number.isNaN(p.background[0]) && Number.isFinite(p.background[p.background.length - 1]),
      'background shown from E0 up',
    );
    assert.equal(p.kmin, res.params.ft_kmin);
    assert.ok(s.warnings!.some((w) => /31 points/.test(w)));
    const a = attributionFor(text);
    assert.match(a!, /LISA XAS Repository.*CC BY 4\.0/);
    assert.equal(attributionFor('# XDI/1.0\n# Beamline.name: 20-BM\n'), null);
    const rep = renderPredictReport({ spectra: [s], attribution: [a!] });
    assert.deepEqual(
      rep.plots.map((x) => x.name),
      ['mu_e', 'chi_k', 'chi_r'],
    );
    assert.equal(rep.csv, null);
    assert.ok(rep.html.includes('LISA XAS Repository'));
  },
);
