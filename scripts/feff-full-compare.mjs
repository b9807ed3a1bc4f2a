// χ(k) of one configuration three ways, every atom an absorber (docs/theory.md, "Liquid χ(k) against
// FEFF's full path expansion"):
//   full  — FEFF 8.5 with its own pathfinder (feff8l_pathfinder, RMAX, NLEG, CRITERIA 0 0: no path
//           dropped) on the cluster around each absorber (periodic images within RMAX), then
//           feff8l_genfmt + feff8l_ff2x;
//   floor — FEFF 8.5 (genfmt + ff2x) on exactly the paths our expansion holds, same clusters: the
//           SS and 4-leg back-and-forth paths of every pair ≤ rmax2 and, for every triplet (two
//           shortest sides ≤ the first-shell cutoff) containing the absorber, its 4 three-body paths;
//   ours  — computeChi with the shipped γ tables (default triplet cutoff: the configuration's own
//           first-shell cutoff), and with an explicit old-style cutoff for comparison.
// All FEFF runs use the same self-consistent potentials as the shipped tables (phase.pad of the
// reference solid, test/theory/fixtures/Ni-K), so the differences are the path expansion and the
// tables, not muffin-tin transferability. Metric: k²-weighted relative RMS over k = 3–14 Å⁻¹
// (src/util/compare.ts) after one fitted ΔE (the compared χ shifted, k' = √(k² + 0.2625·ΔE)).
//
// Run after `npx tsc -p tsconfig.json`:
//   nice -n 10 node scripts/feff-full-compare.mjs CONF.dump --element Ni [--rmax 6] [--nleg 4]
//        [--rmax2 6] [--absorbers N] [--old-cutoff3 3.1] [--cache feff.jsonl] [--json out.json]
//   nice -n 10 node scripts/feff-full-compare.mjs CONF.dump --element Ni --same-paths 1500
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readFrames, buildNeighbourList } from '../dist/src/structure/index.js';
import { computeChi, loadTables, firstShellCutoff3 } from '../dist/src/exafs/index.js';
import { kGrid, ETOK } from '../dist/src/exafs/kgrid.js';
import {
  preparePotentials,
  defaultSettings,
  runPaths,
  parseFeffDat,
  pathChi,
  packageRoot,
  splineInterp,
  checkElement,
  gamma2At,
  gamma3At,
} from '../dist/src/theory/index.js';
import { relativeRmsK } from '../dist/src/util/compare.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const file = args[0];
const el = checkElement(opt('element', 'Ni')).element;
const RMAX = Number(opt('rmax', '6'));
const NLEG = Number(opt('nleg', '4'));
const RMAX2 = Number(opt('rmax2', '6'));
const OLD_CUT = Number(opt('old-cutoff3', '3.1'));
const K = kGrid(0, 20, 0.05);

let conf = null;
for await (const c of readFrames(file, { element: el })) {
  conf = c;
  break;
}
const N = conf.n;
const nAbs = Math.min(N, Number(opt('absorbers', String(N))));
const S_LABEL = nAbs === N ? 'all atoms' : `${nAbs} random atoms (seeded)`;
const cutoff3 = firstShellCutoff3([conf]);
const log = (m) => process.stderr.write(m + '\n');
log(
  `${file}: ${N} atoms, box ${conf.box.map((x) => x.toFixed(3)).join('×')} Å, first-shell cutoff ${cutoff3.toFixed(3)} Å`,
);

// potentials of the shipped tables (checked-in fixture for Ni; else the build cache)
const fix = join(packageRoot(), 'test', 'theory', 'fixtures', el === 'Ni' ? 'Ni-K' : `${el}-K-pot`);
const potDir = mkdtempSync(join(tmpdir(), 'exafsnn-fullcmp-pot-'));
cpSync(fix, potDir, { recursive: true });
const pots = preparePotentials(defaultSettings(el), potDir);

