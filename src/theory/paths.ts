/**
 * The FEFF paths that make up γ2 and γ3 (docs/design.md: γ2 = all scattering inside the 2-atom
 * cluster, γ3 = 3-atom cluster minus its three 2-body parts, summed over the absorber at each
 * vertex). Paths are truncated at 4 legs (double and triple scattering); docs/theory.md gives
 * the FEFF amplitudes that justify each choice.
 *
 * Triangle convention: V is the common vertex of the two shortest sides, P at distance r1 from V,
 * Q at r2 (r1 ≤ r2), θ = ∠PVQ; sides a = |VP| = r1, b = |VQ| = r2, c = |PQ| = r3.
 * Paths with equal total length are grouped into "classes"; within a class the fast phase
 * e^(ik·L) is common, so the sum of the members' reduced amplitudes interpolates smoothly.
 */
import type { PathSpec, PathAtom } from './feffFiles.js';

/** γ2 components: single scattering (L = 2r) and the 4-leg back-and-forth path (L = 4r). */
export const GAMMA2_COMPONENTS = [
  { name: 'ss', legs: 2, lengthFactor: 2 },
  { name: 'ms4', legs: 4, lengthFactor: 4 },
] as const;

export function gamma2Paths(r: number): PathSpec[] {
  const s: PathAtom = { x: 0, y: 0, z: r, ipot: 1 };
  const o: PathAtom = { x: 0, y: 0, z: 0, ipot: 0 };
  return [
    { atoms: [s], deg: 1 },
    { atoms: [s, o, s], deg: 1 },
  ];
}

/** γ3 classes: total path length L in terms of the sides a, b, c. */
export const GAMMA3_CLASSES = ['ds', 'ab', 'ac', 'bc'] as const;
export type Gamma3Class = (typeof GAMMA3_CLASSES)[number];

/** Path length of each class for sides a, b, c. */
export function classLengths(a: number, b: number, c: number, out = new Float64Array(4)): Float64Array {
  out[0] = a + b + c;
  out[1] = 2 * (a + b);
  out[2] = 2 * (a + c);
  out[3] = 2 * (b + c);
  return out;
}

/** Third side of the triangle. */
export function thirdSide(r1: number, r2: number, thetaDeg: number): number {
  const t = (thetaDeg * Math.PI) / 180;
  return Math.sqrt(Math.max(0, r1 * r1 + r2 * r2 - 2 * r1 * r2 * Math.cos(t)));
}

export interface TrianglePath {
  spec: PathSpec;
  cls: number; // index into GAMMA3_CLASSES
  absorber: 'V' | 'P' | 'Q';
  kind: 'ds' | 'ts-via-absorber' | 'ts-bounce';
}

/**
 * The 12 three-body paths of a triangle with ≤ 4 legs (each listed once with its
 * time-reversal degeneracy): for absorber X and the other two atoms Y, Z:
 *   DS  X→Y→Z→X (deg 2, with its reverse),
 *   TS  X→Y→X→Z→X (deg 2), X→Y→Z→Y→X (deg 1), X→Z→Y→Z→X (deg 1).
 */
export function trianglePaths(r1: number, r2: number, thetaDeg: number): TrianglePath[] {
  const t = (thetaDeg * Math.PI) / 180;
  const V = [0, 0, 0];
  const P = [0, 0, r1];
  const Q = [r2 * Math.sin(t), 0, r2 * Math.cos(t)];
  // side labels: a = VP, b = VQ, c = PQ
  const side = (u: string, v: string): string => {
    const s = [u, v].sort().join('');
    return s === 'PV' ? 'a' : s === 'QV' ? 'b' : 'c';
  };
  const cls = (s1: string, s2: string): number =>
    GAMMA3_CLASSES.indexOf([s1, s2].sort().join('') as Gamma3Class);
  const pos: Record<string, number[]> = { V, P, Q };
  const out: TrianglePath[] = [];
  for (const X of ['V', 'P', 'Q'] as const) {
    const [Y, Z] = (['V', 'P', 'Q'] as const).filter((s) => s !== X);
    const o = pos[X];
    const at = (s: string): PathAtom => ({
      x: pos[s][0] - o[0],
      y: pos[s][1] - o[1],
      z: pos[s][2] - o[2],
      ipot: s === X ? 0 : 1,
    });
    out.push({ spec: { atoms: [at(Y), at(Z)], deg: 2 }, cls: 0, absorber: X, kind: 'ds' });
    out.push({
      spec: { atoms: [at(Y), at(X), at(Z)], deg: 2 },
      cls: cls(side(X, Y), side(X, Z)),
      absorber: X,
      kind: 'ts-via-absorber',
    });
    out.push({
      spec: { atoms: [at(Y), at(Z), at(Y)], deg: 1 },
      cls: cls(side(X, Y), side(Y, Z)),
      absorber: X,
      kind: 'ts-bounce',
    });
    out.push({
      spec: { atoms: [at(Z), at(Y), at(Z)], deg: 1 },
      cls: cls(side(X, Z), side(Y, Z)),
      absorber: X,
      kind: 'ts-bounce',
    });
  }
  return out;
}
