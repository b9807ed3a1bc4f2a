/**
 * Public face of the neural-network stage: model, training (paper protocol: test split, k folds,
 * early stopping, ensemble), model directory, evaluation and the prediction API.
 */
export * from './types.js';
export { initParams, parseHidden, columnWeights, countParams } from './params.js';
export { gemmJs, loadNative, nativeLoadError, nativeAddonPath } from './gemm.js';
export type { Gemm, AdamUpdate, NativeKernels } from './gemm.js';
export { ArrayNet } from './arraynet.js';
export { TfNet } from './tfnet.js';
export { getTf } from './tfenv.js';
export * from './preprocess.js';
export { validateData, buildInputs, buildTargets, hasLabels, defaultHeads } from './data.js';
export { trainMember, createEngine, defaultEngine, NO_AUGMENTATION } from './train.js';
export { S02_HEAD, datasetS02 } from './data.js';
export type { Augmentation, MemberSettings, MemberResult, EpochInfo } from './train.js';
export { splitIndices, memberRows, trainEnsemble, memberSeed } from './protocol.js';
export type { Split, EnsembleOptions, EnsembleResult } from './protocol.js';
export { architectureFor, localOrderHead, s02Head, modelGrid, trainToDir } from './ensemble.js';
export type { HeadWeights } from './ensemble.js';
export {
  saveModelDir,
  loadModelDir,
  memberArtifacts,
  toFloat16Bits,
  fromFloat16Bits,
  MODEL_FORMAT,
  MODEL_VERSION,
} from './modeldir.js';
export type { ModelMeta, MemberMeta, WeightDtype, LoadedModel } from './modeldir.js';
export {
  loadEnsemble,
  ensembleFromModel,
  predictChi,
  combine,
  memberOutputs,
  headSlices,
} from './predict.js';
export type { Ensemble, EnsemblePrediction, MemberPrediction, FirstShellEstimate, ShellEstimate } from './predict.js';
export * from './uncertainty.js';
export type { EnsembleShape } from './combine.js';
export { evaluateEnsemble, checkDatasetGrids } from './evaluate.js';
export { evaluatePhases, formatPhases, phaseOf, PHASES } from './phases.js';
export type { Phase, PhaseEvaluation, PhaseScore, FractionError } from './phases.js';
export type { Evaluation } from './evaluate.js';
export { syntheticData } from './synthetic.js';
export { readTrainingData } from './dataset-adapter.js';
