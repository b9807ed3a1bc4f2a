/**
 * Talking to LAMMPS (Debian package `lammps`, executable `lmp`): finding it, writing data
 * files, running an input script, and a single-point energy/force evaluation used to check the
 * builtin engine against LAMMPS on the same setfl file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, delimiter } from 'node:path';
import type { Configuration } from '../structure/index.js';
import { UserError } from '../util/errors.js';

export interface LammpsCommand {
  /** argv prefix, e.g. ["lmp"] or ["mpirun", "-np", "4", "lmp"] */
  argv: string[];
  version: string;
}

function onPath(exe: string): string | null {
  if (exe.includes('/')) return existsSync(exe) ? exe : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, exe);
    if (existsSync(p)) return p;
  }
  return null;
}

/**
 * Locate LAMMPS. `exe` defaults to $EXAFSNN_LMP or "lmp"; with np > 1 the run goes through
 * `mpirun -np N`. Throws a UserError that says how to get LAMMPS when it is missing.
 */
export function findLammps(opts: { exe?: string; np?: number } = {}): LammpsCommand {
  const exe = opts.exe ?? process.env.EXAFSNN_LMP ?? 'lmp';
  const path = onPath(exe);
  if (!path) {
    throw new UserError(
      `LAMMPS executable "${exe}" not found on PATH: install it (Debian/Ubuntu: apt-get install lammps) ` +
        `or set EXAFSNN_LMP, or use --engine builtin`,
    );
  }
  const h = spawnSync(path, ['-h'], { encoding: 'utf8', timeout: 20000 });
  const m = /Large-scale Atomic\/Molecular Massively Parallel Simulator - (.+)/.exec(h.stdout ?? '');
  const version = m ? m[1].trim() : 'unknown';
  const np = opts.np ?? 1;
  if (np > 1) {
    const mpi = onPath('mpirun');
    if (!mpi)
      throw new UserError(`mpirun not found on PATH (needed to run LAMMPS on ${np} processes); use np = 1`);
    return { argv: [mpi, '-np', String(np), path], version };
  }
  return { argv: [path], version };
}

/** True when `lmp` (or $EXAFSNN_LMP) can be found. */
export function lammpsAvailable(): boolean {
  try {
    findLammps();
    return true;
  } catch {
    return false;
  }
}

const num = (x: number) => (Object.is(x, -0) ? '0' : x.toPrecision(17));

/** LAMMPS data file (atom_style atomic) for an orthogonal box, with optional velocities (Å/ps). */
export function formatLammpsData(conf: Configuration, masses: number[], velocities?: Float64Array): string {
  const n = conf.n;
  const nt = Math.max(masses.length, 1);
  const out: string[] = [
    `exafsnn data file: ${n} atoms`,
    '',
    `${n} atoms`,
    `${nt} atom types`,
    '',
    `0 ${num(conf.box[0])} xlo xhi`,
    `0 ${num(conf.box[1])} ylo yhi`,
    `0 ${num(conf.box[2])} zlo zhi`,
    '',
    'Masses',
    '',
    ...masses.map((m, k) => `${k + 1} ${m}`),
    '',
    'Atoms # atomic',
    '',
  ];
  const p = conf.positions;
  for (let i = 0; i < n; i++) {
    const t = conf.types ? conf.types[i] : 1;
    out.push(`${i + 1} ${t} ${num(p[3 * i])} ${num(p[3 * i + 1])} ${num(p[3 * i + 2])}`);
  }
  if (velocities) {
    out.push('', 'Velocities', '');
    for (let i = 0; i < n; i++)
      out.push(
        `${i + 1} ${num(velocities[3 * i])} ${num(velocities[3 * i + 1])} ${num(velocities[3 * i + 2])}`,
      );
  }
  return out.join('\n') + '\n';
}

export interface LammpsRunResult {
  stdout: string;
  stderr: string;
  seconds: number;
}

