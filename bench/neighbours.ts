/**
 * Benchmark: neighbour search (cell lists) on 100 920 atoms of thermally displaced fcc Ni,
 * cutoff 3.0 Å (first shell, 12 neighbours), one core, against LAMMPS building the same half
 * neighbour list for the same positions (read_data; pair_style zero 3.0, neighbor skin 0,
 * rebuilt every step; time per build = the "Neigh" line of LAMMPS's timing breakdown / builds).
 * Also times the structure fingerprint (a-CNA + identify-diamond) and g(r)+N(θ) of 4000 atoms.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  machineInfo,
  peakRssMb,
  timeIt,
  speedup,
  type BenchOptions,
  type BenchResult,
  type BenchCase,
} from './common.js';
import { buildLattice, buildNeighbourList, type Configuration } from '../src/structure/index.js';
import { fingerprint, radialDistribution, bondAngleDistribution } from '../src/analysis/index.js';
import { Rng } from '../src/util/rng.js';

const CUTOFF = 3.0;
/** list builds per timed run (ours and LAMMPS alike) */
const BUILDS = 4;

function thermalFcc(reps: [number, number, number], sigma: number, seed: number): Configuration {
  const c = buildLattice('fcc', 3.524, reps[0], { reps, element: 'Ni' });
  const rng = new Rng(seed);
  for (let i = 0; i < c.positions.length; i++) c.positions[i] += sigma * rng.normal();
  return c;
}

function lammpsData(c: Configuration): string {
  const out = [
    'exafsnn neighbours benchmark',
    '',
    `${c.n} atoms`,
    '1 atom types',
    '',
    `0 ${c.box[0]} xlo xhi`,
    `0 ${c.box[1]} ylo yhi`,
    `0 ${c.box[2]} zlo zhi`,
    '',
    'Masses',
    '',
    '1 58.6934',
    '',
    'Atoms # atomic',
    '',
  ];
  const p = c.positions;
  for (let i = 0; i < c.n; i++) {
    const w = [0, 1, 2].map((d) => {
      const L = c.box[d];
      let x = p[3 * i + d] % L;
      if (x < 0) x += L;
      return x >= L ? 0 : x;
    });
    out.push(`${i + 1} 1 ${w[0].toFixed(8)} ${w[1].toFixed(8)} ${w[2].toFixed(8)}`);
  }
  return out.join('\n') + '\n';
}

interface LammpsTiming {
  version: string;
  perBuild: number;
  neighbours: number;
}

/**
 * Time LAMMPS's half neighbour-list build for the same configuration: `runs` separate
 * `run BUILDS` commands, each rebuilding the list every step; per-build time = best over runs of
 * (Neigh time / builds). Null when lmp is missing.
 */
