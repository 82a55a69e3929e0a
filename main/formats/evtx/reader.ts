// File-level EVTX reading: header, chunk discovery by signature, chunk-by-chunk streaming
// (optionally on worker threads) and the import report.

import type { PreciseTime, WinEvent } from '../windows/event.ts';
import type { BxElement } from './binxml.ts';
import {
  CHUNK_SIZE,
  type ChunkResult,
  type EvtxFileHeader,
  type EvtxProblem,
  FILE_HEADER_SIZE,
  inspectChunk,
  type ParsedRecord,
  parseChunk,
  parseFileHeader,
  reparseRecord,
} from './chunk.ts';
import { ChunkPool } from './pool.ts';
import { filetimeToPrecise } from './values.ts';
import { renderXml } from './xml.ts';

/** Random-access byte source: a file handle, a blob or an in-memory buffer. */
export interface ByteSource {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface EvtxRecord {
  recordId: bigint;
  /** Time the record was written (record header FILETIME), with 100 ns precision. */
  written: PreciseTime;
  event: WinEvent;
  chunkIndex: number;
  /** Offset of the record in the file. */
  fileOffset: number;
  recovered: boolean;
  /**
   * Parsed element tree (the `<Event>` element), or null when the record contains none.
   * After a worker-thread parse it is parsed again on first access. Treat it as read-only,
   * because records of one chunk share the subtrees of their template that have no substitutions.
   */
  readonly root: BxElement | null;
  /** Renders the record as XML text. */
  xml(): string;
}

export interface EvtxReport {
  fileSize: number;
  header: EvtxFileHeader | null;
  /** Chunks the header declares (0 without a header). */
  declaredChunks: number;
  /** Blocks after the file header that carry a chunk signature and a valid header checksum. */
  foundChunks: number;
  /** True when the header is dirty or declares fewer chunks than were found. */
  dirty: boolean;
  records: number;
  recovered: number;
  corrupt: number;
  /** Records whose values needed a warning (odd booleans, repaired UTF-16, size mismatches). */
  recordsWithWarnings: number;
  /** Problems in file order, at most `maxProblems`; `problemCount` counts them all. */
  problems: EvtxProblem[];
  problemCount: number;
}

export interface EvtxReadOptions {
  /**
   * Worker threads for chunk parsing: 0 parses on the calling thread, 'auto' uses one
   * worker per core when the file has more than `parallelThreshold` chunks.
   */
  workers?: number | 'auto';
  parallelThreshold?: number;
  /** Carve records from slack and damaged blocks (default true). */
  recover?: boolean;
  maxProblems?: number;
}

function isByteSource(input: ByteSource | Uint8Array): input is ByteSource {
  return !(input instanceof Uint8Array);
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, Math.min(offset + length, bytes.length)) };
}

/**
 * Wraps a parsed record. A record parsed on a worker thread arrives without its tree, so
 * the tree is parsed again from the chunk bytes the first time `root` or `xml()` needs it.
 */
function toRecord(parsed: ParsedRecord, chunkBytes: Uint8Array | null): EvtxRecord {
  let root = parsed.root;
  let reparsed = root !== null || chunkBytes === null;
  const tree = () => {
    if (!reparsed && chunkBytes) {
      root = reparseRecord(chunkBytes, parsed.chunkOffset, parsed.size);
      reparsed = true;
    }
    return root;
  };
  return {
    recordId: parsed.recordId,
    written: filetimeToPrecise(parsed.writtenTicks),
    event: parsed.event,
    chunkIndex: parsed.chunkIndex,
    fileOffset: parsed.fileOffset,
    recovered: parsed.recovered,
    get root() {
      return tree();
    },
    xml: () => {
      const element = tree();
      return element ? renderXml(element) : '';
    },
  };
}

/** Reads an EVTX file chunk by chunk. The report fills in while `records()` runs and is complete when it ends. */
export class EvtxReader {
  readonly report: EvtxReport;
  private readonly source: ByteSource;

  private constructor(
    source: ByteSource,
    header: EvtxFileHeader | null,
    private readonly options: EvtxReadOptions,
  ) {
    this.source = source;
    this.report = {
      fileSize: source.size,
      header,
      declaredChunks: header?.declaredChunks ?? 0,
      foundChunks: 0,
      dirty: header?.dirty ?? false,
      records: 0,
      recovered: 0,
      corrupt: 0,
      recordsWithWarnings: 0,
      problems: [],
      problemCount: 0,
    };
    if (!header)
      this.addProblem({
        kind: 'file-header-missing',
        chunkIndex: null,
        fileOffset: 0,
        chunkOffset: null,
        message: 'no ElfFile signature at offset 0: chunks are found by signature alone',
      });
    else if (!header.crcOk) {
      this.addProblem({
        kind: 'file-header-crc',
        chunkIndex: null,
        fileOffset: 124,
        chunkOffset: null,
        message: `file header CRC32 is 0x${header.storedCrc.toString(16)}, computed 0x${header.computedCrc.toString(16)}`,
      });
    }
  }

  static async open(input: ByteSource | Uint8Array, options: EvtxReadOptions = {}): Promise<EvtxReader> {
    const source = isByteSource(input) ? input : bytesSource(input);
    const head = await source.read(0, Math.min(FILE_HEADER_SIZE, source.size));
    return new EvtxReader(source, parseFileHeader(head), options);
  }

