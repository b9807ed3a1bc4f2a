/**
 * Sweep specs: what a dataset is made of. A spec (JSON or YAML) is validated with zod; errors
 * name the file and the field. `expandSpec` turns a spec into an ordered, deterministic list of
 * tasks (one MD run each, giving `snapshots` samples), each with its own derived seed, so the
 * samples do not depend on the number of workers or shards.
 */
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { z } from 'zod';
import YAML from 'yaml';
import { Rng } from '../util/rng.js';
import { UserError } from '../util/errors.js';
import { canonicalSymbol } from '../util/elements.js';
import { defaultPotential } from '../md/potentials.js';
import { repsForAtoms, type LatticeName } from '../structure/index.js';

export const STRUCTURES = ['fcc', 'hcp', 'bcc', 'diamond', 'liquid'] as const;
export type StructureLabel = (typeof STRUCTURES)[number];

const num = z.number().finite();
const pos = num.positive();

/** An inclusive range with a step, or an explicit list. */
const rangeOrList = (what: string) =>
  z.union([
    z
      .object({ from: num, to: num, step: pos })
      .strict()
      .refine((r) => r.to >= r.from, { message: `${what}: "to" must be ≥ "from"` }),
    z.array(num).min(1),
    num,
  ]);

const latticeSchema = z.union([
  pos,
  z.array(pos).min(1),
  z
    .object({
      /** central lattice parameter, Å */
      a0: pos,
      /** step between variations, Å (paper: 0.02) */
      step: pos.default(0.02),
      /** variation indices: a = a0 + i·step; a range {from,to} or a list */
      i: z
        .union([
          z.object({ from: z.number().int(), to: z.number().int() }).strict(),
          z.array(z.number().int()).min(1),
        ])
        .default({ from: 0, to: 0 }),
    })
    .strict(),
]);

const entrySchema = z
  .object({
    structure: z.enum(STRUCTURES),
    /** temperatures in K */
    temperature: rangeOrList('temperature'),
    /** lattice parameter(s) in Å; for a liquid, the fcc lattice parameter that sets its density */
    lattice: latticeSchema,
    /** approximate number of atoms (the supercell closest to a cube holding about this many) */
    atoms: z.number().int().positive().optional(),
    /** or explicit cells along x, y, z (for a liquid: fcc cells) */
    cells: z
      .union([
        z.number().int().positive(),
        z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
      ])
      .optional(),
    /**
     * harmonic tether to lattice sites, eV/Å², for structures the potential does not hold
     * (diamond, bcc Ni): a number, "auto" (the MD engine chooses it from T), or 0 for none
     */
    tether: z.union([num.nonnegative(), z.literal('auto')]).optional(),
  })
  .strict()
  .refine((e) => (e.atoms === undefined) !== (e.cells === undefined), {
    message: 'give either "atoms" or "cells" (exactly one)',
  });

const gridSchema = z
  .object({ min: num.nonnegative(), max: num.positive(), step: pos })
  .strict()
  .refine((g) => g.max > g.min, { message: '"max" must be > "min"' })
  .refine((g) => (g.max - g.min) / g.step <= 100000, { message: 'too many grid points' });

const mdSchema = z
  .object({
    /** time step, ps (as src/md and LAMMPS metal units) */
    dt: pos.max(0.01).default(0.002),
    /** steps before the first snapshot */
    equilibration: z.number().int().nonnegative().default(2000),
    /** steps between snapshots */
    interval: z.number().int().positive().default(500),
    /** snapshots (samples) per MD run */
    snapshots: z.number().int().positive().default(5),
    /** liquids: steps of melting at `melt_temperature` before cooling to T */
    melt_steps: z.number().int().nonnegative().default(2000),
    melt_temperature: pos.default(3000),
    /** thermostat time constant, ps */
    tau: pos.default(0.1),
    /** liquids: steps of the cooling ramp from melt_temperature to T */
    cool_steps: z.number().int().nonnegative().default(2000),
  })
  .strict();

