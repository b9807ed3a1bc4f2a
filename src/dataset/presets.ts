/**
 * Built-in sweep specs.
 *
 * `paper` follows the sweep of Iesari, Setoyama & Okajima (2021): fcc, hcp, bcc and diamond from 60 to
 * 1500 K every 20 K, each with the lattice parameter varied as a0 + i·0.02 Å, i = −10…10; liquid and
 * undercooled liquid from 1300 to 2000 K every 20 K; 5 snapshots per run (31 560 samples). Boxes are
 * the smallest that keep g(r) and χ to 6 Å under the minimum-image convention (edges ≥ 12.02 Å at
 * a0 − 0.2 Å: 216–384 atoms) instead of the paper's ~1000/4000 atoms, and snapshots are 100 steps
 * (0.2 ps) apart: measured on ZJW Cu (256 atoms, 300 K, 1200 K and a 1400 K melt), the frame-to-frame
 * autocorrelation of the first-shell mean distance and variance falls to |ρ| ≤ 0.3 within 40–60 steps
 * and that of the g(r) deviation to ≤ 0.07 within 20 steps (docs/dataset.md, "Cost"). This makes the
 * paper-scale set ≈ 8× cheaper; write `atoms: 1000` and `interval: 500` in a spec for the paper's sizes.
 *
 * `quick` is the same recipe cut down to run in a few minutes on two cores (small cells, short MD,
 * coarse temperature and lattice steps) with every structure class present; tests and the demo use it.
 *
 * Central lattice parameters (Å): the element's fcc a0, and for the other lattices the values that
 * keep the fcc nearest-neighbour distance d = a0/√2 (hcp a = d; diamond a = 4d/√3) or, for bcc,
 * the fcc density (a = a0/2^(1/3), 2.797 Å for Ni; bcc Ni films are reported at 2.78–2.82 Å).
 * Liquids are set by an fcc-equivalent lattice parameter whose density matches the measured liquid
 * near the melting point (Ni: 7.81 g/cm³ at 1728 K → ρ = 0.0801 Å⁻³ → a = (4/ρ)^(1/3) = 3.683 Å).
 */
import { UserError } from '../util/errors.js';
import { validateSpec, type SweepSpec, type SpecInput } from './spec.js';

/** fcc lattice parameter at room temperature (Å) and liquid fcc-equivalent lattice parameter (Å). */
export const ELEMENT_LATTICE: Record<string, { fcc: number; liquid: number }> = {
  // Kittel, Introduction to Solid State Physics (8th ed.), Table 1.4 (fcc a at room temperature);
  // liquid densities near the melting point from the Smithells Metals Reference Book (ch. 14).
  Ni: { fcc: 3.524, liquid: 3.683 }, // 7.81 g/cm³
  Cu: { fcc: 3.615, liquid: 3.766 }, // 8.00 g/cm³
  Co: { fcc: 3.545, liquid: 3.708 }, // 7.75 g/cm³ (fcc β-Co)
  Fe: { fcc: 3.591, liquid: 3.734 }, // 7.01 g/cm³ (γ-Fe extrapolated to room temperature)
};

/** Central lattice parameters of each structure class for an element. */
export function centralLattices(
  element: string,
): Record<'fcc' | 'hcp' | 'bcc' | 'diamond' | 'liquid', number> {
  const e = ELEMENT_LATTICE[element];
  if (!e)
    throw new UserError(
      `no preset lattice parameters for element "${element}": known ${Object.keys(ELEMENT_LATTICE).join(', ')}; write a spec file`,
    );
  const d = e.fcc / Math.SQRT2;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    fcc: e.fcc,
    hcp: r3(d),
    bcc: r3(e.fcc / Math.cbrt(2)),
    diamond: r3((4 * d) / Math.sqrt(3)),
    liquid: e.liquid,
  };
}

export const PRESETS = ['quick', 'paper'] as const;
export type PresetName = (typeof PRESETS)[number];

export function presetInput(name: string, element = 'Ni', seed = 20210101): SpecInput {
  const a = centralLattices(element);
  if (name === 'paper') {
    // smallest boxes with every edge ≥ 12.02 Å at a0 − 0.2 Å (checked by validateSpec)
    const cells = { fcc: 4, hcp: [6, 4, 4], bcc: 5, diamond: 3 } as const;
    const crystal = (structure: 'fcc' | 'hcp' | 'bcc' | 'diamond') => ({
      structure,
      temperature: { from: 60, to: 1500, step: 20 },
      lattice: { a0: a[structure], step: 0.02, i: { from: -10, to: 10 } },
      cells: cells[structure] as number | [number, number, number],
    });
    return {
      name: 'paper',
      element,
      seed,
      structures: [
        crystal('fcc'),
        crystal('hcp'),
        crystal('bcc'),
        crystal('diamond'),
        {
          structure: 'liquid',
          temperature: { from: 1300, to: 2000, step: 20 },
          lattice: { a0: a.liquid, step: 0.02, i: { from: -2, to: 2 } },
          cells: 4,
        },
      ],
      md: {
        dt: 0.002,
        equilibration: 400,
        interval: 100,
        snapshots: 5,
        melt_steps: 600,
        melt_temperature: 3000,
        cool_steps: 300,
        tau: 0.1,
      },
      dE: { min: -5, max: 10 },
    };
  }
  if (name === 'quick') {
    // boxes ≥ 12.1 Å so that g(r) and χ reach 6 Å under the minimum-image convention
    // Fixed tether springs instead of per-run calibration (which costs 3000 extra MD steps per run):
    // for a harmonic crystal the calibrated spring hardly depends on T (the fcc MSD target grows
    // ∝ T), and these are what tether "auto" gives for Ni at 300 K (bcc 3.3, diamond 4.8 eV/Å²);
    // other elements calibrate ("auto").
    const crystal = (
      structure: 'fcc' | 'hcp' | 'bcc' | 'diamond',
      cells: number | [number, number, number],
      tether: number | 'auto' = 0,
    ) => ({
      structure,
      temperature: { from: 100, to: 1300, step: 400 },
      lattice: { a0: a[structure], step: 0.02, i: [-5, 0, 5] },
      cells,
      tether,
    });
    return {
      name: 'quick',
      element,
      seed,
      structures: [
        crystal('fcc', 4), // 256 atoms
        crystal('hcp', [6, 3, 4]), // 288 atoms
        crystal('bcc', 5, element === 'Ni' ? 3.3 : 'auto'), // 250 atoms
        crystal('diamond', 3, element === 'Ni' ? 4.8 : 'auto'), // 216 atoms
        {
          structure: 'liquid',
          temperature: { from: 1300, to: 2000, step: 350 },
          lattice: { a0: a.liquid, step: 0.02, i: [-2, 2] },
          cells: 4,
        },
      ],
      md: {
        dt: 0.002,
        equilibration: 400,
        interval: 100,
        snapshots: 8,
        melt_steps: 600,
        melt_temperature: 3000,
        cool_steps: 300,
        tau: 0.1,
      },
      dE: { min: -5, max: 10 },
    };
  }
  throw new UserError(`unknown preset "${name}": expected one of ${PRESETS.join(', ')}`);
}

export function preset(name: string, element = 'Ni', seed?: number): SweepSpec {
  return validateSpec(presetInput(name, element, seed), `preset ${name}`);
}
