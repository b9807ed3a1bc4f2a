/**
 * Shared types of the neural-network stage: the in-memory training set, the architecture, the
 * training settings and the network engines that run them.
 */

/** A training set in memory (one row per sample, row-major). */
export interface TrainingData {
  /** number of samples */
  n: number;
  /** k grid of chi [Å⁻¹], ascending */
  k: Float64Array;
  /** χ(k) (not k-weighted), n × nk */
  chi: Float32Array;
  /** r grid of g(r) [Å] */
  r: Float64Array;
  /** g(r), normalised to 1 at large r, n × nr */
  gr: Float32Array;
  /** θ grid of N(θ) [degrees] */
  theta: Float64Array;
  /** N(θ) per degree, n × nθ */
  bad: Float32Array;
  /** number density ρ [Å⁻³] of each sample (for coordination numbers) */
  density: Float32Array;
  /** structure class label of each sample (e.g. "fcc", "liquid") */
  structure: string[];
  /**
   * numeric per-sample labels by dataset /meta column name (e.g. the local-order columns
   * pairs_1551 … cna_other), the targets of heads that name `columns`
   */
  labels?: Record<string, Float32Array>;
  /** where it came from (file name, checksum, generator) — stored in the model */
  identity?: Record<string, unknown>;
}

/** Architecture: input nIn → hidden (ReLU) → one linear output layer holding all heads. */
export interface Architecture {
  nIn: number;
  hidden: number[];
  /** output layout: the heads in order, each a contiguous slice of the last layer */
  heads: HeadSpec[];
}

/**
 * One head: a contiguous slice of the output layer. 'g', 'bad', 'density' are g(r), N(θ), ρ; a head
 * with `columns` predicts those dataset /meta columns (TrainingData.labels), e.g. 'local_order'; any
 * other named head gets its targets from the trainer (zeros unless the trainer fills them).
 */
export interface HeadSpec {
  name: string;
  size: number;
  /** weight of this head's mean squared error in the loss */
  weight: number;
  /** dataset /meta columns that are this head's targets, in output order (size entries) */
  columns?: string[];
}

/** The local-order head: HA pair shares and conventional-CNA fractions (src/analysis/localOrder.ts). */
export const LOCAL_ORDER_HEAD = 'local_order';
export { LOCAL_ORDER_COLUMNS } from '../analysis/localOrderColumns.js';

export function outputSize(a: Architecture): number {
  return a.heads.reduce((s, h) => s + h.size, 0);
}

/** Layer sizes [nIn, ...hidden, nOut]. */
export function layerSizes(a: Architecture): number[] {
  return [a.nIn, ...a.hidden, outputSize(a)];
}

/** Weights of a dense network: W[l] is (in × out) row-major, b[l] has out entries. */
export interface Params {
  W: Float32Array[];
  b: Float32Array[];
}

export interface AdamSettings {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export const DEFAULT_ADAM: AdamSettings = { lr: 1e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/**
 * A network engine: owns parameters and optimizer state, trains on a batch, predicts.
 * Inputs/targets are already standardised/scaled, row-major Float32Arrays.
 */
export interface NetEngine {
  readonly name: string;
  /** One Adam step on a batch of `n` rows; returns the weighted loss of the batch before the step. */
  trainBatch(x: Float32Array, y: Float32Array, n: number): number;
  /** Forward pass of n rows → n × nOut. */
  predict(x: Float32Array, n: number): Float32Array;
  getParams(): Params;
  setParams(p: Params): void;
  dispose(): void;
}

export type EngineName = 'wasm' | 'native' | 'js';
