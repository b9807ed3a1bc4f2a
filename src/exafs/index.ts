/** χ(k) from configurations and γ tables: the configurational average, ΔE shift, k grids. */
export * from './kgrid.js';
export * from './chi.js';
export { loadTables, readTables, type GammaTables } from '../theory/table.js';
