// Benchmark runner: `npm run bench -- <name> [--rows N] [--events N,N...] [--smoke]`. Figures are printed beside a
// reference measured in the same run; they are recorded in docs/benchmarks.md.

import { benchEvtx } from './evtx.ts';
import { benchScale } from './scale.ts';
import { benchZeek } from './zeek.ts';

const [name = 'zeek', ...rest] = process.argv.slice(2);
const rowsFlag = rest.indexOf('--rows');
const rows = rowsFlag >= 0 ? Number(rest[rowsFlag + 1]) : 1_000_000;
const eventsFlag = rest.indexOf('--events');
const smoke = rest.includes('--smoke');
// The scale bench defaults to the two sizes recorded in docs/benchmarks.md; --smoke runs a tiny one.
const scales =
  eventsFlag >= 0
    ? String(rest[eventsFlag + 1])
        .split(',')
        .map(Number)
    : smoke
      ? [5_000]
      : [1_000_000, 10_000_000];

const benches: Record<string, () => Promise<void>> = {
  zeek: () => benchZeek({ rows }),
  evtx: () => benchEvtx({ smoke }),
  scale: () => benchScale({ scales }),
};

const bench = benches[name];
if (!bench) {
  console.error(`unknown benchmark ${JSON.stringify(name)}: choose one of ${Object.keys(benches).join(', ')}`);
  process.exitCode = 2;
} else {
  await bench();
}
