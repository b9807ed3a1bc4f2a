/**
 * Datasets: sweep specs and presets, generation (workers, shards, resume), HDF5 storage.
 *
 * Public face. Reading a dataset needs only `readDataset` / `DatasetReader` (h5wasm, no MD or
 * EXAFS code is loaded). The real per-task pipeline (MD → analysis → χ) lives in ./pipeline.ts and
 * ./estimate.ts, which import src/md, src/analysis and src/exafs; they are loaded by the worker
 * threads and the CLI only, never through this index.
 */
export * from './h5.js';
export * from './spec.js';
export * from './presets.js';
export * from './record.js';
export * from './journal.js';
export * from './label.js';
export * from './rebin.js';
export * from './sampler.js';
export * from './generate.js';
export * from './merge.js';
export * from './info.js';
