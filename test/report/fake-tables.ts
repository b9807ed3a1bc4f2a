/**
 * A toy γ table in the real file format (src/theory serializeTables): one single-scattering
 * component with γ2(r, k) = c(k)/r² · sin(2kr + φ(k)), c(k) = 0.4/max(k, 1), φ(k) = 0.3 − 0.1k,
 * so integrals over g(r) have a closed form to compare with. Not physics: a test fixture.
 */
import { serializeTables, type GammaTables } from '../../src/theory/table.js';

export const toyC = (k: number) => 0.4 / Math.max(k, 1);
export const toyPhi = (k: number) => 0.3 - 0.1 * k;
export const toyGamma2 = (r: number, k: number) => (toyC(k) / (r * r)) * Math.sin(2 * k * r + toyPhi(k));

export function toyTableBytes(element = 'Ni', edge = 'K'): Uint8Array {
  const k = Array.from({ length: 201 }, (_, i) => i * 0.1);
  const nk = k.length;
  const rMin = 1.5;
  const rStep = 0.01;
  const nr = 500;
  const g2 = new Float32Array(nr * 2 * nk);
  for (let j = 0; j < nr; j++) {
    const r = rMin + j * rStep;
    for (let i = 0; i < nk; i++) {
      g2[j * 2 * nk + i] = toyC(k[i]) / (r * r); // amplitude
      g2[j * 2 * nk + nk + i] = toyPhi(k[i]); // phase
    }
  }
  return serializeTables({
    header: {
      format: 'exafsnn-gamma-tables',
      version: 1,
      element,
      edge,
      created: '2026-11-27T00:00:00Z',
      builder: 'test/report/fake-tables.ts (toy, not physics)',
      feff: { version: 'none', package: null, settings: {}, potentials: '' },
      k,
      gamma2: { rMin, rStep, nr, components: [{ name: 'ss', lengthFactor: 2 }], offset: 0, count: g2.length },
      gamma3: {
        rMin: 2,
        rStep: 0.1,
        nr: 1,
        theta: [180],
        classes: ['toy'],
        nodes: 1,
        m: 1,
        basisOffset: 0,
        coefOffset: 0,
        count: 0,
        pcaResidual: 0,
        firstShellCutoff: 3,
      },
    },
    element,
    edge,
    k: Float64Array.from(k),
    g2,
    basis: new Float32Array(nk),
    coef: new Float32Array(2),
  } as unknown as Omit<GammaTables, 'path' | 'header'> & { header: Omit<GammaTables['header'], 'checksum'> });
}
