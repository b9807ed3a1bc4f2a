/**
 * src/xas — measured spectra: readers (XDI, plain columns, Athena projects, χ(k) files),
 * E0 / pre-edge / normalisation, AUTOBK background, windows and XAFS Fourier transforms.
 * Everything exported here is browser-safe; file access lives in ./node-io.js (Node only).
 */
export {
  processSpectrum,
  processMu,
  processData,
  type ProcessOptions,
  type ProcessResult,
} from './process.js';
export {
  readSpectrum,
  type ReadOptions,
  type SpectrumData,
  type MuData,
  type ChiData,
  type SpectrumFormat,
} from './read.js';
export { prepareMu, type PreparedMu } from './prepare.js';
export {
  preEdge,
  findE0,
  findE0Index,
  findE0SmoothIndex,
  derivative,
  type PreEdgeOptions,
  type PreEdgeResult,
} from './preedge.js';
export { autobk, type AutobkOptions, type AutobkResult } from './autobk.js';
export { FT_DEFAULTS, resolveFt, type FtSettings } from './ftDefaults.js';
export { xftf, xftr, type XftfOptions, type XftfResult, type XftrOptions, type XftrResult } from './ft.js';
export { ftwindow, windowName, besselI0, WINDOW_NAMES, type WindowName } from './window.js';
export { fft } from './fft.js';
export { levenbergMarquardt, type LmProblem, type LmOptions, type LmResult } from './lm.js';
export {
  ETOK,
  KTOE,
  edgeEnergy,
  guessEdge,
  normaliseElement,
  normaliseEdge,
  atomicNumber,
  EDGE_NAMES,
  type EdgeName,
} from './constants.js';
export { parseXdi, isXdi } from './xdi.js';
export { parseColumns } from './columns.js';
export {
  parseAthenaProject,
  pickAthenaRecord,
  athenaParams,
  isAthenaProject,
  type AthenaRecord,
  type AthenaParams,
} from './athena.js';
export { selectMu, findColumn, type ColumnSelection, type ColumnTable } from './table.js';
export { spectrumTextFromBytes, decodeText, isGzip } from './bytes.js';
export {
  NotAKnotInterpolator,
  interpolatingBspline,
  bsplineEval,
  bsplineBasis,
  notAKnotKnots,
} from './spline.js';
export { polyfit, polyval, interp, indexOf, indexNearest, roundHalfEven } from './numeric.js';
