/**
 * `exafsnn dataset generate | merge | info | spec`: training datasets (see docs/dataset.md).
 */
import type { Command } from 'commander';
import { action, printJson, numberOption } from '../output.js';

interface GenerateFlags {
  preset?: string;
  spec?: string;
  out: string;
  workers?: string;
  shard?: string;
  resume?: boolean;
  force?: boolean;
  element?: string;
  seed?: string;
  engine?: string;
  estimate?: boolean;
  estimateOnly?: boolean;
  json?: boolean;
  quiet?: boolean;
}

async function loadSpec(flags: {
  preset?: string;
  spec?: string;
  element?: string;
  seed?: string;
  engine?: string;
}) {
  const ds = await import('../../dataset/index.js');
  const { UserError } = await import('../../util/errors.js');
  const { existsSync } = await import('node:fs');
  const src = flags.spec ?? flags.preset;
  if (!src) throw new UserError('give --preset quick|paper or --spec FILE (JSON or YAML)');
  if (flags.spec && flags.preset) throw new UserError('give either --preset or --spec, not both');
  const seed = numberOption('seed', flags.seed, { integer: true, min: 0, max: 2 ** 32 - 1 });
  let spec;
  if ((ds.PRESETS as readonly string[]).includes(src) && !existsSync(src)) {
    const input = ds.presetInput(src, flags.element ?? 'Ni', seed);
    if (flags.engine) input.engine = flags.engine as 'builtin' | 'lammps';
    spec = ds.validateSpec(input, `preset ${src}`);
  } else {
    if (!existsSync(src))
      throw new UserError(`${src}: not a preset (${ds.PRESETS.join(', ')}) and no such spec file`);
    spec = ds.readSpecFile(src);
    if (flags.element && flags.element !== spec.element)
      throw new UserError(`--element ${flags.element} conflicts with the spec's element ${spec.element}`);
    if (seed !== undefined || flags.engine)
      spec = ds.validateSpec(
        {
          ...spec,
          ...(seed !== undefined ? { seed } : {}),
          ...(flags.engine ? { engine: flags.engine } : {}),
        },
        src,
      );
  }
  return spec;
}

