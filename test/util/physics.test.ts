import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ETOK, KTOE } from '../../src/util/physics.js';
import * as xas from '../../src/xas/constants.js';
import * as kgrid from '../../src/exafs/kgrid.js';

test('ETOK = 2mₑe/ħ²·1e-20 from CODATA 2018, one value for xas, exafs and nn', () => {
  // 2mₑe/ħ²·10⁻²⁰ evaluated to 40 digits (Python decimal) from h = 6.62607015e-34, e = 1.602176634e-19,
  // mₑ = 9.1093837015e-31: 0.26246842360751758639…
  assert.ok(Math.abs(ETOK / 0.2624684236075176 - 1) < 1e-15, String(ETOK));
  assert.ok(Math.abs(ETOK * KTOE - 1) < 1e-15);
  // Larch 0.9.58's xafsutils on SciPy 1.10 (CODATA 2018), the Larch of test/fixtures/xas: the same double
  assert.equal(KTOE, 3.8099821161548597);
  // the 3.8099819442818976 in Larch's source comment is CODATA 2010: 4.5e-8 relative away
  assert.ok(Math.abs(KTOE / 3.8099819442818976 - 1 - 4.511e-8) < 1e-11);
  // the re-exports are the same number, not copies that could drift
  assert.equal(xas.ETOK, ETOK);
  assert.equal(xas.KTOE, KTOE);
  assert.equal(kgrid.ETOK, ETOK);
});

test('KTOE equals the installed Larch\'s xafsutils.KTOE', (t) => {
  const py = '/usr/bin/python3';
  const r = existsSync(py)
    ? spawnSync(py, ['-c', 'from larch.xafs.xafsutils import KTOE; print(repr(KTOE))'], { encoding: 'utf8' })
    : null;
  if (!r || r.status !== 0) {
    t.skip('Larch not installed');
    return;
  }
  const larch = Number(r.stdout.trim().split('\n').pop());
  // bit-for-bit with a CODATA 2018 SciPy (the references'); 1.4e-9 relative with a CODATA 2022 one
  assert.ok(Math.abs(KTOE / larch - 1) < 2e-9, `Larch KTOE ${larch}, ours ${KTOE}`);
});