  get header(): EvtxFileHeader | null {
    return this.report.header;
  }

  /** Number of 64 KiB blocks after the file header, a partial last block included. */
  get blockCount(): number {
    return Math.max(0, Math.ceil((this.source.size - FILE_HEADER_SIZE) / CHUNK_SIZE));
  }

  private addProblem(problem: EvtxProblem): void {
    this.report.problemCount++;
    if (this.report.problems.length < (this.options.maxProblems ?? 1000)) this.report.problems.push(problem);
  }

  private workerCount(): number {
    const requested = this.options.workers ?? 'auto';
    if (requested === 'auto') return this.blockCount > (this.options.parallelThreshold ?? 4) ? ChunkPool.defaultSize() : 0;
    return requested;
  }

  /**
   * Yields normal records chunk by chunk in file order, then the recovered (carved)
   * records whose identifiers no normal record has.
   */
  async *records(): AsyncGenerator<EvtxRecord> {
    const recovered: { record: ParsedRecord; bytes: Uint8Array }[] = [];
    const normalIds = new Set<bigint>();
    for await (const { result: chunk, bytes } of this.chunkResultsWithBytes()) {
      for (const p of chunk.problems) this.addProblem(p);
      this.report.corrupt += chunk.corrupt;
      for (const r of chunk.records) {
        normalIds.add(r.recordId);
        this.report.records++;
        if (r.event.warnings.length > 0) this.report.recordsWithWarnings++;
        yield toRecord(r, bytes);
      }
      for (const r of chunk.recovered) recovered.push({ record: r, bytes });
    }
    // Slack often contains older copies of records that are still present, so a carved record
    // whose identifier a normal record has is dropped (libyal notes, section "Recovery").
    // NOTE: carved records are buffered until the end of the file so this check covers every chunk.
    const recoveredIds = new Set<bigint>();
    for (const { record: r, bytes } of recovered) {
      if (normalIds.has(r.recordId) || recoveredIds.has(r.recordId)) continue;
      recoveredIds.add(r.recordId);
      this.report.recovered++;
      yield toRecord(r, bytes);
    }
  }

  /** Parses every block after the file header, in order. */
  async *chunkResults(): AsyncGenerator<ChunkResult> {
    for await (const { result } of this.chunkResultsWithBytes()) yield result;
  }

  /** Chunk results with the chunk bytes, which records parsed on a worker use to parse their tree again. */
  private async *chunkResultsWithBytes(): AsyncGenerator<{ result: ChunkResult; bytes: Uint8Array }> {
    const workers = this.workerCount();
    const jobs = this.jobs();
    if (workers <= 0) {
      for await (const job of jobs) yield { result: parseChunk(job.bytes, job.index, job.fileOffset, job.options), bytes: job.bytes };
      return;
    }
    const pool = ChunkPool.shared(workers);
    // Keep a few chunks in flight per worker and yield results in file order.
    const pending: { result: Promise<ChunkResult>; bytes: Uint8Array }[] = [];
    const depth = workers * 3;
    const iterator = jobs[Symbol.asyncIterator]();
    let done = false;
    const fill = async () => {
      while (!done && pending.length < depth) {
        const next = await iterator.next();
        if (next.done) {
          done = true;
          break;
        }
        const job = next.value;
        pending.push({ result: pool.parse(job.bytes, job.index, job.fileOffset, { ...job.options, output: 'event' }), bytes: job.bytes });
      }
    };
    await fill();
    while (pending.length > 0) {
      const head = pending.shift()!;
      const result = await head.result;
      await fill();
      yield { result, bytes: head.bytes };
    }
  }

  private async *jobs(): AsyncGenerator<{
    bytes: Uint8Array;
    index: number;
    fileOffset: number;
    options: { recover: boolean; carveOnly: boolean };
  }> {
    const declared = this.report.declaredChunks;
    const recover = this.options.recover ?? true;
    for (let index = 0; index < this.blockCount; index++) {
      const fileOffset = FILE_HEADER_SIZE + index * CHUNK_SIZE;
      const bytes = await this.source.read(fileOffset, Math.min(CHUNK_SIZE, this.source.size - fileOffset));
      const { signature, headerCrcOk } = inspectChunk(bytes);
      if (signature && headerCrcOk) this.report.foundChunks++;
      // A chunk inside the declared count is read even with a bad header checksum, and the
      // mismatch is reported. Past the declared count only a valid checksum makes the block
      // a chunk of this file (the dirty header case). Otherwise its records are carved.
      const carveOnly = signature && !headerCrcOk && index >= declared;
      if (!signature && !recover) continue;
      yield { bytes, index, fileOffset, options: { recover, carveOnly } };
    }
    if (this.report.foundChunks > declared) this.report.dirty = true;
  }
}

/** Reads every record of an EVTX file into memory; the convenience form for tests and small files. */
export async function readEvtx(
  input: ByteSource | Uint8Array,
  options: EvtxReadOptions = {},
): Promise<{ records: EvtxRecord[]; report: EvtxReport }> {
  const reader = await EvtxReader.open(input, options);
  const records: EvtxRecord[] = [];
  for await (const r of reader.records()) records.push(r);
  return { records, report: reader.report };
}