const p = conf.positions;
const box = conf.box;
function mic(i, j) {
  const d = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    let x = p[3 * j + a] - p[3 * i + a];
    x -= box[a] * Math.round(x / box[a]);
    d[a] = x;
  }
  return d;
}
/** atoms (periodic images included) within R of atom i, relative positions, sorted by distance */
function cluster(i, R) {
  const out = [];
  const n = [0, 1, 2].map((a) => Math.ceil(R / box[a]));
  for (let j = 0; j < N; j++)
    for (let sx = -n[0]; sx <= n[0]; sx++)
      for (let sy = -n[1]; sy <= n[1]; sy++)
        for (let sz = -n[2]; sz <= n[2]; sz++) {
          const d = [
            p[3 * j] - p[3 * i] + sx * box[0],
            p[3 * j + 1] - p[3 * i + 1] + sy * box[1],
            p[3 * j + 2] - p[3 * i + 2] + sz * box[2],
          ];
          const r = Math.hypot(...d);
          if (r <= R && !(j === i && r < 1e-9)) out.push([...d, r]);
        }
  return out.sort((a, b) => a[3] - b[3]);
}

function sumDir(dir) {
  const chi = new Float64Array(K.length);
  let n = 0;
  for (const f of readdirSync(dir)) {
    if (!/^feff\d{4}\.dat$/.test(f)) continue;
    const c = pathChi(parseFeffDat(readFileSync(join(dir, f), 'utf8'), f), K);
    for (let q = 0; q < K.length; q++) chi[q] += c[q];
    n++;
  }
  return { chi, n };
}

