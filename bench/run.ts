/**
 * `npm run bench -- NAME [--quick] [--json]`: runs bench/NAME (ours and the peer in the same run)
 * and prints the docs/design.md benchmark document (--json) or a readable table.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { BenchResult, BenchOptions } from './common.js';

const NAMES = ['neighbours', 'md', 'exafs', 'xas', 'dataset', 'nn'];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const quick = args.includes('--quick');
  const name = args.find((a) => !a.startsWith('--'));
  if (!name || !NAMES.includes(name)) {
    process.stderr.write(
      `usage: npm run bench -- NAME [--quick] [--json]   NAME one of ${NAMES.join(', ')}\n`,
    );
    process.exit(2);
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const file = join(here, `${name}.js`);
  if (!existsSync(file)) {
    process.stderr.write(`benchmark "${name}" is not built (${file} missing)\n`);
    process.exit(2);
  }
  const mod = (await import(file)) as { run(o: BenchOptions): Promise<BenchResult> };
  const res = await mod.run({ quick });
  if (json) {
    process.stdout.write(JSON.stringify(res) + '\n');
    return;
  }
  console.log(
    `bench ${res.bench} on ${res.machine.cpu_model} (${res.machine.cpus} cpus, node ${res.machine.node})`,
  );
  for (const c of res.cases) {
    const peer = c.peer ? `${c.peer.name} ${c.peer.version}: ${fmt(c.peer.value)} ${c.peer.unit}` : 'no peer';
    const sp = c.speedup === null ? '' : `  speedup ×${c.speedup.toFixed(2)}`;
    console.log(
      `  ${c.name} [${c.cores} core]: ours ${fmt(c.ours.value)} ${c.ours.unit} | ${peer}${sp} | peak ${c.peak_rss_mb} MB`,
    );
  }
  for (const n of res.notes) console.log(`  note: ${n}`);
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
