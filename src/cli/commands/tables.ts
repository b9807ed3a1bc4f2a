/** `exafsnn tables build|info`: γ(2)/γ(3) tables from FEFF 8.5. */
import type { Command } from 'commander';
import { action, printJson, numberOption } from '../output.js';

export function register(program: Command): void {
  const t = program
    .command('tables')
    .description('γ(2), γ(3) EXAFS tables computed with FEFF 8.5 (build, inspect)');
  t.command('build')
    .description(
      'build γ tables for an element and edge with FEFF 8.5 (self-consistent potentials of the reference solid, then every path of the grids)',
    )
    .requiredOption('--element <el>', 'absorbing element: Ni, Cu, Co, Fe')
    .option('--edge <edge>', 'absorption edge', 'K')
    .option('--lattice <a>', 'lattice constant of the reference solid in Å (default: literature value)')
    .option('--out <file>', 'output file (default: data/tables/<El>-<edge>.gamma in the package)')
    .option('--r3-step <Å>', 'γ3 r grid step', '0.1')
    .option('--theta-step <deg>', 'γ3 θ grid step', '2.5')
    .option('--r2-step <Å>', 'γ2 r grid step', '0.05')
    .option('--work <dir>', 'FEFF work folder (potentials cached there)')
    .option('--json', 'print a JSON summary on stdout')
    .action(
      action(
        async (o: {
          element: string;
          edge: string;
          lattice?: string;
          out?: string;
          r3Step: string;
          thetaStep: string;
          r2Step: string;
          work?: string;
          json?: boolean;
        }) => {
          const {
            buildTables,
            defaultGrids,
            checkElement,
            checkEdge,
            checkFeffInstalled,
            packageRoot,
            tableFileName,
          } = await import('../../theory/index.js');
          const { writeFileAtomic } = await import('../../util/atomic.js');
          const { progress } = await import('../../util/progress.js');
          const path = await import('node:path');
          const { mkdirSync } = await import('node:fs');
          const ref = checkElement(o.element);
          const edge = checkEdge(o.edge);
          checkFeffInstalled();
          const lattice = numberOption('lattice', o.lattice, { min: 1, max: 10 });
          const r3step = numberOption('r3-step', o.r3Step, { min: 0.01, max: 0.5 })!;
          const thStep = numberOption('theta-step', o.thetaStep, { min: 0.25, max: 10 })!;
          const r2step = numberOption('r2-step', o.r2Step, { min: 0.005, max: 0.2 })!;
          // the same grids as the shipped tables (defaultGrids), with the steps given here
          const grids = defaultGrids(ref.element, lattice, { r2: r2step, r3: r3step, theta: thStep });
          const out = path.resolve(
            o.out ?? path.join(packageRoot(), 'data', 'tables', tableFileName(ref.element, edge)),
          );
          mkdirSync(path.dirname(out), { recursive: true });
          const bars = new Map<string, ReturnType<typeof progress>>();
          const t0 = Date.now();
          const built = buildTables({
            element: ref.element,
            edge,
            lattice,
            r2: grids.r2,
            r3: grids.r3,
            theta: grids.theta,
            workDir: o.work,
            log: (m) => process.stderr.write(m + '\n'),
            onProgress: (stage, done, total) => {
              let b = bars.get(stage);
              if (!b)
                bars.set(
                  stage,
                  (b = progress(stage, total, { unit: stage.includes('triangle') ? 'triangles' : 'paths' })),
                );
              b.update(done);
              if (done >= total) b.stop();
            },
          });
          writeFileAtomic(out, built.bytes);
          const h = built.tables.header;
          const summary = {
            file: out,
            bytes: built.bytes.length,
            element: h.element,
            edge: h.edge,
            feff: h.feff.version,
            gamma2: {
              r: [h.gamma2.rMin, h.gamma2.rMin + h.gamma2.rStep * (h.gamma2.nr - 1)],
              step: h.gamma2.rStep,
            },
            gamma3: {
              r: [h.gamma3.rMin, h.gamma3.rMin + h.gamma3.rStep * (h.gamma3.nr - 1)],
              step: h.gamma3.rStep,
              theta: [h.gamma3.theta[0], 180],
              ntheta: h.gamma3.theta.length,
              basis: h.gamma3.m,
              pcaResidual: h.gamma3.pcaResidual,
            },
            seconds: (Date.now() - t0) / 1000,
          };
          if (o.json) printJson(summary);
          else
            process.stderr.write(
              `wrote ${out} (${(built.bytes.length / 1e6).toFixed(2)} MB) in ${summary.seconds.toFixed(0)} s\n`,
            );
        },
      ),
    );
  t.command('info')
    .description('show the header of a γ table file (or of the shipped tables for --element)')
    .argument('[file]', 'table file')
    .option('--element <el>', 'element of shipped tables')
    .option('--edge <edge>', 'edge', 'K')
    .option('--json', 'print JSON')
    .action(
      action(async (file: string | undefined, o: { element?: string; edge: string; json?: boolean }) => {
        const { readTables, loadTables } = await import('../../theory/index.js');
        const { UserError } = await import('../../util/errors.js');
        if (!file && !o.element) throw new UserError('give a table file or --element');
        const t = file ? readTables(file) : loadTables(o.element!, o.edge);
        const h = { ...t.header, path: t.path };
        if (o.json) printJson(h);
        else
          process.stdout.write(
            JSON.stringify({ ...h, k: `${h.k.length} points ${h.k[0]}–${h.k[h.k.length - 1]}` }, null, 1) +
              '\n',
          );
      }),
    );
}
