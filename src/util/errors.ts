/**
 * A user-facing error: bad input, a missing tool, a file that does not parse. The CLI prints
 * its message (no stack trace) and exits with status 2.
 */
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** An error located in a file: "FILE:LINE: message". */
export class FileFormatError extends UserError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    detail: string,
  ) {
    super(`${file}${line !== null ? `:${line}` : ''}: ${detail}`);
    this.name = 'FileFormatError';
  }
}
