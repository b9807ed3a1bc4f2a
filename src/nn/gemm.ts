/**
 * Single-precision matrix products on row-major Float32Arrays, and the Adam update.
 * The native addon (native/, OpenBLAS sgemm) is used when it has been built; otherwise a plain
 * JavaScript kernel (correct but slow: fine for tiny networks, tests and one-spectrum prediction).
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/packagePaths.js';

/**
 * C = alpha · op(A) · op(B) + beta · C, row-major; op(A) is M×K, op(B) is K×N, C is M×N.
 * transA: A is stored K×M; transB: B is stored N×K.
 */
export type Gemm = (
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float32Array,
  B: Float32Array,
  beta: number,
  C: Float32Array,
) => void;

/** In-place Adam step (Kingma & Ba 2015) with bias-corrected step size lrT = lr·√(1−β2ᵗ)/(1−β1ᵗ). */
export type AdamUpdate = (
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  lrT: number,
  beta1: number,
  beta2: number,
  eps: number,
) => void;

export const gemmJs: Gemm = (transA, transB, M, N, K, alpha, A, B, beta, C) => {
  if (beta !== 1) for (let i = 0; i < M * N; i++) C[i] = beta === 0 ? 0 : C[i] * beta;
  if (!transB) {
    // C[i,:] += alpha · A(i,p) · B[p,:]  (inner loop contiguous in B and C)
    for (let i = 0; i < M; i++) {
      const ci = i * N;
      for (let p = 0; p < K; p++) {
        const a = alpha * (transA ? A[p * M + i] : A[i * K + p]);
        if (a === 0) continue;
        const bp = p * N;
        for (let j = 0; j < N; j++) C[ci + j] += a * B[bp + j];
      }
    }
  } else {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        const bj = j * K;
        if (transA) for (let p = 0; p < K; p++) s += A[p * M + i] * B[bj + p];
        else {
          const ai = i * K;
          for (let p = 0; p < K; p++) s += A[ai + p] * B[bj + p];
        }
        C[i * N + j] += alpha * s;
      }
    }
  }
};

export const adamJs: AdamUpdate = (p, g, m, v, lrT, b1, b2, eps) => {
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + c1 * gi;
    const vi = b2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] -= (lrT * mi) / (Math.sqrt(vi) + eps);
  }
};

export interface NativeKernels {
  sgemm: Gemm;
  adam: AdamUpdate;
  setThreads(n: number): void;
  info: string;
}

let nativeCache: NativeKernels | null | undefined;
let nativeError = '';

/** Path of the built addon (native/build/exafsnn_blas.node), whether or not it exists. */
export function nativeAddonPath(): string {
  return join(packageRoot(), 'native', 'build', 'exafsnn_blas.node');
}

/** The native kernels, or null when the addon is not built or fails to load (see nativeLoadError). */
export function loadNative(): NativeKernels | null {
  if (nativeCache !== undefined) return nativeCache;
  const path = process.env.EXAFSNN_NATIVE_ADDON ?? nativeAddonPath();
  if (!existsSync(path)) {
    nativeError = `native addon not built (${path} missing; run native/build.sh)`;
    nativeCache = null;
    return null;
  }
  try {
    const req = createRequire(import.meta.url);
    const mod = req(path) as {
      sgemm(
        ta: number,
        tb: number,
        M: number,
        N: number,
        K: number,
        alpha: number,
        A: Float32Array,
        B: Float32Array,
        beta: number,
        C: Float32Array,
      ): void;
      adam(
        p: Float32Array,
        g: Float32Array,
        m: Float32Array,
        v: Float32Array,
        lrT: number,
        b1: number,
        b2: number,
        eps: number,
      ): void;
      setThreads(n: number): void;
      info(): string;
    };
    nativeCache = {
      sgemm: (ta, tb, M, N, K, alpha, A, B, beta, C) =>
        mod.sgemm(ta ? 1 : 0, tb ? 1 : 0, M, N, K, alpha, A, B, beta, C),
      adam: (p, g, m, v, lrT, b1, b2, eps) => mod.adam(p, g, m, v, lrT, b1, b2, eps),
      setThreads: (n) => mod.setThreads(n),
      info: mod.info(),
    };
  } catch (e) {
    nativeError = `native addon at ${path} failed to load: ${(e as Error).message}`;
    nativeCache = null;
  }
  return nativeCache;
}

export function nativeLoadError(): string {
  loadNative();
  return nativeError;
}
