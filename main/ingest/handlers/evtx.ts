// Binary EVTX files: records are parsed chunk by chunk (on worker threads for large
// files) and mapped to unified events; carved records are marked as recovered.

import { type FileHandle, open } from 'node:fs/promises';
import { type ByteSource, bytesSource, EvtxReader } from '../../formats/evtx/index.ts';
import type { EvidenceHandler, EvidenceInput, HandlerResult, ImportSink } from '../handler.ts';
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
    const file = input.contentFile === null ? null : await open(input.contentFile, 'r');
    try {
      return await readRecords(file === null ? await bufferedSource(input) : fileSource(file, input.size), sink);
    } finally {
      await file?.close();
    }
  },
};

/** Reads chunks from the open file on demand, so memory does not grow with the file's size. */
function fileSource(file: FileHandle, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)));
      const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead);
    },
  };
}

/** Gzip content has no random access, so it is decompressed into memory first. */
async function bufferedSource(input: EvidenceInput): Promise<ByteSource> {
  const bytes = await readAll(input.open());
  return bytesSource(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

async function readRecords(source: ByteSource, sink: ImportSink): Promise<HandlerResult> {
  const reader = await EvtxReader.open(source, { workers: 'auto' });
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
}
