/**
 * Progress on stderr: a live bar on a terminal (cli-progress), periodic plain lines otherwise
 * (logs, CI), nothing when quiet. Never writes to stdout, so --json output stays clean.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, info?: string): void;
  stop(): void;
}

export function progress(
  label: string,
  total: number,
  opts: { quiet?: boolean; unit?: string } = {},
): Progress {
  if (opts.quiet) return { update() {}, stop() {} };
  const unit = opts.unit ?? '';
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `${label} [{bar}] {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted} {info}`,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    const t0 = Date.now();
    bar.start(total, 0, { info: '', rate: '0' });
    return {
      update(done, info = '') {
        const rate = done / Math.max(1e-3, (Date.now() - t0) / 1000);
        bar.update(done, { info, rate: rate.toFixed(rate < 10 ? 2 : 0) });
      },
      stop() {
        bar.stop();
      },
    };
  }
  const t0 = Date.now();
  let last = 0;
  return {
    update(done, info = '') {
      const now = Date.now();
      if (now - last < 2000 && done < total) return;
      last = now;
      const el = (now - t0) / 1000;
      const rate = done / Math.max(1e-3, el);
      const eta = rate > 0 ? (total - done) / rate : Infinity;
      process.stderr.write(
        `${label}: ${done}/${total} ${unit} (${rate.toFixed(2)}/s, ETA ${Number.isFinite(eta) ? eta.toFixed(0) + ' s' : '?'}) ${info}\n`,
      );
    },
    stop() {},
  };
}