export function register(program: Command): void {
  const dataset = program
    .command('dataset')
    .description('make, merge and inspect training datasets (χ(k), g(r), N(θ) per MD snapshot, HDF5)');

  dataset
    .command('generate')
    .description(
      'run an MD + EXAFS sweep and write the dataset (HDF5). Each finished sample is committed to FILE.partial, ' +
        'so an interrupted run continues with --resume; shards (--shard i/N) merge with "dataset merge".',
    )
    .option('--preset <name|file>', 'preset name (quick, paper) or a spec file')
    .option('--spec <file>', 'sweep spec, JSON or YAML (see docs/dataset.md)')
    .requiredOption('--out <file>', 'output HDF5 file')
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--shard <i/N>', 'run only shard i of N (round-robin over MD runs)')
    .option('--resume', 'continue an interrupted run from FILE.partial')
    .option('--force', 'replace an existing output file')
    .option('--element <symbol>', 'element for a preset (default Ni)')
    .option('--seed <n>', 'override the spec seed')
    .option('--engine <name>', 'override the MD engine: builtin or lammps')
    .option('--estimate', 'print a cost estimate before starting (always done for more than 2000 samples)')
    .option('--estimate-only', 'print the cost estimate and exit')
    .option('--quiet', 'no progress output')
    .option('--json', 'print a JSON summary on stdout')
    .action(
      action(async (flags: GenerateFlags) => {
        const ds = await import('../../dataset/index.js');
        const spec = await loadSpec(flags);
        const workers =
          numberOption('workers', flags.workers, { integer: true, min: 1, max: 1024 }) ?? ds.defaultWorkers();
        ds.checkWritable(flags.out);
        const shard = flags.shard ? ds.parseShard(flags.shard) : null;
        const tasks = ds.shardTasks(ds.expandSpec(spec), shard);
        const samples = ds.sampleCount(tasks);
        let estimate = null;
        if (flags.estimate || flags.estimateOnly || samples > 2000) {
          const { estimateCost, formatEstimate } = await import('../../dataset/estimate.js');
          estimate = await estimateCost(spec, { workers });
          if (shard) {
            const f = tasks.length / estimate.tasks;
            estimate.hours_here *= f;
            estimate.core_hours *= f;
          }
          if (!flags.quiet || flags.estimateOnly)
            process.stderr.write(
              formatEstimate(estimate) +
                (shard
                  ? `\n  (this shard: ${tasks.length} runs, ~${estimate.hours_here.toFixed(2)} h here)`
                  : '') +
                '\n',
            );
          if (flags.estimateOnly) {
            if (flags.json) printJson({ estimate });
            return;
          }
        }
        const ac = new AbortController();
        const stop = () => ac.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          const res = await ds.generate({
            spec,
            out: flags.out,
            workers,
            shard,
            resume: flags.resume,
            force: flags.force,
            quiet: flags.quiet,
            signal: ac.signal,
          });
          const rate = res.computed / Math.max(1e-9, res.seconds);
          if (flags.json) printJson({ ...res, samples_per_hour: rate * 3600, workers, estimate });
          else if (!flags.quiet)
            process.stderr.write(
              `wrote ${res.out}: ${res.samples} samples (${res.relabelled} relabelled, ${res.refused} refused; ` +
                `${res.computed} computed now, ${res.resumed} resumed) in ${res.seconds.toFixed(1)} s (${(rate * 3600).toFixed(0)} samples/h)\n`,
            );
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      }),
    );

  dataset
    .command('merge')
    .description('merge shards (same spec, same grids) into the dataset a single run makes')
    .argument('<files...>', 'shard files')
    .requiredOption('--out <file>', 'output HDF5 file')
    .option('--force', 'replace an existing output file')
    .option('--allow-incomplete', 'merge even when shards are missing (the result is not the full dataset)')
    .option('--json', 'print a JSON summary on stdout')
    .action(
      action(
        async (
          files: string[],
          flags: { out: string; force?: boolean; allowIncomplete?: boolean; json?: boolean },
        ) => {
          const { mergeDatasets } = await import('../../dataset/index.js');
          const res = await mergeDatasets(files, flags.out, {
            force: flags.force,
            allowIncomplete: flags.allowIncomplete,
          });
          if (flags.json) printJson(res);
          else process.stderr.write(`wrote ${res.out}: ${res.samples} samples from ${res.inputs} files\n`);
        },
      ),
    );

  dataset
    .command('info')
    .description(
      'counts per structure, temperature/lattice/density ranges, grids, provenance and sanity checks of a dataset',
    )
    .argument('<file>', 'dataset (HDF5)')
    .option('--json', 'print JSON on stdout')
    .action(
      action(async (file: string, flags: { json?: boolean }) => {
        const { datasetInfo, formatInfo } = await import('../../dataset/index.js');
        const info = await datasetInfo(file);
        if (flags.json) printJson(info);
        else process.stdout.write(formatInfo(info) + '\n');
        if (!info.checks.ok) process.exitCode = 3;
      }),
    );

  dataset
    .command('spec')
    .description(
      'print a preset (or a spec file) as a complete, validated spec with every default filled in: a starting point for your own sweep',
    )
    .option('--preset <name|file>', 'preset name (quick, paper) or a spec file', 'quick')
    .option('--element <symbol>', 'element for a preset (default Ni)')
    .option('--seed <n>', 'override the seed')
    .option('--engine <name>', 'override the MD engine: builtin or lammps')
    .option('--yaml', 'YAML instead of JSON')
    .option('--json', 'JSON (the default)')
    .action(
      action(
        async (flags: {
          preset?: string;
          element?: string;
          seed?: string;
          engine?: string;
          yaml?: boolean;
        }) => {
          const ds = await import('../../dataset/index.js');
          const spec = await loadSpec(flags);
          const tasks = ds.expandSpec(spec);
          if (flags.yaml) {
            const YAML = (await import('yaml')).default;
            process.stdout.write(
              `# ${tasks.length} MD runs, ${ds.sampleCount(tasks)} samples, spec hash ${ds.specHash(spec)}\n` +
                YAML.stringify(spec),
            );
          } else printJson(spec);
        },
      ),
    );
}
