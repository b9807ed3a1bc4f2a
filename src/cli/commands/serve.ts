/**
 * `exafsnn serve`: the browser app on a local web server. Spectra are read and processed in the
 * browser; the server only hands out the app's files and the model directory, read-only.
 */
import type { Command } from 'commander';
import { action, numberOption, printJson } from '../output.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'Serve the browser app: drop a spectrum file and see μ(E), χ(k), g(r) ± σ, N(θ) ± σ and the first-shell numbers.\n' +
        'The networks run in the browser; the server is read-only and never receives your data.',
    )
    .option('--port <n>', 'TCP port (0 = any free port)', '8080')
    .option('--host <addr>', 'address to bind (default 127.0.0.1: this machine only)', '127.0.0.1')
    .option(
      '--model <dir|name>',
      'use this model for every spectrum (a model directory or a shipped model name); default: for each spectrum ' +
        'the shipped model of its element and edge (as predict chooses), the first shipped model before a spectrum is read',
    )
    .option('--json', 'print {"url", "model"} as JSON once listening')
    .action(
      action(async (opts: { port: string; host: string; model?: string; json?: boolean }) => {
        const port = numberOption('port', opts.port, { min: 0, max: 65535, integer: true }) as number;
        const { startServer } = await import('../../report/server.js');
        const { resolveServeModel, resolveTablesDir, appDir } = await import('../../report/serve-paths.js');
        const app = appDir();
        const model = resolveServeModel(opts.model);
        // without --model: every shipped/user model, so the app picks the one for each spectrum's
        // element (src/util/modelChoice.ts, as predict does); with --model: that model for all
        const { listModels, packageVersion } = await import('../../util/packagePaths.js');
        const { modelNameElementEdge } = await import('../../util/modelChoice.js');
        const models = opts.model
          ? []
          : listModels().map(([name, dir]) => ({ name, dir, ...modelNameElementEdge(name) }));
        const { UserError } = await import('../../util/errors.js');
        const s = await startServer({
          appDir: app,
          modelDir: model.dir,
          models,
          tablesDir: resolveTablesDir(),
          host: opts.host,
          port,
          config: { model_name: model.name, version: packageVersion() },
          log: process.env.EXAFSNN_DEBUG ? (l) => process.stderr.write(l + '\n') : undefined,
        }).catch((e: NodeJS.ErrnoException) => {
          if (e.code === 'EADDRINUSE')
            throw new UserError(
              `--port ${port}: the port is in use on ${opts.host}; choose another (--port 0 picks a free one)`,
            );
          if (e.code === 'EACCES')
            throw new UserError(
              `--port ${port}: not allowed to listen there (ports below 1024 need privileges)`,
            );
          if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
            throw new UserError(`--host ${opts.host}: not an address of this machine`);
          throw e;
        });
        if (opts.json)
          printJson({
            url: s.url,
            host: s.host,
            port: s.port,
            model: model.dir,
            model_name: model.name,
            models: models.map((m) => m.name),
          });
        else {
          process.stderr.write(`exafsnn serve: the app is at ${s.url}\n`);
          process.stderr.write(
            model.dir
              ? `  model: ${model.name} (${model.dir})\n`
              : `  no model found: the app will process spectra but cannot predict (${model.note})\n`,
          );
          if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1')
            process.stderr.write(`  note: bound to ${opts.host}, reachable from other machines\n`);
          process.stderr.write('  press Ctrl+C to stop\n');
        }
        const stop = () => {
          void s.close().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
    );
}
