/**
 * `exafsnn md`: run molecular dynamics of a crystal (or a melt) and write snapshots as
 * extended XYZ; `exafsnn md-potential`: tabulate a shipped Zhou–Johnson–Wadley potential.
 */
import type { Command } from 'commander';
import { action, numberOption, printJson } from '../output.js';
import { UserError } from '../../util/errors.js';

interface MdOpts {
  structure: string;
  element: string;
  temperature: string;
  lattice?: string;
  cells?: string;
  steps: string;
  every: string;
  equilibrate: string;
  protocol: string;
  meltTemperature: string;
  tEnd?: string;
  engine: string;
  np?: string;
  seed: string;
  potential?: string;
  tether: string;
  dt: string;
  tau: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  fingerprints: boolean;
}

export function register(program: Command): void {
  program
    .command('md')
    .description(
      'Molecular dynamics (EAM, NVT) of a crystal or melt; writes snapshots as extended XYZ.\n' +
        'Engines: builtin (TypeScript, default) or lammps (runs `lmp` with the same setfl file).\n' +
        'Protocols: sample (equilibrate at T, then sample), melt-quench (heat past melting, hold, cool to T,\n' +
        'sample), ramp (sample while T goes linearly from --temperature to --t-end).\n' +
        'Snapshot properties: step, time [ps], temperature [K], pe [eV/atom], pressure [GPa], msd [Å²],\n' +
        'structure fingerprint fractions (fp_fcc …) and phase.',
    )
    .option('--structure <name>', 'starting lattice: fcc, hcp, bcc, diamond, sc', 'fcc')
    .option('--element <symbol>', 'element (shipped ZJW 2004 potentials: Ni, Cu, Co, Fe)', 'Ni')
    .option('--temperature <K>', 'temperature in K (the target of melt-quench, the start of ramp)', '300')
    .option(
      '--lattice <a>',
      "lattice parameter in Å (default: the potential's fcc nearest-neighbour distance, kept for every lattice)",
    )
    .option('--cells <n>', 'conventional cells per box edge (default: about 1000 atoms)')
    .option('--steps <n>', 'sampled steps', '5000')
    .option('--every <n>', 'snapshot interval in steps', '1000')
    .option('--equilibrate <n>', 'unsampled equilibration steps before sampling', '1000')
    .option('--protocol <name>', 'sample | melt-quench | ramp', 'sample')
    .option('--melt-temperature <K>', 'melt-quench: temperature of the melt', '2500')
    .option('--t-end <K>', 'ramp: final temperature')
    .option('--engine <name>', 'builtin | lammps', 'builtin')
    .option('--np <n>', 'lammps: MPI processes (mpirun -np N)')
    .option('--seed <s>', 'random seed (velocities, thermostat)', '1')
    .option('--potential <file>', 'EAM potential file (setfl *.eam.alloy or funcfl *.eam)')
    .option(
      '--tether <k>',
      'harmonic tether to lattice sites: none, auto (MSD of fcc at T) or a spring constant in eV/Å²',
      'none',
    )
    .option('--dt <ps>', 'time step in ps', '0.001')
    .option('--tau <ps>', 'thermostat time constant in ps', '0.1')
    .option('--no-fingerprints', 'skip the structure fingerprint of each snapshot')
    .option('--out <file>', 'trajectory output (extended XYZ)')
    .option('--json', 'print a JSON summary on stdout')
    .option('--quiet', 'no progress on stderr')
    .action(
      action(async (o: MdOpts) => {
        const { buildLattice, LATTICES, nearestNeighbourDistance, repsForAtoms, XyzWriter } =
          await import('../../structure/index.js');
        const md = await import('../../md/index.js');
        const { progress } = await import('../../util/progress.js');
        type LatticeName = (typeof LATTICES)[number];
        if (!LATTICES.includes(o.structure as LatticeName)) {
          throw new UserError(
            `--structure: unknown structure "${o.structure}", expected one of ${LATTICES.join(', ')}`,
          );
        }
        const structure = o.structure as LatticeName;
        const T = numberOption('temperature', o.temperature, { min: 0 })!;
        const steps = numberOption('steps', o.steps, { min: 0, integer: true })!;
        const every = numberOption('every', o.every, { min: 1, integer: true })!;
        const eq = numberOption('equilibrate', o.equilibrate, { min: 0, integer: true })!;
        const seed = numberOption('seed', o.seed, { integer: true })!;
        const dt = numberOption('dt', o.dt, { min: 1e-6, max: 0.01 })!;
        const tau = numberOption('tau', o.tau, { min: 1e-6 })!;
        const np = numberOption('np', o.np, { min: 1, integer: true });
        if (!md.ENGINES.includes(o.engine as 'builtin'))
          throw new UserError(
            `--engine: unknown engine "${o.engine}", expected one of ${md.ENGINES.join(', ')}`,
          );
        if (o.engine === 'lammps') md.findLammps({ np });
        let tether: 'auto' | 'none' | number;
        if (o.tether === 'auto' || o.tether === 'none') tether = o.tether;
        else tether = numberOption('tether', o.tether, { min: 0 })!;
        const potPath = o.potential ?? md.defaultPotential(o.element);
        const pot = md.EamPotential.fromFile(potPath);
        const element = pot.elements[pot.elementIndex(o.element)].symbol;
        let a = numberOption('lattice', o.lattice, { min: 0.5, max: 20 });
        if (a === undefined) {
          // same nearest-neighbour distance as the potential's fcc ground state
          const d = nearestNeighbourDistance('fcc', md.fccGroundState(pot, element).a);
          a = d / nearestNeighbourDistance(structure, 1);
        }
        const cells = numberOption('cells', o.cells, { min: 1, integer: true });
        const reps = cells !== undefined ? undefined : repsForAtoms(structure, 1000);
        const conf = buildLattice(structure, a, cells ?? 1, { element, reps });
        let stages: import('../../md/index.js').Stage[];
        if (o.protocol === 'sample') stages = md.equilibrateAndSample(T, eq, steps);
        else if (o.protocol === 'melt-quench') {
          const tm = numberOption('melt-temperature', o.meltTemperature, { min: 0 })!;
          stages = md.meltQuench({ meltTemperature: tm, temperature: T, steps, equilibrationSteps: eq });
        } else if (o.protocol === 'ramp') {
          const t1 = numberOption('t-end', o.tEnd, { min: 0 });
          if (t1 === undefined) throw new UserError('--protocol ramp needs --t-end <K>');
          stages = [
            ...(eq > 0 ? [{ steps: eq, temperature: T, label: 'equilibrate' }] : []),
            md.ramp(T, t1, steps, true),
          ];
        } else
          throw new UserError(
            `--protocol: unknown protocol "${o.protocol}", expected sample, melt-quench or ramp`,
          );
        const spec: import('../../md/index.js').MdSpec = {
          configuration: conf,
          potential: potPath,
          elements: [element],
          stages,
          every,
          dt,
          tau,
          seed,
          tether,
          fingerprints: o.fingerprints,
        };
        const total = stages.reduce((s, st) => s + st.steps, 0);
        const bar = progress(`md ${structure} ${element} ${conf.n} atoms`, total, {
          quiet: o.quiet,
          unit: 'steps',
        });
        const writer = o.out ? new XyzWriter(o.out).open() : null;
        const engine = md.getEngine(o.engine, { np });
        const gen = engine.run(spec, { onProgress: (d) => bar.update(d) });
        let summary: import('../../md/index.js').MdSummary;
        try {
          for (;;) {
            const r = await gen.next();
            if (r.done) {
              summary = r.value;
              break;
            }
            writer?.append(r.value);
          }
          writer?.close();
        } catch (e) {
          writer?.abort();
          throw e;
        } finally {
          bar.stop();
        }
        const doc = {
          engine: summary.engine,
          version: summary.version,
          structure,
          element,
          lattice: a,
          atoms: conf.n,
          box: conf.box,
          temperature: T,
          protocol: o.protocol,
          potential: potPath,
          steps: summary.steps,
          frames: summary.frames,
          dt,
          seed,
          averages: summary.averages,
          units: summary.units,
          tether: summary.tether,
          fingerprints: summary.fingerprints,
          timing: summary.timing,
          out: o.out ?? null,
        };
        if (o.json) printJson(doc);
        else {
          const av = summary.averages;
          const f = (s: { mean: number; std: number }, d: number) =>
            `${s.mean.toFixed(d)} ± ${s.std.toFixed(d)}`;
          process.stdout.write(
            `${summary.engine}: ${conf.n} atoms ${structure} ${element} a=${a.toFixed(4)} Å, ${summary.steps} steps, ${summary.frames} frames` +
              `${o.out ? ` → ${o.out}` : ''}\n` +
              `  T = ${f(av.temperature, 1)} K   PE = ${f(av.pe, 4)} eV/atom   P = ${f(av.pressure, 3)} GPa   MSD = ${f(av.msd, 4)} Å²\n` +
              (summary.tether ? `  tether k = ${summary.tether.k.toFixed(3)} eV/Å²\n` : '') +
              (summary.fingerprints.length
                ? `  phase of last frame: ${summary.fingerprints[summary.fingerprints.length - 1].dominant}\n`
                : '') +
              `  ${summary.timing.seconds.toFixed(2)} s, ${summary.timing.atomStepsPerSecond.toExponential(3)} atom-steps/s\n`,
          );
        }
      }),
    );

  program
    .command('md-potential')
    .description(
      'Tabulate the Zhou–Johnson–Wadley (PRB 69, 144113, 2004) EAM of an element as a setfl file (LAMMPS eam/alloy)',
    )
    .option('--element <symbol>', 'Ni, Cu, Co or Fe', 'Ni')
    .option('--out <file>', 'output setfl file (default data/potentials/<El>_zhou04.eam.alloy)')
    .option('--json', 'print a JSON summary on stdout')
    .action(
      action(async (o: { element: string; out?: string; json?: boolean }) => {
        const md = await import('../../md/index.js');
        const { join } = await import('node:path');
        const sym = Object.keys(md.ZHOU_PARAMS).find((e) => e.toLowerCase() === o.element.toLowerCase());
        if (!sym)
          throw new UserError(
            `--element: no ZJW parameters for "${o.element}" (have ${Object.keys(md.ZHOU_PARAMS).join(', ')})`,
          );
        const out = o.out ?? join(md.potentialsDir(), md.zhouFileName(sym));
        const tables = md.tabulateZhou(sym);
        md.writeSetfl(out, tables);
        const gs =
          md.ZHOU_PARAMS[sym].structure === 'fcc'
            ? md.fccGroundState(new md.EamPotential(tables), sym)
            : null;
        const doc = { element: sym, out, cutoff: tables.cutoff, nr: tables.nr, nrho: tables.nrho, fcc: gs };
        if (o.json) printJson(doc);
        else
          process.stdout.write(
            `wrote ${out} (cutoff ${tables.cutoff} Å)${gs ? `; fcc a0 = ${gs.a.toFixed(4)} Å, Ec = ${gs.ec.toFixed(4)} eV` : ''}\n`,
          );
      }),
    );
}