/** FEFF's own path expansion around absorber i (pathfinder → genfmt → ff2x) with the fixed potentials. */
function feffFull(i) {
  const dir = mkdtempSync(join(tmpdir(), 'exafsnn-fullcmp-'));
  try {
    const atoms = cluster(i, RMAX + 0.01);
    const z = checkElement(el).z;
    const lines = [
      `TITLE exafsnn full path expansion, absorber ${i}`,
      'EDGE K',
      'S02 1.0',
      'CONTROL 1 1 1 1 1 1',
      'PRINT 1 0 0 0 0 3',
      `RMAX ${RMAX}`,
      `NLEG ${NLEG}`,
      'CRITERIA 0 0',
      'POTENTIALS',
      ` 0 ${z} ${el}`,
      ` 1 ${z} ${el}`,
      'ATOMS',
      `     0.00000     0.00000     0.00000 0  ${el} 0.00000`,
      ...atoms.map(
        (a) =>
          ` ${a[0].toFixed(5).padStart(11)} ${a[1].toFixed(5).padStart(11)} ${a[2].toFixed(5).padStart(11)} 1  ${el} ${a[3].toFixed(5)}`,
      ),
      'END',
      '',
    ];
    writeFileSync(join(dir, 'feff.inp'), lines.join('\n'));
    execFileSync('feff8l_rdinp', [], { cwd: dir, stdio: 'ignore' });
    for (const f of ['phase.pad', 'xsect.json']) copyFileSync(join(potDir, f), join(dir, f));
    for (const st of ['feff8l_pathfinder', 'feff8l_genfmt', 'feff8l_ff2x'])
      execFileSync(st, [], { cwd: dir, stdio: 'ignore' });
    return sumDir(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the paths our expansion holds, per absorber
const o = { x: 0, y: 0, z: 0, ipot: 0 };
const at = (d) => ({ x: d[0], y: d[1], z: d[2], ipot: 1 });
const pairSpecs = Array.from({ length: N }, () => []);
const nl2 = buildNeighbourList(conf, RMAX2, { half: false });
for (let i = 0; i < N; i++)
  for (let a = nl2.start[i]; a < nl2.start[i + 1]; a++) {
    const s = at([nl2.dx[a], nl2.dy[a], nl2.dz[a]]);
    pairSpecs[i].push({ atoms: [s], deg: 1 }, { atoms: [s, o, s], deg: 1 });
  }
/** triplets as chi.ts defines them: [vertex, p, q, r1, r2, θ°] */
function triplets(cut) {
  const out = [];
  const nl3 = buildNeighbourList(conf, cut, { half: false });
  for (let i = 0; i < N; i++)
    for (let a = nl3.start[i]; a < nl3.start[i + 1]; a++)
      for (let b = a + 1; b < nl3.start[i + 1]; b++) {
        const rc = Math.hypot(nl3.dx[b] - nl3.dx[a], nl3.dy[b] - nl3.dy[a], nl3.dz[b] - nl3.dz[a]);
        if (rc < Math.max(nl3.r[a], nl3.r[b]) - 1e-9) continue;
        if (rc - nl3.r[a] <= 1e-9 && nl3.index[b] < i) continue;
        if (rc - nl3.r[b] <= 1e-9 && nl3.index[a] < i) continue;
        const ra = nl3.r[a],
          rb = nl3.r[b];
        const c = (nl3.dx[a] * nl3.dx[b] + nl3.dy[a] * nl3.dy[b] + nl3.dz[a] * nl3.dz[b]) / (ra * rb);
        out.push([
          i,
          nl3.index[a],
          nl3.index[b],
          ra,
          rb,
          (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI,
        ]);
      }
  return out;
}
const trip = triplets(cutoff3);
const nTrip = trip.length;
const tripSpecs = Array.from({ length: N }, () => []);
for (const [v, pp, qq] of trip) {
  {
    const T = [v, pp, qq];
    for (const X of T) {
      const [Y, Z] = T.filter((t) => t !== X);
      const y = at(mic(X, Y)),
        z = at(mic(X, Z));
      tripSpecs[X].push(
        { atoms: [y, z], deg: 2 },
        { atoms: [y, o, z], deg: 2 },
        { atoms: [y, z, y], deg: 1 },
        { atoms: [z, y, z], deg: 1 },
      );
    }
  }
}
log(`${nTrip} triplets (${(nTrip / N).toFixed(1)} per atom) with the first-shell cutoff`);

const full = new Float64Array(K.length);
const floor = new Float64Array(K.length);
const floor2 = new Float64Array(K.length);
let nFull = 0,
  nFloor = 0;
// absorbers: all atoms, or a seeded random subset S (then ours is the subset's share: its pairs
// exactly, and each triplet weighted by the fraction n_T/3 of its atoms in S — unbiased, and its
// noise averages out over the thousands of triplets; `ours_vs_floor` measures what is left)
const order = Array.from({ length: N }, (_, i) => i);
let seed = 12345;
for (let i = N - 1; i > 0; i--) {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  const j = seed % (i + 1);
  [order[i], order[j]] = [order[j], order[i]];
}
const S = order.slice(0, nAbs);
const inS = new Uint8Array(N);
for (const i of S) inS[i] = 1;
function oursOn(cut) {
  const chi = new Float64Array(K.length);
  for (const i of S)
    for (let a = nl2.start[i]; a < nl2.start[i + 1]; a++) {
      const g = gamma2At(tables, nl2.r[a], K);
      for (let q = 0; q < K.length; q++) chi[q] += g[q] / nAbs;
    }
  for (const [v, pp, qq, ra, rb, th] of cut === cutoff3 ? trip : triplets(cut)) {
    const w = (inS[v] + inS[pp] + inS[qq]) / 3 / nAbs;
    if (w === 0) continue;
    const g = gamma3At(tables, ra, rb, th, K);
    for (let q = 0; q < K.length; q++) chi[q] += w * g[q];
  }
  return chi;
}
// --same-paths NT: our tables against FEFF on exactly the paths they hold, over every absorber (no
// path-expansion question, no absorber sampling): the pair paths of every pair (each unordered pair
// once, both atoms absorbers: the two paths are the same geometry) and all 12 paths of NT triplets
// drawn from the configuration's triplets (the same draw on both sides, scaled to the triplets per
// atom). |rms(ours vs full) − rms(floor vs full)| ≤ rms(ours vs floor) (triangle inequality).
if (opt('same-paths')) {
  const nT = Number(opt('same-paths'));
  const tables = loadTables(el, 'K');
  const pairSpecs1 = [];
  const ours2 = new Float64Array(K.length);
  for (let i = 0; i < N; i++)
    for (let a = nl2.start[i]; a < nl2.start[i + 1]; a++) {
      if (nl2.index[a] < i) continue;
      const s = at([nl2.dx[a], nl2.dy[a], nl2.dz[a]]);
      pairSpecs1.push({ atoms: [s], deg: 1 }, { atoms: [s, o, s], deg: 1 });
      const g = gamma2At(tables, nl2.r[a], K);
      for (let q = 0; q < K.length; q++) ours2[q] += (2 * g[q]) / N;
    }
  let sd = 777;
  const idx = Array.from({ length: trip.length }, (_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    sd = (sd * 1103515245 + 12345) % 2147483648;
    const j = sd % (i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const sample = idx.slice(0, Math.min(nT, idx.length)).map((i) => trip[i]);
  const w3 = trip.length / sample.length / N;
  const tSpecs = [];
  const ours3 = new Float64Array(K.length);
  for (const [v, pp, qq, ra, rb, th] of sample) {
    for (const X of [v, pp, qq]) {
      const [Y, Z] = [v, pp, qq].filter((t) => t !== X);
      const y = at(mic(X, Y)),
        z = at(mic(X, Z));
      tSpecs.push(
        { atoms: [y, z], deg: 2 },
        { atoms: [y, o, z], deg: 2 },
        { atoms: [y, z, y], deg: 1 },
        { atoms: [z, y, z], deg: 1 },
      );
    }
    const g = gamma3At(tables, ra, rb, th, K);
    for (let q = 0; q < K.length; q++) ours3[q] += w3 * g[q];
  }
  log(
    `same paths: ${pairSpecs1.length} pair paths (all pairs), ${tSpecs.length} triplet paths (${sample.length} of ${trip.length} triplets)`,
  );
  const f2 = new Float64Array(K.length),
    f3 = new Float64Array(K.length);
  runPaths(pots, pairSpecs1, { batch: 9999 }).forEach((r) => {
    const c = pathChi(r, K);
    for (let q = 0; q < K.length; q++) f2[q] += (2 * c[q]) / N;
  });
  runPaths(pots, tSpecs, { batch: 9999 }).forEach((r) => {
    const c = pathChi(r, K);
    for (let q = 0; q < K.length; q++) f3[q] += w3 * c[q];
  });
  const oursAll = computeChi(conf, tables, { kGrid: K, rmax2: RMAX2 });
  const fo = f2.map((x, q) => x + f3[q]);
  const oo = ours2.map((x, q) => x + ours3[q]);
  // fast contraction against the point sums over every pair and every triplet
  const full3 = new Float64Array(K.length);
  for (const [, , , ra, rb, th] of trip) {
    const g = gamma3At(tables, ra, rb, th, K);
    for (let q = 0; q < K.length; q++) full3[q] += g[q] / N;
  }
  const res = {
    file,
    cutoff3,
    rmax2: RMAX2,
    pairPaths: pairSpecs1.length,
    tripletPaths: tSpecs.length,
    tripletsSampled: sample.length,
    triplets: trip.length,
    ours_vs_floor: relativeRmsK(K, oo, fo),
    ours_vs_floor_2body: relativeRmsK(K, ours2, f2),
    ours_vs_floor_3body: relativeRmsK(K, ours3, f3),
    contraction_vs_point_sums: relativeRmsK(
      K,
      oursAll.chi,
      ours2.map((x, q) => x + full3[q]),
    ),
  };
  console.log(JSON.stringify(res, null, 1));
  process.exit(0);
}

// per-absorber FEFF results are appended to --cache (JSON lines), so a long run can resume
const cacheFile = opt('cache');
const cached = new Map();
const cacheKey = JSON.stringify({ file, RMAX, NLEG, RMAX2, cutoff3: cutoff3.toFixed(6) });
if (cacheFile && existsSync(cacheFile))
  for (const line of readFileSync(cacheFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const e = JSON.parse(line);
    if (e.key === cacheKey) cached.set(e.i, e);
  }
const t0 = Date.now();
for (let n = 0; n < nAbs; n++) {
  const i = S[n];
  let e = cached.get(i);
  if (!e) {
    const f = feffFull(i);
    const res = runPaths(pots, [...pairSpecs[i], ...tripSpecs[i]], { batch: 9999 });
    const fl = new Float64Array(K.length),
      fl2 = new Float64Array(K.length);
    res.forEach((r, j) => {
      const c = pathChi(r, K);
      for (let q = 0; q < K.length; q++) {
        fl[q] += c[q];
        if (j < pairSpecs[i].length) fl2[q] += c[q];
      }
    });
    e = {
      key: cacheKey,
      i,
      nFull: f.n,
      nFloor: res.length,
      full: Array.from(f.chi),
      floor: Array.from(fl),
      floor2: Array.from(fl2),
    };
    if (cacheFile) appendFileSync(cacheFile, JSON.stringify(e) + '\n');
  }
  nFull += e.nFull;
  nFloor += e.nFloor;
  for (let q = 0; q < K.length; q++) {
    full[q] += e.full[q] / nAbs;
    floor[q] += e.floor[q] / nAbs;
    floor2[q] += e.floor2[q] / nAbs;
  }
  if ((n + 1) % 8 === 0 || n + 1 === nAbs)
    log(
      `absorber ${n + 1}/${nAbs}: ${(nFull / (n + 1)).toFixed(0)} FEFF paths (full), ${(nFloor / (n + 1)).toFixed(0)} (2+3-body) per absorber, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
}

const tables = loadTables(el, 'K');
// the fast contraction over every absorber, and the point-by-point sums over S (equal when S is all)
const oursAll = computeChi(conf, tables, { kGrid: K, rmax2: RMAX2 });
const ours = oursOn(cutoff3);
const oursOld = oursOn(OLD_CUT);

/** relative RMS of a against the reference b after fitting one ΔE to a (a shifted by spline interpolation). */
function fitted(a, b) {
  const at = (dE) => {
    const kp = Array.from(K, (k) => Math.sqrt(Math.max(0, k * k + ETOK * dE)));
    return relativeRmsK(K, splineInterp(K, a, kp), b);
  };
  let best = 0,
    e = at(0);
  for (let dE = -6; dE <= 6 + 1e-9; dE += 0.1) {
    const v = at(dE);
    if (v < e) [e, best] = [v, dE];
  }
  for (let h = 0.05; h > 0.001; h /= 2)
    for (const d of [best - h, best + h]) {
      const v = at(d);
      if (v < e) [e, best] = [v, d];
    }
  return { rms: e, dE: best, rms0: at(0) };
}
const out = {
  file,
  element: el,
  atoms: N,
  absorbers: nAbs,
  absorberSet: S_LABEL,
  feff: {
    rmax: RMAX,
    nleg: NLEG,
    criteria: '0 0',
    potentials: `${pots.version}: ${fix} (the shipped tables' phase.pad)`,
    pathsPerAbsorberFull: nFull / nAbs,
    pathsPerAbsorberFloor: nFloor / nAbs,
  },
  rmax2: RMAX2,
  cutoff3,
  tripletsPerAtom: nTrip / N,
  seconds: (Date.now() - t0) / 1000,
  floor_vs_full: fitted(floor, full),
  ours_vs_full: fitted(ours, full),
  ours_old_cutoff_vs_full: { cutoff3: OLD_CUT, ...fitted(oursOld, full) },
  ours_vs_floor: fitted(ours, floor),
  ours_all_absorbers_vs_full: fitted(oursAll.chi, full),
  two_body_only_floor_vs_full: fitted(floor2, full),
};
console.log(JSON.stringify(out, null, 1));
const j = opt('json');
if (j)
  writeFileSync(
    j,
    JSON.stringify({
      ...out,
      k: Array.from(K),
      full: Array.from(full),
      floor: Array.from(floor),
      ours: Array.from(ours),
    }) + '\n',
  );