function lammpsNeighbourBuild(c: Configuration, runs: number, notes: string[]): LammpsTiming | null {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-bench-nb-'));
  try {
    writeFileSync(join(dir, 'data.ni'), lammpsData(c));
    writeFileSync(
      join(dir, 'in.nb'),
      [
        'units metal',
        'atom_style atomic',
        'boundary p p p',
        'read_data data.ni',
        `pair_style zero ${CUTOFF}`,
        'pair_coeff * *',
        'neighbor 0.0 bin',
        'neigh_modify every 1 delay 0 check no',
        'atom_modify sort 0 0.0',
        'thermo 1000',
        ...Array.from({ length: runs }, () => `run ${BUILDS}`),
      ].join('\n') + '\n',
    );
    const r = spawnSync('lmp', ['-in', 'in.nb', '-log', 'log.lammps', '-screen', 'none', '-nocite'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    if (r.error) {
      notes.push(
        `LAMMPS peer missing: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'lmp not on PATH' : r.error.message}`,
      );
      return null;
    }
    const log = readFileSync(join(dir, 'log.lammps'), 'utf8');
    if (r.status !== 0) {
      notes.push(`LAMMPS failed (status ${r.status}): ${log.split('\n').slice(-5).join(' | ')}`);
      return null;
    }
    const version = /LAMMPS \(([^)]+)\)/.exec(log)?.[1] ?? 'unknown';
    const neigh = /^Neigh\s*\|\s*[\d.e+-]+\s*\|\s*([\d.e+-]+)/m.exec(log);
    const nb = /Neighbor list builds = (\d+)/.exec(log);
    const total = /Total # of neighbors = (\d+)/.exec(log);
    if (!neigh || !nb) {
      notes.push('LAMMPS ran but its timing breakdown could not be parsed');
      return null;
    }
    return {
      version,
      perBuild: Number(neigh[1]) / Number(nb[1]),
      neighbours: total ? Number(total[1]) : NaN,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const notes: string[] = [];
  const cases: BenchCase[] = [];
  const repeat = opts.quick ? 3 : 7;
  const runs = opts.quick ? 3 : 5;

  // --- neighbour list, 100 920 atoms (29×29×30 fcc cells) ---
  const big = thermalFcc([29, 29, 30], 0.05, 1);
  let pairs = 0;
  buildNeighbourList(big, CUTOFF, { half: true }); // warm-up (JIT)
  // same protocol as LAMMPS below: best over `runs` of the mean time of BUILDS consecutive builds
  const tHalf =
    (await timeIt(() => {
      for (let b = 0; b < BUILDS; b++) pairs = buildNeighbourList(big, CUTOFF, { half: true }).index.length;
    }, runs)) / BUILDS;
  const tFull =
    (await timeIt(() => {
      for (let b = 0; b < BUILDS; b++) buildNeighbourList(big, CUTOFF, { half: false });
    }, runs)) / BUILDS;
  const lmp = lammpsNeighbourBuild(big, runs, notes);
  if (lmp && Number.isFinite(lmp.neighbours) && lmp.neighbours !== pairs)
    notes.push(`pair counts differ: ours ${pairs}, LAMMPS ${lmp.neighbours}`);
  else if (lmp)
    notes.push(
      `same half list as LAMMPS: ${pairs} pairs (${((2 * pairs) / big.n).toFixed(3)} neighbours per atom)`,
    );
  cases.push({
    name: 'neighbours/fcc-100000/1core',
    cores: 1,
    ours: { value: tHalf, unit: 's' },
    peer: lmp ? { name: 'LAMMPS', version: lmp.version, value: lmp.perBuild, unit: 's' } : null,
    speedup: speedup(tHalf, lmp?.perBuild, false),
    peak_rss_mb: peakRssMb(),
  });
  cases.push({
    name: 'neighbours/fcc-100000-full/1core',
    cores: 1,
    ours: { value: tFull, unit: 's' },
    peer: null,
    speedup: null,
    peak_rss_mb: peakRssMb(),
  });
  notes.push(
    `${big.n} atoms, cutoff ${CUTOFF} Å; ours: buildNeighbourList (cell binning + CSR list with dx,dy,dz,r); ` +
      `both timed as the best of ${runs} runs of ${BUILDS} consecutive builds (the machine is shared, so single timings are noisy); ` +
      'the full list stores each pair under both atoms (what N(θ) and the fingerprint use); LAMMPS builds a half list (newton on).',
  );

  // --- analysis of 4000 atoms ---
  const small = thermalFcc([10, 10, 10], 0.08, 2);
  fingerprint(small);
  const tFp = await timeIt(() => fingerprint(small), repeat * 3);
  cases.push({
    name: 'neighbours/fingerprint-4000/1core',
    cores: 1,
    ours: { value: tFp * 1000, unit: 'ms' },
    peer: null,
    speedup: null,
    peak_rss_mb: peakRssMb(),
  });
  radialDistribution(small, { rmax: 6, dr: 0.01 });
  const tGr = await timeIt(() => {
    radialDistribution(small, { rmax: 6, dr: 0.01 });
    bondAngleDistribution(small, 3.0);
  }, repeat * 3);
  cases.push({
    name: 'neighbours/gr-bad-4000/1core',
    cores: 1,
    ours: { value: tGr * 1000, unit: 'ms' },
    peer: null,
    speedup: null,
    peak_rss_mb: peakRssMb(),
  });
  notes.push(
    'fingerprint and g(r)+N(θ) on 4000 atoms of fcc Ni (σ = 0.08 Å): no peer installed (OVITO is not available; its a-CNA is the reference method).',
  );
  return { bench: 'neighbours', machine: machineInfo(), cases, notes };
}
