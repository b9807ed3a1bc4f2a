#!/usr/bin/env node
/**
 * The `exafsnn` command. Each sub-command lives in its own module under ./commands/ and
 * exports `register(program)`; modules are discovered at start-up so stages stay independent.
 * Command modules must import their heavy implementation lazily (inside the action).
 */
import { Command } from 'commander';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { reportError } from './output.js';
import { packageVersion } from '../util/packagePaths.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface CommandModule {
  register(program: Command): void;
}

async function main(): Promise<void> {
  const program = new Command();
  program
    .name('exafsnn')
    .description(
      'Local structure from EXAFS with deep neural networks: g(r) and the bond-angle distribution N(θ)\n' +
        'of the nearest neighbours, with error bars, from a measured spectrum.',
    )
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    // a usage mistake (unknown option, missing argument) is a user error: exit 2, like every
    // UserError; --help and --version exit 0 (sub-commands inherit this)
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  const dir = join(here, 'commands');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort();
  for (const f of files) {
    const mod = (await import(join(dir, f))) as Partial<CommandModule>;
    if (typeof mod.register === 'function') mod.register(program);
  }
  await program.parseAsync(process.argv);
}

main().catch((e) => {
  reportError(e); // sets the exit status: 2 for a UserError, 1 for an internal error
  process.exit(process.exitCode || 1);
});
