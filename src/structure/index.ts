export * from './types.js';
export * from './lattice.js';
export * from './neighbours.js';
export * from './cells.js';
export * from './xyz.js';
export * from './lammpsDump.js';
export * from './io.js';
export { FrameFileWriter, isConfiguration } from './frameWriter.js';
export * from './species.js';