/**
 * Run `lmp -in input` in `dir` (async, so the caller can stream its output files), with
 * OMP_NUM_THREADS set from `threads` (default 1). Rejects with the tail of the LAMMPS log on failure.
 */
export function runLammps(
  cmd: LammpsCommand,
  dir: string,
  input: string,
  opts: { threads?: number; onLine?: (line: string) => void } = {},
): Promise<LammpsRunResult> {
  const argv = [...cmd.argv, '-in', input, '-log', 'log.lammps', '-nocite'];
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(opts.threads ?? 1) };
  if (/mpirun$/.test(argv[0])) {
    // Open MPI refuses to start as root (containers, CI) unless told explicitly
    env.OMPI_ALLOW_RUN_AS_ROOT = '1';
    env.OMPI_ALLOW_RUN_AS_ROOT_CONFIRM = '1';
  }
  const t0 = process.hrtime.bigint();
  return new Promise((res, rej) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (stdout.length < 4e6) stdout += d;
      if (opts.onLine) {
        partial += d;
        const lines = partial.split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) opts.onLine(l);
      }
    });
    child.stderr.on('data', (d: string) => {
      if (stderr.length < 1e6) stderr += d;
    });
    child.on('error', (e) => rej(new UserError(`cannot run LAMMPS (${argv[0]}): ${e.message}`)));
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) {
        const tail = (stdout + '\n' + stderr)
          .split('\n')
          .filter((l) => l.trim())
          .slice(-12)
          .join('\n');
        rej(new Error(`LAMMPS failed (exit ${code}) in ${dir}:\n${tail}`));
        return;
      }
      res({ stdout, stderr, seconds });
    });
  });
}

/**
 * Energy (eV) and forces (eV/Å, in the configuration's atom order) of one configuration from
 * LAMMPS pair_style eam/alloy with the given setfl file; `elements` maps types 1.. to symbols.
 */
export async function lammpsSinglePoint(
  conf: Configuration,
  setflPath: string,
  elements: string[],
  masses: number[],
): Promise<{ energy: number; forces: Float64Array; pressureBar: number }> {
  const cmd = findLammps();
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-lmp-'));
  try {
    writeFileSync(join(dir, 'data.lmp'), formatLammpsData(conf, masses));
    const input = [
      'units metal',
      'atom_style atomic',
      'boundary p p p',
      'atom_modify map array',
      'read_data data.lmp',
      'pair_style eam/alloy',
      `pair_coeff * * ${resolve(setflPath)} ${elements.join(' ')}`,
      'neighbor 0.5 bin',
      'thermo_style custom step pe press',
      'dump d all custom 1 forces.dump id fx fy fz',
      'dump_modify d sort id format float %.17g',
      'run 0',
      'print "EXAFSNN_PE $(pe:%.17g) $(press:%.17g)"',
    ].join('\n');
    writeFileSync(join(dir, 'in.lmp'), input + '\n');
    const r = await runLammps(cmd, dir, 'in.lmp');
    const m = /EXAFSNN_PE (\S+) (\S+)/.exec(r.stdout);
    if (!m) throw new UserError(`LAMMPS did not print the energy; output tail:\n${r.stdout.slice(-2000)}`);
    const lines = readFileSync(join(dir, 'forces.dump'), 'utf8').split('\n');
    const k0 = lines.findIndex((l) => l.startsWith('ITEM: ATOMS'));
    const forces = new Float64Array(3 * conf.n);
    for (let k = k0 + 1; k < lines.length; k++) {
      const f = lines[k].trim().split(/\s+/);
      if (f.length < 4) continue;
      const id = Number(f[0]) - 1;
      forces[3 * id] = Number(f[1]);
      forces[3 * id + 1] = Number(f[2]);
      forces[3 * id + 2] = Number(f[3]);
    }
    return { energy: Number(m[1]), forces, pressureBar: Number(m[2]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
