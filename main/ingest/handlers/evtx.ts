// Binary EVTX files: records are parsed chunk by chunk (on worker threads for large
// files) and mapped to unified events; carved records are marked as recovered.

import { EvtxReader } from '../../formats/evtx/index.ts';
import type { EvidenceHandler } from '../handler.ts';
import { readAll } from './read-all.ts';
import { WindowsEventStore } from './windows-events.ts';

const SIGNATURE = 'ElfFile\0';

export const evtxHandler: EvidenceHandler = {
  kind: 'evtx',
  parser: 'casebook-evtx@1',
  detect(sample) {
    return sample.head.length >= 8 && Buffer.from(sample.head.subarray(0, 8)).toString('latin1') === SIGNATURE;
  },
  async run(input, sink) {
    const bytes = await readAll(input.open());
    const reader = await EvtxReader.open(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { workers: 'auto' });
    const store = new WindowsEventStore(sink);
    for await (const record of reader.records()) await store.push(record.event);
    await store.end();
    const report = reader.report;
    for (const problem of report.problems) {
      const position =
        problem.chunkIndex === null
          ? `offset 0x${problem.fileOffset.toString(16)}`
          : `chunk ${problem.chunkIndex} offset 0x${problem.fileOffset.toString(16)}`;
      const severity = problem.kind === 'corrupt-record' || problem.kind === 'bad-binxml' ? 'error' : 'warning';
      sink.issue({ severity, position, message: problem.message });
    }
    const notes = [`${report.records} records, ${report.recovered} recovered from slack, ${report.corrupt} corrupt`];
    if (report.dirty || report.foundChunks !== report.declaredChunks) {
      notes.push(`file header ${report.dirty ? 'is dirty and ' : ''}declares ${report.declaredChunks} chunks; ${report.foundChunks} found`);
    }
    notes.push(...store.notes());
    return { notes, recovered: report.recovered };
  },
};
