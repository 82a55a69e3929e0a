// Measures EVTX parse throughput on one file, on the calling thread and on worker threads.
// Usage: node --import tsx main/formats/evtx/bench-parse.ts FILE [RUNS]
// Each mode runs once to warm up (JIT, worker start-up), then RUNS times; the median is printed.
// Records are streamed and dropped, as an importer consumes them.

// biome-ignore lint/style/noRestrictedImports: a command-line benchmark reads its input file; the parser itself stays pure
import { readFileSync } from 'node:fs';
import { ChunkPool } from './pool.ts';
import { EvtxReader } from './reader.ts';

const file = process.argv[2];
if (!file) {
  console.error('usage: node --import tsx main/formats/evtx/bench-parse.ts FILE [RUNS]');
  process.exit(2);
}
const runs = Number(process.argv[3] ?? 5);
const bytes = new Uint8Array(readFileSync(file));

for (const workers of [0, ChunkPool.defaultSize()]) {
  const times: number[] = [];
  let records = 0;
  for (let run = 0; run <= runs; run++) {
    const started = performance.now();
    const reader = await EvtxReader.open(bytes, { workers });
    for await (const record of reader.records()) if (record.recordId < 0n) throw new Error('negative record id');
    const ms = performance.now() - started;
    records = reader.report.records;
    if (run > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const mbPerSecond = bytes.length / 1e6 / (median / 1000);
  const recordsPerSecond = records / (median / 1000);
  console.log(
    `workers=${workers} records=${records} median ${median.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[times.length - 1]!.toFixed(0)}) ${mbPerSecond.toFixed(1)} MB/s, ${Math.round(recordsPerSecond)} records/s`,
  );
}
await ChunkPool.closeShared();
