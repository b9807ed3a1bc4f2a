/**
 * Output helpers shared by the commands: one JSON document on stdout for --json,
 * human-readable text otherwise, errors on stderr without stack traces for user errors.
 */
import { UserError } from '../util/errors.js';

/** Print one JSON document on stdout. Typed arrays become plain arrays; NaN/Inf become null. */
export function printJson(obj: unknown): void {
  process.stdout.write(
    JSON.stringify(obj, (_k, v) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView))
        return Array.from(v as unknown as ArrayLike<number>, fin);
      if (typeof v === 'number') return fin(v);
      return v;
    }) + '\n',
  );
}

function fin(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** The one-line hint printed under an internal error. */
export const INTERNAL_ERROR_HINT =
  'this is a bug in exafsnn, not a problem with your input: rerun with EXAFSNN_DEBUG=1 for the stack trace and report it';

/**
 * Print an error (docs/design.md, "Errors and exit status"). A UserError (bad input, a file that
 * does not parse, a missing tool) shows its message and exits 2; anything else is an internal
 * error: "internal error: MESSAGE", the hint to rerun with EXAFSNN_DEBUG=1 (which adds the
 * stack), exit 1.
 */
export function reportError(e: unknown): void {
  if (e instanceof UserError) {
    process.stderr.write(`exafsnn: error: ${e.message}\n`);
    process.exitCode = 2;
    return;
  }
  const err = e as Error;
  const msg = err?.message ?? String(e);
  process.stderr.write(`exafsnn: internal error: ${msg}\n`);
  if (process.env.EXAFSNN_DEBUG && err?.stack) process.stderr.write(err.stack + '\n');
  else process.stderr.write(`exafsnn: ${INTERNAL_ERROR_HINT}\n`);
  process.exitCode = 1;
}

/** Wrap a command action so that errors are reported cleanly and set the exit status. */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      reportError(e);
      process.exit(process.exitCode || 1);
    }
  };
}

/** Parse a number option, naming the option in the error. */
export function numberOption(
  name: string,
  value: string | number | undefined,
  opts: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const x = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'string' && value.trim() === '')
    throw new UserError(`--${name}: expected a number, got an empty string`);
  if (!Number.isFinite(x)) throw new UserError(`--${name}: expected a number, got "${value}"`);
  if (opts.integer && !Number.isInteger(x))
    throw new UserError(`--${name}: expected an integer, got ${value}`);
  if (opts.min !== undefined && x < opts.min)
    throw new UserError(`--${name}: must be ≥ ${opts.min}, got ${value}`);
  if (opts.max !== undefined && x > opts.max)
    throw new UserError(`--${name}: must be ≤ ${opts.max}, got ${value}`);
  return x;
}
