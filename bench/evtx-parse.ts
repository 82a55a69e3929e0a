// Child process of the EVTX benchmark. It parses one file twice with the Casebook EVTX
// reader on worker threads (one per core, as the import does) and prints one JSON line
// with the record counts and both parse times, file reading excluded. The first pass
// includes starting the workers (about 0.5 s under tsx); the second runs warm.
// Usage: node --import tsx bench/evtx-parse.ts FILE

import { readFile } from 'node:fs/promises';
import { ChunkPool, EvtxReader } from '../main/formats/evtx/index.ts';

const file = process.argv[2];
if (!file) {
  console.error('usage: node --import tsx bench/evtx-parse.ts FILE');
  process.exit(2);
}
const bytes = new Uint8Array(await readFile(file));

async function parseOnce(): Promise<{ records: number; recovered: number; seconds: number }> {
  const started = performance.now();
  const reader = await EvtxReader.open(bytes, { workers: 'auto' });
  let records = 0;
  let dataItems = 0;
  for await (const record of reader.records()) {
    records += 1;
    // Touch the decoded values so no lazy part of the record is skipped.
    dataItems += record.event.eventData?.length ?? 0;
  }
  if (dataItems < 0) throw new Error('unreachable: keeps the loop body from being optimised away');
  return { records, recovered: reader.report.recovered, seconds: (performance.now() - started) / 1000 };
}

const cold = await parseOnce();
const warm = await parseOnce();
await ChunkPool.closeShared();
console.log(JSON.stringify({ records: cold.records, recovered: cold.recovered, coldSeconds: cold.seconds, warmSeconds: warm.seconds }));
