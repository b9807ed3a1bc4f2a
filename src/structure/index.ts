export * from './types.js';
export * from './lattice.js';
export * from './neighbours.js';