export const specSchema = z
  .object({
    /** optional human-readable name of the sweep */
    name: z.string().optional(),
    element: z.string().regex(/^[A-Z][a-z]?$/, 'expected a chemical symbol such as "Ni"'),
    edge: z.string().default('K'),
    seed: z
      .number()
      .int()
      .nonnegative()
      .max(2 ** 32 - 1),
    engine: z.enum(['builtin', 'lammps']).default('builtin'),
    /** LAMMPS engine: the executable and MPI ranks per run (> 1: `mpirun -np N lmp`) */
    lammps: z
      .object({ command: z.string().default('lmp'), mpi: z.number().int().nonnegative().default(0) })
      .strict()
      .default({ command: 'lmp', mpi: 0 }),
    /** interatomic potential file (setfl/funcfl); default: the shipped one for the element */
    potential: z.string().optional(),
    /** γ tables file or folder; default: the shipped tables for element and edge */
    tables: z.string().optional(),
    structures: z.array(entrySchema).min(1),
    md: mdSchema.default(mdSchema.parse({})),
    /** energy-origin shift ΔE, eV, drawn uniformly per sample */
    dE: z
      .object({ min: num, max: num })
      .strict()
      .refine((d) => d.max >= d.min, { message: '"max" must be ≥ "min"' })
      .default({ min: -5, max: 10 }),
    /** S0² amplitude reduction factor applied to χ(k) */
    s02: pos.max(1.5).default(1),
    grids: z
      .object({
        /** χ(k) grid, Å⁻¹ (points min, min+step, …, max) */
        k: gridSchema.default({ min: 2, max: 16, step: 0.05 }),
        /** g(r) grid, Å (bin centres) */
        r: gridSchema.default({ min: 1.5, max: 6, step: 0.02 }),
        /** N(θ) grid, degrees (bin centres) */
        theta: gridSchema.default({ min: 0.5, max: 179.5, step: 1 }),
      })
      .strict()
      .default({
        k: { min: 2, max: 16, step: 0.05 },
        r: { min: 1.5, max: 6, step: 0.02 },
        theta: { min: 0.5, max: 179.5, step: 1 },
      }),
    /** first-shell cutoff for N(θ) and triplets, Å: a number, or "auto" (first minimum of g(r)) */
    cutoff: z.union([pos, z.literal('auto')]).default('auto'),
    /** what to do with a configuration whose fingerprint disagrees with its label */
    mismatch: z.enum(['relabel', 'refuse', 'keep']).default('relabel'),
  })
  .strict();

export type SweepSpec = z.infer<typeof specSchema>;
export type SpecEntry = SweepSpec['structures'][number];
export type SpecInput = z.input<typeof specSchema>;

/** One MD run. */
export interface Task {
  /** position in the expanded spec, 0-based; fixes order and seed */
  index: number;
  /** which `structures[]` entry it comes from */
  entry: number;
  structure: StructureLabel;
  element: string;
  /** K */
  temperature: number;
  /** Å */
  lattice: number;
  /** supercell repetitions of the lattice (a liquid starts from fcc) */
  reps: [number, number, number];
  /** tether spring (eV/Å²), 'auto', or 0 */
  tether: number | 'auto';
  /** seed of this run: Rng.derive(spec.seed, index) */
  seed: number;
  /** samples this run gives */
  snapshots: number;
}

function fmtPath(path: PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s || '(top level)';
}

/** Validate a parsed spec object; errors name `source` and the field. */
export function validateSpec(obj: unknown, source = 'spec'): SweepSpec {
  const r = specSchema.safeParse(obj);
  if (!r.success) {
    const lines = r.error.issues.slice(0, 8).map((i) => `${source}: ${fmtPath(i.path)}: ${i.message}`);
    throw new UserError(`invalid sweep spec\n  ${lines.join('\n  ')}`);
  }
  const spec = r.data;
  // semantic checks zod cannot express cleanly
  if (!canonicalSymbol(spec.element))
    throw new UserError(`${source}: element: "${spec.element}" is not an element symbol (e.g. "Ni")`);
  if (spec.potential === undefined) {
    try {
      defaultPotential(spec.element);
    } catch (e) {
      throw new UserError(`${source}: element: ${(e as Error).message.replace('give --potential FILE', 'set "potential": FILE')}`);
    }
  }
  spec.structures.forEach((e, i) => {
    if (e.structure === 'liquid' && e.tether !== undefined && e.tether !== 0)
      throw new UserError(`${source}: structures[${i}].tether: a liquid cannot be tethered to lattice sites`);
    for (const T of temperatures(e))
      if (!(T > 0)) throw new UserError(`${source}: structures[${i}].temperature: must be > 0 K, got ${T}`);
    for (const a of lattices(e))
      if (!(a > 0)) throw new UserError(`${source}: structures[${i}].lattice: must be > 0 Å, got ${a}`);
  });
  if (spec.grids.theta.max > 180) throw new UserError(`${source}: grids.theta.max: must be ≤ 180 degrees`);
  // g(r) (and χ's pair sums) use the minimum-image convention: every box edge must be ≥ 2·rmax
  const rmax = spec.grids.r.max + spec.grids.r.step / 2;
  spec.structures.forEach((e, i) => {
    const reps = repsOf(e);
    const lat = latticeOf(e.structure);
    const edges = lat === 'hcp' ? [1, Math.sqrt(3), Math.sqrt(8 / 3)] : [1, 1, 1];
    const amin = Math.min(...lattices(e));
    const box = Math.min(...edges.map((x, d) => x * reps[d] * amin));
    if (box < 2 * rmax)
      throw new UserError(
        `${source}: structures[${i}]: the ${e.structure} box (${reps.join('×')} cells, shortest edge ${box.toFixed(2)} Å) is smaller than ` +
          `2 × the r grid's end (${(2 * rmax).toFixed(2)} Å); use more atoms or cells`,
      );
  });
  return spec;
}

