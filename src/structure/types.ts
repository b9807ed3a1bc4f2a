/**
 * A configuration: N atoms in an orthogonal periodic box.
 *
 * Positions are Cartesian, in Å, stored flat as [x0, y0, z0, x1, y1, z1, ...].
 * The box spans [0, Lx) × [0, Ly) × [0, Lz); every axis is periodic.
 * `types` holds 1-based atom types (LAMMPS convention); mono-atomic configurations use 1.
 */
export interface Configuration {
  /** number of atoms */
  n: number;
  /** Cartesian positions in Å, length 3n */
  positions: Float64Array;
  /** orthogonal box edge lengths [Lx, Ly, Lz] in Å */
  box: [number, number, number];
  /** 1-based atom types, length n (optional; all 1 when absent) */
  types?: Int32Array;
  /** chemical symbol of type 1 (e.g. "Ni") when known */
  element?: string;
  /** free-form per-frame properties (timestep, temperature, ...) */
  props?: Record<string, string | number>;
}

/** Number density ρ = N / V in Å⁻³. */
export function density(c: Configuration): number {
  return c.n / (c.box[0] * c.box[1] * c.box[2]);
}

/** A deep copy of a configuration (positions and types are copied). */
export function cloneConfiguration(c: Configuration): Configuration {
  return {
    n: c.n,
    positions: new Float64Array(c.positions),
    box: [c.box[0], c.box[1], c.box[2]],
    types: c.types ? new Int32Array(c.types) : undefined,
    element: c.element,
    props: c.props ? { ...c.props } : undefined,
  };
}

/** Wrap all positions into [0, L) along each axis, in place. */
export function wrapPositions(c: Configuration): void {
  const p = c.positions;
  const [lx, ly, lz] = c.box;
  for (let i = 0; i < c.n; i++) {
    let x = p[3 * i] % lx;
    if (x < 0) x += lx;
    let y = p[3 * i + 1] % ly;
    if (y < 0) y += ly;
    let z = p[3 * i + 2] % lz;
    if (z < 0) z += lz;
    // guard against x == lx after rounding of a tiny negative number
    p[3 * i] = x >= lx ? 0 : x;
    p[3 * i + 1] = y >= ly ? 0 : y;
    p[3 * i + 2] = z >= lz ? 0 : z;
  }
}

/** Minimum-image displacement component for a periodic axis of length L. */
export function minImage(d: number, l: number): number {
  return d - l * Math.round(d / l);
}

/** Minimum-image distance between atoms i and j. */
export function distance(c: Configuration, i: number, j: number): number {
  const p = c.positions;
  const dx = minImage(p[3 * j] - p[3 * i], c.box[0]);
  const dy = minImage(p[3 * j + 1] - p[3 * i + 1], c.box[1]);
  const dz = minImage(p[3 * j + 2] - p[3 * i + 2], c.box[2]);
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}
