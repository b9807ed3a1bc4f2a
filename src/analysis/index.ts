/**
 * Structure analysis: g(r), coordination numbers and the first shell (firstShell.ts), the bond-angle
 * distribution N(θ), and structure fingerprints (a-CNA + identify-diamond). Definitions and
 * references: docs/analysis.md.
 */
export * from './rdf.js';
export * from './coordination.js';
export * from './firstShell.js';
export * from './angles.js';
export * from './fingerprint.js';
export * from './localOrder.js';
export * from './analyze.js';
