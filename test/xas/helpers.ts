/** Shared helpers for the xas tests: fixture paths and the Larch reference. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
/** test/fixtures/xas in the source tree (tests run from dist/test/xas). */
export const FIXTURES = join(here, '..', '..', '..', 'test', 'fixtures', 'xas');
export const REPO = join(here, '..', '..', '..');

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function fixtureText(name: string): string {
  return readFileSync(fixture(name), 'utf8');
}

export interface LarchRef {
  larch_version: string;
  results: Array<{
    file: string;
    e0: number;
    edge_step: number;
    k: number[];
    chi: number[];
    seconds: number;
  }>;
  variants: Array<{
    file: string;
    pre_edge: Record<string, number>;
    autobk: Record<string, number | string>;
    e0: number;
    edge_step: number;
    chisqr: number;
    k: number[];
    chi: number[];
  }>;
  extras: {
    windows: Record<string, { dx: number; w: number[] }>;
    xftf: {
      file: string;
      opts: Record<string, number | string>;
      r: number[];
      chir_re: number[];
      chir_im: number[];
      chir_mag: number[];
    };
    xftr: { opts: Record<string, number | string>; q: number[]; chiq_re: number[]; chiq_im: number[] };
  };
}

export function larchRef(): LarchRef {
  return JSON.parse(fixtureText('larch-reference.json')) as LarchRef;
}

/** Relative RMS of k^w·(a − b) against k^w·b (shared metric, src/util/compare.ts). */
export { relativeRmsK as relRms } from '../../src/util/compare.js';
