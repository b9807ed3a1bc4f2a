/**
 * `exafsnn analyze FILE`: g(r), first-shell cutoff, coordination number, N(θ) and the structure
 * fingerprint of a configuration file (extended XYZ or LAMMPS dump), averaged over its frames.
 */
import type { Command } from 'commander';
import { action, printJson, numberOption } from '../output.js';
import { UserError } from '../../util/errors.js';

interface AnalyzeCliOptions {
  species?: string;
  rmax: string;
  dr: string;
  cutoff: string;
  dtheta: string;
  format: string;
  box?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description(
      'g(r), coordination number, bond-angle distribution N(θ) and structure fingerprint ' +
        '(fcc/hcp/bcc/diamond/other) of a configuration file (extended XYZ or LAMMPS dump custom), ' +
        'averaged over all frames. An --rmax beyond half the shortest box edge is lowered to fit, ' +
        'with a warning on stderr.',
    )
    .argument(
      '<file>',
      'configuration or trajectory file (.xyz extended XYZ with Lattice, or LAMMPS dump custom)',
    )
    .option('--rmax <Å>', 'g(r) range in Å (at most half the shortest box edge)', '6')
    .option('--dr <Å>', 'g(r) bin width in Å', '0.01')
    .option(
      '--cutoff <auto|Å>',
      'first-shell cutoff for CN and N(θ): a distance in Å, or auto = first minimum of g(r)',
      'auto',
    )
    .option('--dtheta <deg>', 'N(θ) bin width in degrees', '1')
    .option('--format <auto|xyz|lammps>', 'file format (auto: detected from the content)', 'auto')
    .option('--box <Lx,Ly,Lz>', 'box in Å for plain XYZ files without a Lattice')
    .option('--species <map>', 'map species names that are not element symbols, e.g. Xx=Ni,2=Cu (others are refused)')
    .option('--json', 'print one JSON document on stdout')
    .action(
      action(async (file: string, o: AnalyzeCliOptions) => {
        const rmax = numberOption('rmax', o.rmax, { min: 0 })!;
        const dr = numberOption('dr', o.dr, { min: 0 })!;
        if (!(rmax > 0)) throw new UserError(`--rmax: must be positive, got ${o.rmax}`);
        if (!(dr > 0)) throw new UserError(`--dr: must be positive, got ${o.dr}`);
        const dtheta = numberOption('dtheta', o.dtheta, { min: 0 })!;
        const cutoff = o.cutoff === 'auto' ? 'auto' : numberOption('cutoff', o.cutoff, { min: 0 })!;
        if (!['auto', 'xyz', 'lammps'].includes(o.format))
          throw new UserError(`--format: expected auto, xyz or lammps, got "${o.format}"`);
        let box: [number, number, number] | undefined;
        if (o.box !== undefined) {
          const v = o.box
            .split(/[,\s]+/)
            .filter(Boolean)
            .map(Number);
          if (v.length !== 3 || v.some((x) => !(x > 0)))
            throw new UserError(`--box: expected three positive numbers Lx,Ly,Lz in Å, got "${o.box}"`);
          box = v as [number, number, number];
        }
        const { readFrames } = await import('../../structure/index.js');
        const { analyzeTrajectory, anglePeaks } = await import('../../analysis/index.js');
        const { parseSpeciesMap } = await import('../../structure/species.js');
        const speciesMap = o.species !== undefined ? parseSpeciesMap(o.species) : undefined;
        const res = await analyzeTrajectory(() => readFrames(file, { format: o.format as 'auto', box, speciesMap }), {
          rmax,
          dr,
          cutoff,
          dtheta,
          onWarning: (m) => process.stderr.write(`exafsnn: warning: ${m}\n`),
          onFrame: (pass, n) => {
            if (n % 100 === 0) process.stderr.write(`analyze: pass ${pass}, ${n} frames\n`);
          },
        });
        if (o.json) {
          printJson(res);
          return;
        }
        const f = res.fingerprint;
        const lo = res.local_order;
        const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
        const peaks = anglePeaks(res.theta, res.bad, 0.15)
          .slice(0, 6)
          .sort((a, b) => a.theta - b.theta)
          .map((p) => `${p.theta.toFixed(1)}°`)
          .join(', ');
        const lines = [
          `file        ${file}`,
          `atoms       ${res.atoms % 1 === 0 ? res.atoms : res.atoms.toFixed(1)} per frame, ${res.frames} frame${res.frames === 1 ? '' : 's'}`,
          `density     ${res.density.toFixed(5)} Å⁻³`,
          `g(r)        0–${res.rmax.toFixed(2)} Å, dr ${res.dr} Å; first peak at ${res.peak_r === null ? '—' : res.peak_r.toFixed(3) + ' Å'}`,
          ...(res.first_shell && res.cutoff_source === 'auto'
            ? [
                `first shell ${res.first_shell.r_lower.toFixed(3)}–${res.first_shell.r_upper.toFixed(3)} Å (${
                  {
                    minimum: 'to the first minimum of g(r)',
                    gap: 'to the middle of the empty gap',
                    split: 'bcc sub-shell, split from the next at the midpoint',
                  }[res.first_shell.rule]
                }): R1 ${res.first_shell.r1.toFixed(3)} Å (centroid), CN ${res.cn.toFixed(3)} (∫4πr²ρg dr)`,
                ...(res.first_shell.combined
                  ? [
                      `combined    ${res.first_shell.combined.r_lower.toFixed(3)}–${res.first_shell.combined.r_upper.toFixed(3)} Å (bcc-like 8 + 6 sub-shells): R1 ${res.first_shell.combined.r1.toFixed(3)} Å, CN ${res.first_shell.combined.cn.toFixed(3)}`,
                    ]
                  : []),
              ]
            : [
                `CN          ${res.cn.toFixed(3)} (∫₀^cutoff 4πr²ρg dr); R1 ${res.r1 === null ? '—' : res.r1.toFixed(3) + ' Å'} (centroid)`,
              ]),
          `cutoff      ${res.cutoff.toFixed(3)} Å for N(θ) (${res.cutoff_source === 'auto' ? (res.first_shell?.combined ? 'end of the combined shell' : 'end of the first shell') : 'given'}); neighbours counted within it ${res.neighbours.toFixed(3)}`,
          `N(θ) peaks  ${peaks || '—'}; ∫N dθ = ${res.angle_pairs.toFixed(3)} pairs per atom`,
          `fingerprint fcc ${pct(f.fcc)}, hcp ${pct(f.hcp)}, bcc ${pct(f.bcc)}, diamond ${pct(f.diamond)}, other ${pct(f.other)}`,
          `pairs       1551 ${pct(lo.pairs_1551)}, 1421 ${pct(lo.pairs_1421)}, 1422 ${pct(lo.pairs_1422)} of first-shell pairs (Honeycutt–Andersen, within the cutoff)`,
          `CNA atoms   fcc ${pct(lo.cna_fcc)}, hcp ${pct(lo.cna_hcp)}, bcc ${pct(lo.cna_bcc)}, ico ${pct(lo.cna_ico)}, other ${pct(lo.cna_other)} (conventional CNA at the cutoff)`,
        ];
        process.stdout.write(lines.join('\n') + '\n');
      }),
    );
}
