/**
 * bench xas: processing one measured spectrum (pre-edge/normalisation + AUTOBK → χ(k)) — ours vs
 * Larch's pre_edge + autobk (Debian python3-xraylarch, run through /usr/bin/python3) on the four
 * LISA foils, at the same settings (rbkg 1, kweight 2, dk 0.1, hanning, kstep 0.05, clamps 0/1),
 * on identical μ(E) (both after the same sort/merge clean-up). Times are best-of-N wall times per
 * spectrum of the processing only (no file reading, no Python start-up); the accuracy of ours
 * against Larch (E0, edge step, k²χ(k) relative RMS over k = 3–14 Å⁻¹) goes in the notes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import {
  machineInfo,
  peakRssMb,
  speedup,
  type BenchCase,
  type BenchOptions,
  type BenchResult,
} from './common.js';
import { readSpectrum, prepareMu, processMu } from '../src/xas/index.js';
import { relativeRmsK as relRms } from '../src/util/compare.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..');

const SPECTRA: Array<[string, string]> = [
  ['ni-foil', 'Ni_foil_LISA_300K.xdi'],
  ['cu-foil', 'Cu_foil_LISA.xdi'],
  ['co-foil', 'Co_foil_LISA.xdi'],
  ['fe-foil', 'Fe_foil_LISA.xdi'],
];

interface LarchOut {
  larch_version: string;
  results: Array<{
    file: string;
    e0: number;
    edge_step: number;
    k: number[];
    chi: number[];
    seconds: number;
    first_seconds?: number;
  }>;
}

function spectrumPath(file: string): string | null {
  for (const dir of [
    join(ROOT, 'test', 'fixtures', 'xas'),
    join(ROOT, '..', 'shared', 'data', 'spectra'),
    '/work/shared/data/spectra',
  ]) {
    const p = join(dir, file);
    if (existsSync(p)) return p;
  }
  return null;
}

function runLarch(paths: string[], repeat: number): { out: LarchOut | null; note: string | null } {
  const script = join(ROOT, 'scripts', 'xas-larch-reference.py');
  const r = spawnSync('/usr/bin/python3', [script, '--repeat', String(repeat), ...paths], {
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 << 20,
  });
  if (r.error) return { out: null, note: `Larch not run: ${r.error.message}` };
  if (r.status !== 0)
    return {
      out: null,
      note: `Larch not run (/usr/bin/python3 ${script} exited ${r.status}): ${(r.stderr || '').trim().split('\n').slice(-1)[0]}`,
    };
  try {
    return { out: JSON.parse(r.stdout) as LarchOut, note: null };
  } catch {
    return { out: null, note: 'Larch output was not JSON' };
  }
}

export async function run(opts: BenchOptions): Promise<BenchResult> {
  const repeat = opts.quick ? 5 : 30;
  const notes: string[] = [];
  const found = SPECTRA.map(([tag, file]) => ({ tag, file, path: spectrumPath(file) })).filter((s) => {
    if (!s.path) notes.push(`${s.file} not found (test/fixtures/xas or ../shared/data/spectra)`);
    return s.path !== null;
  });
  const larch = runLarch(
    found.map((s) => s.path!),
    repeat,
  );
  let accRef: LarchOut | null = larch.out;
  if (larch.note) {
    notes.push(larch.note);
    // without Larch, still report the accuracy against the stored reference (same settings)
    const stored = join(ROOT, 'test', 'fixtures', 'xas', 'larch-reference.json');
    if (existsSync(stored)) {
      accRef = JSON.parse(readFileSync(stored, 'utf8')) as LarchOut;
      notes.push(
        `accuracy below is against the stored Larch ${accRef.larch_version} reference (${stored}); no Larch timing`,
      );
    }
  }
  const cases: BenchCase[] = [];
  const table: string[] = [];
  const inputs = found.map((s) => {
    const d = readSpectrum(readFileSync(s.path!, 'utf8'), s.file);
    if (d.kind !== 'mu') throw new Error(`${s.file} is not μ(E)`);
    const prep = prepareMu(d.energy, d.mu, s.file);
    return { ...s, prep, settings: { element: d.element ?? undefined, rbkg: 1, kweight: 2 } };
  });
  // the very first call includes JIT compilation: measure it, then warm up on all spectra so the
  // timed calls see optimised code (Larch's timed calls likewise run after its first one)
  let t0 = performance.now();
  if (inputs.length) processMu(inputs[0].prep.energy, inputs[0].prep.mu, inputs[0].settings);
  const cold = (performance.now() - t0) / 1000;
  for (let w = 0; w < (opts.quick ? 20 : 50); w++)
    for (const s of inputs) processMu(s.prep.energy, s.prep.mu, s.settings);
  for (const s of inputs) {
    const { prep, settings } = s;
    let res = processMu(prep.energy, prep.mu, settings);
    let best = Infinity;
    for (let i = 0; i < repeat; i++) {
      t0 = performance.now();
      res = processMu(prep.energy, prep.mu, settings);
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    const lr = larch.out?.results.find((r) => r.file === s.file);
    const acc = accRef?.results.find((r) => r.file === s.file);
    cases.push({
      name: `xas/process-${s.tag}`,
      cores: 1,
      ours: { value: best * 1000, unit: 'ms' },
      peer: lr
        ? {
            name: 'larch pre_edge+autobk',
            version: larch.out!.larch_version,
            value: lr.seconds * 1000,
            unit: 'ms',
          }
        : null,
      speedup: lr ? speedup(best, lr.seconds, false) : null,
      peak_rss_mb: peakRssMb(),
    });
    if (acc) {
      const rms = relRms(res.k, res.chi, acc.chi);
      const dstep = (res.edge_step! / acc.edge_step - 1) * 100;
      table.push(
        `${s.file}: E0 ours ${res.e0!.toFixed(2)} vs Larch ${acc.e0.toFixed(2)} eV (Δ ${(res.e0! - acc.e0).toFixed(3)} eV); edge step ${res.edge_step!.toFixed(5)} vs ${acc.edge_step.toFixed(5)} (${dstep.toFixed(4)} %); k²χ rel. RMS (k 3–14) ${rms.toExponential(2)}`,
      );
    } else
      table.push(
        `${s.file}: E0 ${res.e0!.toFixed(2)} eV, edge step ${res.edge_step!.toFixed(5)} (no Larch comparison)`,
      );
  }
  notes.push(...table);
  const lfirst = larch.out?.results[0]?.first_seconds;
  notes.push(
    `very first call in a fresh process, ${inputs[0]?.file ?? '-'}: ours ${(cold * 1000).toFixed(1)} ms (JIT compilation included)` +
      (lfirst !== undefined
        ? `, Larch ${(lfirst * 1000).toFixed(1)} ms (after \`import larch\`, which itself takes seconds)`
        : ''),
  );
  notes.push(
    `times: best of ${repeat} per spectrum, processing only (ours: sort/merge check, E0, pre/post-edge, AUTOBK, χ(R); Larch: pre_edge + autobk, calc_uncertainties=False); both see the same merged μ(E); issue-6 targets: E0 ≤ 0.5 eV, step ≤ 2 %, RMS ≤ 5 %`,
  );
  return { bench: 'xas', machine: machineInfo(), cases, notes };
}