/** Parse spec text (JSON or YAML). */
export function parseSpec(text: string, source = 'spec'): SweepSpec {
  let obj: unknown;
  try {
    obj = YAML.parse(text, { prettyErrors: true });
  } catch (e) {
    const err = e as Error & { linePos?: { line: number; col: number }[] };
    const line = err.linePos?.[0]?.line;
    throw new UserError(
      `${source}${line ? `:${line}` : ''}: not valid JSON/YAML: ${err.message.split('\n')[0]}`,
    );
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
    throw new UserError(`${source}: expected a mapping (object) at the top level`);
  return validateSpec(obj, source);
}

/** Read and validate a spec file. */
export function readSpecFile(path: string): SweepSpec {
  if (!existsSync(path)) throw new UserError(`${path}: no such spec file (or give --preset quick|paper)`);
  return parseSpec(readFileSync(path, 'utf8'), path);
}

/** Inclusive grid points min, min+step, …, ≤ max (+1e-9 tolerance). */
export function gridPoints(g: { min: number; max: number; step: number }): Float64Array {
  const n = Math.floor((g.max - g.min) / g.step + 1e-9) + 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = +(g.min + i * g.step).toFixed(10);
  return out;
}

function expandRange(v: number | number[] | { from: number; to: number; step: number }): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v;
  return Array.from(gridPoints({ min: v.from, max: v.to + 0, step: v.step }));
}

export function temperatures(e: SpecEntry): number[] {
  return expandRange(e.temperature);
}

export function lattices(e: SpecEntry): number[] {
  const l = e.lattice;
  if (typeof l === 'number') return [l];
  if (Array.isArray(l)) return l;
  const iv = l.i;
  const is = Array.isArray(iv)
    ? iv
    : iv.to < iv.from
      ? []
      : Array.from({ length: iv.to - iv.from + 1 }, (_, j) => iv.from + j);
  return is.map((i) => +(l.a0 + i * l.step).toFixed(10));
}

/** The lattice a structure label is built from (a liquid starts as fcc and is melted). */
export function latticeOf(s: StructureLabel): LatticeName {
  return s === 'liquid' ? 'fcc' : s;
}

function repsOf(e: SpecEntry): [number, number, number] {
  if (e.cells !== undefined) return typeof e.cells === 'number' ? [e.cells, e.cells, e.cells] : [...e.cells];
  return repsForAtoms(latticeOf(e.structure), e.atoms as number);
}

/**
 * Expand a spec into its ordered tasks: structures in spec order, then lattice parameter, then
 * temperature (ascending as written). Seeds are derived from (spec.seed, index).
 */
export function expandSpec(spec: SweepSpec): Task[] {
  const tasks: Task[] = [];
  spec.structures.forEach((e, entry) => {
    const reps = repsOf(e);
    const tether = e.tether ?? (e.structure === 'diamond' || e.structure === 'bcc' ? 'auto' : 0);
    for (const a of lattices(e))
      for (const T of temperatures(e)) {
        const index = tasks.length;
        tasks.push({
          index,
          entry,
          structure: e.structure,
          element: spec.element,
          temperature: T,
          lattice: a,
          reps,
          tether,
          seed: Rng.derive(spec.seed, index),
          snapshots: spec.md.snapshots,
        });
      }
  });
  return tasks;
}

/** Canonical JSON: keys sorted, so equal specs hash equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** SHA-256 (hex, first 16 chars) of the canonical normalised spec: the dataset's identity. */
export function specHash(spec: SweepSpec): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex').slice(0, 16);
}

/** Number of samples the spec asks for (before any refusals). */
export function sampleCount(tasks: Task[]): number {
  let n = 0;
  for (const t of tasks) n += t.snapshots;
  return n;
}

/** Parse "--shard i/N" (1-based i). */
export function parseShard(s: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  if (!m) throw new UserError(`--shard: expected i/N such as 2/8, got "${s}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new UserError(`--shard: i must be in 1..N, got "${s}"`);
  return { index, count };
}

/** The tasks of shard i/N: round-robin over the task list (balances cheap and costly tasks). */
export function shardTasks(tasks: Task[], shard: { index: number; count: number } | null): Task[] {
  if (!shard || shard.count === 1) return tasks;
  return tasks.filter((t) => t.index % shard.count === shard.index - 1);
}
