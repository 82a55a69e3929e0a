// Benchmark runner: `npm run bench -- <name> [--rows N] [--smoke]`. Figures are printed beside a
// reference measured in the same run; they are recorded in docs/benchmarks.md.

import { benchEvtx } from './evtx.ts';
import { benchZeek } from './zeek.ts';

const [name = 'zeek', ...rest] = process.argv.slice(2);
const rowsFlag = rest.indexOf('--rows');
const rows = rowsFlag >= 0 ? Number(rest[rowsFlag + 1]) : 1_000_000;

const benches: Record<string, () => Promise<void>> = {
  zeek: () => benchZeek({ rows }),
  evtx: () => benchEvtx({ smoke: rest.includes('--smoke') }),
};

const bench = benches[name];
if (!bench) {
  console.error(`unknown benchmark ${JSON.stringify(name)}: choose one of ${Object.keys(benches).join(', ')}`);
  process.exitCode = 2;
} else {
  await bench();
}
