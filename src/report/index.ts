/**
 * Public face of the report stage: SVG plots (browser-safe), the standard EXAFS figures, the
 * self-contained HTML pages of `predict` and `evaluate`, and (Node only) writing them to a folder.
 * Browser code should import './plot.js', './figures.js' and './html.js' directly: './write.js'
 * and './png.js' use node:fs.
 */
export * from './types.js';
export { plotSvg, niceTicks, logTicks, formatTick, stdBand, escapeXml, wrapText, PALETTE } from './plot.js';
export type { PlotSpec, Series, Band, MarkerLine } from './plot.js';
export {
  muFigure,
  chikFigure,
  chirFigure,
  grFigure,
  badFigure,
  resimFigure,
  thetaPeaks,
  kwLabel,
} from './figures.js';
export { findPeaks } from './peaks.js';
export type { Peak, PeakOptions } from './peaks.js';
export { renderPredictReport, renderEvaluateReport, seriesRows, seriesCsv, pm, slug } from './html.js';
export type { RenderedReport } from './html.js';
export { writeReport } from './write.js';
export type { WriteReportOptions, WrittenReport } from './write.js';
export { svgToPng, loadResvg } from './png.js';
export {
  processingView,
  predictionView,
  spectrumReport,
  temperatureOf,
  attributionFor,
  resimulatedView,
  resimulatedViewOf,
  forwardCheckOfPrediction,
} from './adapters.js';
export { startServer, safeSegments, MIME } from './server.js';
export type { ServeOptions, RunningServer } from './server.js';
