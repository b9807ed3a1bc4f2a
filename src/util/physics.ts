/**
 * The photoelectron k ↔ E constant, the one definition in exafsnn (docs/design.md, Conventions).
 * Dependency-free so that the browser bundle (src/xas, web/) and the Node-only code (src/exafs,
 * src/nn) import the same number.
 *
 * E − E0 = ħ²k²/(2mₑ), so k[Å⁻¹] = √(ETOK · (E − E0)[eV]) with ETOK = 2mₑe/ħ² · 10⁻²⁰ and
 * KTOE = 1/ETOK. Inputs: CODATA 2018 (Tiesinga et al., Rev. Mod. Phys. 93, 025010 (2021);
 * https://physics.nist.gov/cuu/Constants/): h and e exact in the 2019 SI, mₑ = 9.1093837015(28)·10⁻³¹
 * kg. This is the expression of Larch's xafsutils (KTOE = 10²⁰ħ²/(2mₑe) from scipy.constants)
 * with the constants of the SciPy (1.10, CODATA 2018) under the Larch 0.9.58 that made the
 * references in test/fixtures/xas, so the value is bit-for-bit theirs: KTOE = 3.8099821161548597
 * eV·Å², ETOK = 0.2624684236075176 eV⁻¹Å⁻². CODATA 2022 (mₑ = 9.1093837139·10⁻³¹ kg, SciPy ≥ 1.15)
 * moves it by 1.4·10⁻⁹ relative; the 3.8099819442818976 in Larch's comment is CODATA 2010
 * (4.4·10⁻⁸ away).
 */

/** Planck constant h [J·s] (exact, 2019 SI). */
const PLANCK_H = 6.62607015e-34;
/** Elementary charge e [C] (exact, 2019 SI). */
const ELEMENTARY_CHARGE = 1.602176634e-19;
/** Electron mass mₑ [kg] (CODATA 2018). */
const ELECTRON_MASS = 9.1093837015e-31;
const HBAR = PLANCK_H / (2 * Math.PI);

/** ħ²/(2mₑe) in eV·Å²: E − E0 = KTOE · k². */
export const KTOE = (1e20 * HBAR ** 2) / (2 * ELECTRON_MASS * ELEMENTARY_CHARGE);
/** 2mₑe/ħ² in eV⁻¹Å⁻²: k[Å⁻¹] = √(ETOK · (E − E0)[eV]); 0.262468424 (see above). */
export const ETOK = 1 / KTOE;
