/** `exafsnn chi TRAJ`: configurational-average χ(k) of a trajectory from the γ tables. */
import type { Command } from 'commander';
import { action, printJson, numberOption } from '../output.js';

export function register(program: Command): void {
  program
    .command('chi')
    .description(
      'χ(k) of configurations (extended XYZ or LAMMPS dump, all frames averaged, every atom an absorber) from the γ(2)+γ(3) tables',
    )
    .argument('<traj>', 'trajectory file (extended XYZ or LAMMPS dump)')
    .requiredOption('--element <el>', 'absorbing element (selects the tables): Ni, Cu, Co, Fe')
    .option('--edge <edge>', 'absorption edge', 'K')
    .option('--tables <file>', 'γ table file (default: the shipped tables for element/edge)')
    .option('--de <eV>', 'energy-origin shift ΔE: χ is evaluated at k′ = √(k² + 0.2624684·ΔE)', '0')
    .option('--s02 <x>', 'amplitude reduction factor S0²', '1')
    .option('--kmin <k>', 'output k grid start (Å⁻¹)', '0')
    .option('--kmax <k>', 'output k grid end (Å⁻¹)', '20')
    .option('--dk <k>', 'output k grid step (Å⁻¹)', '0.05')
    .option('--rmax2 <Å>', '2-body cutoff', '6.0')
    .option('--cutoff3 <Å>', 'first-shell cutoff for triplets (default: each frame\'s own, the first minimum of its g(r))')
    .option('--no-three-body', 'leave out the 3-body term')
    .option('--box <Lx,Ly,Lz>', 'box for plain XYZ files without a Lattice')
    .option('--species <map>', 'map species names that are not element symbols, e.g. Xx=Ni (others are refused)')
    .option('--json', 'print {"k","chi","chi2","chi3","absorbers","frames"} as JSON on stdout')
    .action(
      action(
        async (
          traj: string,
          o: {
            element: string;
            edge: string;
            tables?: string;
            de: string;
            s02: string;
            kmin: string;
            kmax: string;
            dk: string;
            rmax2: string;
            cutoff3?: string;
            threeBody: boolean;
            box?: string;
            species?: string;
            json?: boolean;
          },
        ) => {
          const { computeChi, kGrid } = await import('../../exafs/index.js');
          const { loadTables, readTables, checkElement, checkEdge } = await import('../../theory/index.js');
          const { readFrames } = await import('../../structure/index.js');
          const { UserError } = await import('../../util/errors.js');
          const el = checkElement(o.element).element;
          const edge = checkEdge(o.edge);
          const tables = o.tables ? readTables(o.tables) : loadTables(el, edge);
          if (tables.element !== el || tables.edge !== edge) {
            throw new UserError(
              `--tables ${o.tables}: the file holds ${tables.element} ${tables.edge} tables, not ${el} ${edge}`,
            );
          }
          const dE = numberOption('de', o.de)!;
          const s02 = numberOption('s02', o.s02, { min: 0 })!;
          const k = kGrid(
            numberOption('kmin', o.kmin, { min: 0 })!,
            numberOption('kmax', o.kmax, { min: 0 })!,
            numberOption('dk', o.dk, { min: 1e-4 })!,
          );
          const rmax2 = numberOption('rmax2', o.rmax2, { min: 2 })!;
          const cutoff3 = numberOption('cutoff3', o.cutoff3, { min: 1 });
          let box: [number, number, number] | undefined;
          if (o.box) {
            const b = o.box.split(',').map(Number);
            if (b.length !== 3 || b.some((x) => !(x > 0)))
              throw new UserError(`--box: expected three positive lengths "Lx,Ly,Lz" in Å, got "${o.box}"`);
            box = b as [number, number, number];
          }
          // frames stream: each frame's χ is added, weighted by its number of absorbers
          const chi = new Float64Array(k.length),
            chi2 = new Float64Array(k.length),
            chi3 = new Float64Array(k.length);
          let absorbers = 0,
            frames = 0;
          const { parseSpeciesMap } = await import('../../structure/species.js');
          const speciesMap = o.species !== undefined ? parseSpeciesMap(o.species) : undefined;
          for await (const conf of readFrames(traj, { box, element: el, speciesMap })) {
            const r = computeChi(conf, tables, { kGrid: k, dE, s02, rmax2, cutoff3, threeBody: o.threeBody });
            for (let i = 0; i < k.length; i++) {
              chi[i] += r.chi[i] * r.absorbers;
              chi2[i] += r.chi2[i] * r.absorbers;
              chi3[i] += r.chi3[i] * r.absorbers;
            }
            absorbers += r.absorbers;
            frames++;
            if (frames % 10 === 0) process.stderr.write(`chi: ${frames} frames\n`);
          }
          if (frames === 0) throw new UserError(`${traj}: no frames`);
          for (let i = 0; i < k.length; i++) {
            chi[i] /= absorbers;
            chi2[i] /= absorbers;
            chi3[i] /= absorbers;
          }
          if (o.json) printJson({ k, chi, chi2, chi3, absorbers, frames });
          else {
            process.stdout.write(
              `# exafsnn chi: ${traj}, ${frames} frames, ${absorbers} absorbers, ${el} ${edge}, dE=${dE} eV, S02=${s02}\n# k chi chi2 chi3\n`,
            );
            for (let i = 0; i < k.length; i++)
              process.stdout.write(
                `${k[i].toFixed(4)} ${chi[i].toExponential(6)} ${chi2[i].toExponential(6)} ${chi3[i].toExponential(6)}\n`,
              );
          }
        },
      ),
    );
}
