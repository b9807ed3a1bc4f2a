/**
 * Units of the MD engine (the LAMMPS "metal" set): length Å, energy eV, time ps, mass amu
 * (g/mol), temperature K, pressure reported in GPa.
 *
 * Conversion constants from CODATA 2018:
 *   1 amu·Å²/ps² = 1.66053906660e-27 kg · 1e-20 m² / 1e-24 s² = 1.66053906660e-23 J
 *                = 1.0364269656e-4 eV           (MVV2E; equivalently 1 amu·Å²/fs² = 103.6427 eV)
 *   1 eV/(Å·amu) = 9648.5332 Å/ps²              (FTM2V = 1/MVV2E: force/mass → acceleration)
 *   1 eV/Å³      = 160.21766 GPa                (EVA3_GPA)
 */
export const MVV2E = 1.6605390666e-23 / 1.602176634e-19;
export const FTM2V = 1 / MVV2E;
/** Boltzmann constant in eV/K (CODATA 2018, exact SI definitions). */
export const KB = 1.380649e-23 / 1.602176634e-19;
export const EVA3_GPA = 1.602176634e-19 / 1e-30 / 1e9;
/** eV/Å³ → bar (LAMMPS metal pressure unit). */
export const EVA3_BAR = EVA3_GPA * 1e4;
