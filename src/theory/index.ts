/** γ(2), γ(3) tables from FEFF 8.5: driver, builder, file format, interpolation. */
export * from './feffSolid.js';
export * from './feffFiles.js';
export * from './feffRun.js';
export * from './pathChi.js';
export * from './paths.js';
export * from './table.js';
export * from './build.js';
export { splineInterp, splinePlan, splineApply, splineSecondDerivatives } from './spline.js';
