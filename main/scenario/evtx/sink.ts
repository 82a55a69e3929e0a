// One EVTX file of one host, written as the scenario runs. Records wait in a small
// time-ordered buffer until the scenario clock passes them, then get the next record id
// and go into the open chunk; each full chunk is written to disk at once, so memory stays
// flat whatever the file size.

import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { EvtxChunkWriter } from '../../formats/evtx/writer.ts';
import type { EventCounter, EvidenceRef } from '../evidence.ts';
import { TimeHeap } from '../heap.ts';
import { filetime } from '../time.ts';
import type { EventSpec } from './specs.ts';
import { type FieldValue, recordValues, type SystemValues, setRecordId, templateFor } from './templates.ts';

const FILE_HEADER_SIZE = 4096;
const CHUNK_SIZE = 65536;

interface Pending {
  spec: EventSpec;
  system: Omit<SystemValues, 'timeCreated'>;
  data: FieldValue[];
  ref?: EvidenceRef;
}

export class EvtxSink {
  private readonly fd: number;
  private writer = new EvtxChunkWriter();
  private readonly pending = new TimeHeap<Pending>();
  private position = FILE_HEADER_SIZE;
  private hasRefs = false;
  private closed = false;
  /** Records in the file as it stands (a clear drops the earlier ones). */
  records = 0;

  constructor(
    file: string,
    /** Path inside the bundle, for evidence references. */
    readonly evidence: string,
    private readonly counter: EventCounter,
  ) {
    this.fd = openSync(file, 'w');
    writeSync(this.fd, new Uint8Array(FILE_HEADER_SIZE), 0, FILE_HEADER_SIZE, 0);
  }

  /** Queue one record at `time` (scenario microseconds); `ref` receives its locator once written. */
  add(time: number, spec: EventSpec, system: Omit<SystemValues, 'timeCreated'>, data: FieldValue[], ref?: EvidenceRef): void {
    if (ref && ref.evidence !== this.evidence) throw new Error(`evidence reference for ${ref.evidence} given to ${this.evidence}`);
    this.pending.push(time, ref ? { spec, system, data, ref } : { spec, system, data });
    this.counter.count += 1;
  }

  /** Write every queued record due at or before `time`. */
  flushUntil(time: number): void {
    while (this.pending.size > 0 && this.pending.peekTime() <= time) {
      const { time: at, item } = this.pending.pop()!;
      this.write(at, item);
    }
  }

  /**
   * Clear the log as Windows does at `time`: records before it are gone, and numbering goes
   * on from the last record id. Records that the answer key points at must not be cleared.
   */
  clear(time: number): void {
    while (this.pending.peekTime() < time) this.pending.pop();
    if (this.hasRefs) throw new Error(`${this.evidence}: a record the answer key refers to would be cleared`);
    this.writer.takeChunks();
    this.writer = new EvtxChunkWriter({ firstRecordId: this.writer.nextRecordId });
    ftruncateSync(this.fd, FILE_HEADER_SIZE);
    this.position = FILE_HEADER_SIZE;
    this.records = 0;
  }

  close(): void {
    if (this.closed) return;
    this.flushUntil(Number.POSITIVE_INFINITY);
    const { header, lastChunk } = this.writer.finish();
    if (lastChunk) this.writeChunk(lastChunk);
    writeSync(this.fd, header, 0, header.length, 0);
    closeSync(this.fd);
    this.closed = true;
  }

  private write(time: number, item: Pending): void {
    const values = recordValues(item.spec, { ...item.system, timeCreated: filetime(time) }, item.data);
    setRecordId(values, this.writer.nextRecordId);
    const placement = this.writer.add({ written: filetime(time), template: templateFor(item.spec), values });
    this.records += 1;
    for (const chunk of this.writer.takeChunks()) this.writeChunk(chunk);
    if (item.ref) {
      item.ref.record = Number(placement.recordId);
      item.ref.locator = `chunk=${placement.chunk} record=${placement.recordId} offset=0x${placement.fileOffset.toString(16)}`;
      this.hasRefs = true;
    }
  }

  private writeChunk(chunk: Uint8Array): void {
    if (chunk.length !== CHUNK_SIZE) throw new Error(`EVTX chunk of ${chunk.length} bytes`);
    writeSync(this.fd, chunk, 0, chunk.length, this.position);
    this.position += chunk.length;
  }
}
