/**
 * Is a configuration what its label says? From the structure fingerprint (fractions of atoms
 * classified fcc / hcp / bcc / diamond / other by adaptive common-neighbour analysis and
 * identify-diamond, src/analysis) decide the label a sample really deserves.
 *
 * Rules (documented in docs/dataset.md):
 * - a crystal label holds while its own class is the largest crystalline class (thermal
 *   disorder moves atoms to "other" well before melting, so "other" alone does not overrule it
 *   unless it reaches MELTED);
 * - a crystal whose atoms are ≥ MELTED "other" has melted: "liquid";
 * - a crystal whose largest crystalline class is another one (covering ≥ MIN_OWN) transformed:
 *   that class; below MIN_OWN nothing is clear and the verdict is "other";
 * - a liquid holds while its crystalline fractions sum to less than CRYSTALLISED; above, it has
 *   crystallised into its largest crystalline class.
 */
import type { StructureLabel } from './spec.js';

export interface Fractions {
  fcc: number;
  hcp: number;
  bcc: number;
  diamond: number;
  other: number;
}

export const MIN_OWN = 0.2;
export const MELTED = 0.85;
export const CRYSTALLISED = 0.3;

const CRYSTALS = ['fcc', 'hcp', 'bcc', 'diamond'] as const;

export interface LabelVerdict {
  /** the label the configuration deserves */
  structure: StructureLabel | 'other';
  /** true when it equals the asked label */
  ok: boolean;
  /** one line saying why */
  reason: string;
}

function largestCrystal(f: Fractions): (typeof CRYSTALS)[number] {
  let best: (typeof CRYSTALS)[number] = 'fcc';
  for (const c of CRYSTALS) if (f[c] > f[best]) best = c;
  return best;
}

export function checkLabel(label: StructureLabel, f: Fractions): LabelVerdict {
  const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
  const crystalline = f.fcc + f.hcp + f.bcc + f.diamond;
  const top = largestCrystal(f);
  if (label === 'liquid') {
    if (crystalline < CRYSTALLISED)
      return { structure: 'liquid', ok: true, reason: `liquid (${pct(f.other)} other)` };
    return {
      structure: top,
      ok: false,
      reason: `crystallised: ${pct(crystalline)} crystalline, mostly ${top} (${pct(f[top])})`,
    };
  }
  if (f.other >= MELTED)
    return { structure: 'liquid', ok: false, reason: `melted: ${pct(f.other)} of atoms are not crystalline` };
  if (f[label] >= f[top])
    return { structure: label, ok: true, reason: `${label} ${pct(f[label])}, ${pct(f.other)} other` };
  if (f[top] >= MIN_OWN)
    return {
      structure: top,
      ok: false,
      reason: `transformed: ${pct(f[top])} ${top}, ${pct(f[label])} ${label}`,
    };
  // nothing dominant and not melted: an amorphous/defective configuration
  return {
    structure: 'other',
    ok: false,
    reason: `unclassified: ${pct(f[label])} ${label}, ${pct(f.other)} other`,
  };
}
