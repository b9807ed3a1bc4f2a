/**
 * Molecular dynamics: EAM potentials (funcfl/setfl, LAMMPS-identical interpolation, ZJW 2004
 * tabulation), the builtin engine (velocity Verlet, CSVR thermostat, Verlet lists, tethers) and
 * the LAMMPS engine behind one MdEngine interface. See docs/md.md.
 */
export * from './units.js';
export * from './eam.js';
export * from './zhou.js';
export * from './forcefield.js';
export * from './thermostat.js';
export * from './system.js';
export * from './spec.js';
export * from './builtin.js';
export * from './lammpsIo.js';
export * from './lammps.js';
export * from './engine.js';
export * from './potentials.js';
