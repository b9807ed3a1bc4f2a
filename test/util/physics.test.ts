import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ETOK, KTOE } from '../../src/util/physics.js';
import * as xas from '../../src/xas/constants.js';
import * as kgrid from '../../src/exafs/kgrid.js';

test('ETOK = 2mₑe/ħ²·1e-20 from CODATA 2022, one value for xas, exafs and nn', () => {
  // 2mₑe/ħ²·10⁻²⁰ evaluated to 40 digits (Python decimal) from h = 6.62607015e-34, e = 1.602176634e-19,
  // mₑ = 9.1093837139e-31: 0.26246842396479844746…
  assert.ok(Math.abs(ETOK / 0.2624684239647984 - 1) < 1e-15, String(ETOK));
  assert.ok(Math.abs(ETOK * KTOE - 1) < 1e-15);
  // Larch's xafsutils on SciPy ≥ 1.15 (CODATA 2022): KTOE = 3.8099821109685847, the same double
  assert.equal(KTOE, 3.8099821109685847);
  // the 3.8099819442818976 in Larch's source comment is CODATA 2010: 4.4e-8 relative away
  assert.ok(Math.abs(KTOE / 3.8099819442818976 - 1 - 4.375e-8) < 1e-10);
  // the re-exports are the same number, not copies that could drift
  assert.equal(xas.ETOK, ETOK);
  assert.equal(xas.KTOE, KTOE);
  assert.equal(kgrid.ETOK, ETOK);
});
