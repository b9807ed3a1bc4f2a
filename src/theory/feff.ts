/**
 * FEFF 8.5 in four modules (this file re-exports them for older imports):
 *   feffSolid.ts  reference solids, edges, settings, the cluster around the absorber
 *   feffFiles.ts  feff.inp and paths.dat writers, the feffNNNN.dat parser
 *   feffRun.ts    install check, running the stages, potentials cache, runPaths
 *   pathChi.ts    χ(k) of one path from its feffNNNN.dat columns
 */
export * from './feffSolid.js';
export * from './feffFiles.js';
export * from './feffRun.js';
export * from './pathChi.js';
