// File header and chunk parsing. Layouts from libyal's "Windows XML Event Log (EVTX)
// format" notes (sections "File header", "Chunk", "Event record", "Recovery" and
// "Corruption scenarios"). Header fields are treated as hints: records are found by
// signature, bounded by the chunk, and checked against the copy of their size.

import type { WinEvent } from '../windows/event.ts';
import { type BxElement, ChunkParser } from './binxml.ts';
import { crc32 } from './crc32.ts';
import { rootElement, toWinEvent } from './winevent.ts';

export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 65536;
export const CHUNK_HEADER_SIZE = 512;
const RECORD_HEADER_SIZE = 24;
/** Smallest record: the 24-byte header, at least one BinXML byte (end of fragment), and the 4-byte size copy. */
const MIN_RECORD_SIZE = 28;

const FILE_SIGNATURE = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]; // "ElfFile\0"
const CHUNK_SIGNATURE = [0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00]; // "ElfChnk\0"

export interface EvtxFileHeader {
  firstChunkNumber: bigint;
  lastChunkNumber: bigint;
  nextRecordId: bigint;
  headerSize: number;
  minorVersion: number;
  majorVersion: number;
  headerBlockSize: number;
  /** Number of chunks the header declares; a dirty file may undercount. */
  declaredChunks: number;
  flags: number;
  dirty: boolean;
  full: boolean;
  storedCrc: number;
  computedCrc: number;
  crcOk: boolean;
}

function hasSignature(bytes: Uint8Array, offset: number, signature: number[]): boolean {
  if (offset + signature.length > bytes.length) return false;
  for (let i = 0; i < signature.length; i++) if (bytes[offset + i] !== signature[i]) return false;
  return true;
}

/** Parses the 4096-byte file header; null when the `ElfFile\0` signature is missing. */
export function parseFileHeader(bytes: Uint8Array): EvtxFileHeader | null {
  if (bytes.length < 128 || !hasSignature(bytes, 0, FILE_SIGNATURE)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = view.getUint32(120, true);
  const storedCrc = view.getUint32(124, true);
  const computedCrc = crc32(bytes, 0, 120);
  return {
    firstChunkNumber: view.getBigUint64(8, true),
    lastChunkNumber: view.getBigUint64(16, true),
    nextRecordId: view.getBigUint64(24, true),
    headerSize: view.getUint32(32, true),
    minorVersion: view.getUint16(36, true),
    majorVersion: view.getUint16(38, true),
    headerBlockSize: view.getUint16(40, true),
    declaredChunks: view.getUint16(42, true),
    flags,
    dirty: (flags & 1) !== 0,
    full: (flags & 2) !== 0,
    storedCrc,
    computedCrc,
    crcOk: storedCrc === computedCrc,
  };
}

export interface ChunkHeader {
  firstRecordNumber: bigint;
  lastRecordNumber: bigint;
  firstRecordId: bigint;
  lastRecordId: bigint;
  headerSize: number;
  lastRecordOffset: number;
  freeSpaceOffset: number;
  recordsCrc: number;
  headerCrc: number;
}

/** A problem found while reading; never fatal. */
export interface EvtxProblem {
  kind:
    | 'file-header-crc'
    | 'file-header-missing'
    | 'chunk-header-crc'
    | 'records-crc'
    | 'chunk-signature'
    | 'corrupt-record'
    | 'bad-binxml'
    | 'free-space-offset';
  chunkIndex: number | null;
  /** Offset in the file. */
  fileOffset: number;
  /** Offset in the chunk, when the problem is inside one. */
  chunkOffset: number | null;
  message: string;
}

/** One record as a chunk parse returns it: plain data, so it crosses worker_threads by structured clone. */
export interface ParsedRecord {
  recordId: bigint;
  /** FILETIME ticks from the record header (the time the record was written). */
  writtenTicks: bigint;
  chunkIndex: number;
  chunkOffset: number;
  fileOffset: number;
  size: number;
  recovered: boolean;
  /** Element tree, or null in `event` output mode. */
  root: BxElement | null;
  event: WinEvent;
}

export interface ChunkResult {
  index: number;
  fileOffset: number;
  /** Null when the block has no `ElfChnk\0` signature (its records, if any, are carved). */
  header: ChunkHeader | null;
  headerCrcOk: boolean;
  recordsCrcOk: boolean;
  records: ParsedRecord[];
  /** Records carved from slack after the free space offset or from a block without a valid chunk header. */
  recovered: ParsedRecord[];
  /** Number of records whose size or BinXML was invalid. */
  corrupt: number;
  problems: EvtxProblem[];
}

export interface ChunkOptions {
  /** Carve records from slack and from blocks without a valid chunk header (default true). */
  recover?: boolean;
  /** Treat every record of this block as recovered (a block that is not a chunk of this file, such as one with a bad header checksum past the declared count). */
  carveOnly?: boolean;
  /**
   * `tree` (default) keeps each record's element tree. `event` drops it and keeps only the
   * WinEvent: copying trees between threads took about three times as long as the parse (measured on security.evtx), so worker
   * threads use this mode and the tree is parsed again from the chunk bytes on request.
   */
  output?: 'tree' | 'event';
}

function chunkHeader(view: DataView): ChunkHeader {
  return {
    firstRecordNumber: view.getBigUint64(8, true),
    lastRecordNumber: view.getBigUint64(16, true),
    firstRecordId: view.getBigUint64(24, true),
    lastRecordId: view.getBigUint64(32, true),
    headerSize: view.getUint32(40, true),
    lastRecordOffset: view.getUint32(44, true),
    freeSpaceOffset: view.getUint32(48, true),
    recordsCrc: view.getUint32(52, true),
    headerCrc: view.getUint32(124, true),
  };
}

/** CRC-32 of chunk header bytes 0-119 and 128-511, as the chunk header checksum covers them. */
export function chunkHeaderCrc(bytes: Uint8Array): number {
  return crc32(bytes, 128, CHUNK_HEADER_SIZE, crc32(bytes, 0, 120));
}

/** Checks the chunk signature and header checksum of a 64 KiB block. */
export function inspectChunk(bytes: Uint8Array): { signature: boolean; headerCrcOk: boolean } {
  const signature = bytes.length >= CHUNK_HEADER_SIZE && hasSignature(bytes, 0, CHUNK_SIGNATURE);
  if (!signature) return { signature, headerCrcOk: false };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { signature, headerCrcOk: view.getUint32(124, true) === chunkHeaderCrc(bytes) };
}

function isRecordStart(bytes: Uint8Array, view: DataView, pos: number): boolean {
  if (pos + MIN_RECORD_SIZE > bytes.length) return false;
  if (bytes[pos] !== 0x2a || bytes[pos + 1] !== 0x2a || bytes[pos + 2] !== 0 || bytes[pos + 3] !== 0) return false;
  const size = view.getUint32(pos + 4, true);
  return size >= MIN_RECORD_SIZE && pos + size <= bytes.length && view.getUint32(pos + size - 4, true) === size;
}

/** Next offset at or after `from` (below `limit`) holding a record signature whose size fits and matches its copy, or -1. */
function findNextRecord(bytes: Uint8Array, view: DataView, from: number, limit: number): number {
  for (let pos = bytes.indexOf(0x2a, from); pos >= 0 && pos < limit; pos = bytes.indexOf(0x2a, pos + 1)) {
    if (isRecordStart(bytes, view, pos)) return pos;
  }
  return -1;
}

/**
 * Parses one chunk (a 64 KiB block at `fileOffset`, index `index`). Pure and synchronous,
 * so it runs the same on the main thread and in a worker.
 */
export function parseChunk(bytes: Uint8Array, index: number, fileOffset: number, options: ChunkOptions = {}): ChunkResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const problems: EvtxProblem[] = [];
  const result: ChunkResult = {
    index,
    fileOffset,
    header: null,
    headerCrcOk: false,
    recordsCrcOk: false,
    records: [],
    recovered: [],
    corrupt: 0,
    problems,
  };
  const problem = (kind: EvtxProblem['kind'], chunkOffset: number | null, message: string) =>
    problems.push({ kind, chunkIndex: index, fileOffset: fileOffset + (chunkOffset ?? 0), chunkOffset, message });

  const parser = new ChunkParser(bytes);
  const recover = options.recover ?? true;
  const inspection = inspectChunk(bytes);

  if (!inspection.signature || options.carveOnly) {
    if (!inspection.signature && !isBlank(bytes)) {
      problem(
        'chunk-signature',
        0,
        `chunk ${index} at file offset ${fileOffset} has no ElfChnk signature: its records are carved as recovered`,
      );
    }
    if (recover) carve(CHUNK_HEADER_SIZE, bytes.length, new Set());
    return result;
  }

  const header = chunkHeader(view);
  result.header = header;
  result.headerCrcOk = inspection.headerCrcOk;
  if (!inspection.headerCrcOk) {
    problem(
      'chunk-header-crc',
      124,
      `chunk ${index} header CRC32 is 0x${header.headerCrc.toString(16)}, computed 0x${chunkHeaderCrc(bytes).toString(16)}`,
    );
  }

  // The free space offset bounds the records area. It is a hint: when it is out of range
  // the walk runs to the chunk end and stops at the first slot without a record signature.
  let limit = bytes.length;
  if (header.freeSpaceOffset >= CHUNK_HEADER_SIZE && header.freeSpaceOffset <= bytes.length) {
    limit = header.freeSpaceOffset;
    const computed = crc32(bytes, CHUNK_HEADER_SIZE, limit);
    result.recordsCrcOk = computed === header.recordsCrc;
    if (!result.recordsCrcOk) {
      problem(
        'records-crc',
        52,
        `chunk ${index} records CRC32 is 0x${header.recordsCrc.toString(16)}, computed 0x${computed.toString(16)}`,
      );
    }
  } else {
    problem(
      'free-space-offset',
      48,
      `chunk ${index} free space offset ${header.freeSpaceOffset} is outside the chunk: records read up to the chunk end`,
    );
  }

  const seen = new Set<bigint>();
  let pos = CHUNK_HEADER_SIZE;
  let lastId: bigint | null = null;
  let resynced = false;
  while (pos + RECORD_HEADER_SIZE <= limit) {
    if (bytes[pos] !== 0x2a || bytes[pos + 1] !== 0x2a || bytes[pos + 2] !== 0 || bytes[pos + 3] !== 0) break;
    const size = view.getUint32(pos + 4, true);
    const fits = size >= MIN_RECORD_SIZE && pos + size <= bytes.length;
    const copy = fits ? view.getUint32(pos + size - 4, true) : null;
    let record: ParsedRecord | null = null;
    if (fits && copy !== size) {
      // The size copy of the last record in a dirty chunk can be missing (not written yet).
      // Such a record is kept when its BinXML parses completely, and is corrupt otherwise.
      record = parseRecord(pos, size, false, true);
      if (record)
        problem(
          'corrupt-record',
          pos,
          `record ${record.recordId} in chunk ${index} at chunk offset 0x${pos.toString(16)} has size ${size} but its copy is ${copy}: kept because its BinXML is complete`,
        );
    }
    if (!fits || (copy !== size && !record)) {
      result.corrupt++;
      problem(
        'corrupt-record',
        pos,
        `record in chunk ${index} at chunk offset 0x${pos.toString(16)} has size ${size}${fits ? ` but its copy is ${copy}` : ' beyond the chunk'}: skipped to the next record signature`,
      );
      const next = findNextRecord(bytes, view, pos + 4, limit);
      if (next < 0) break;
      pos = next;
      resynced = true;
      continue;
    }
    if (!record) {
      const recordId = view.getBigUint64(pos + 8, true);
      // After a resynchronisation, a record continues this chunk only when its identifier
      // follows the last good one and is within the chunk header's range. Older copies left
      // in the chunk are carved as recovered instead.
      const continues = !resynced || ((lastId === null || recordId > lastId) && recordId <= header.lastRecordId);
      record = parseRecord(pos, size, !continues);
      if (record && !continues) {
        if (!seen.has(record.recordId)) result.recovered.push(record);
        pos += size;
        continue;
      }
    }
    if (record) {
      result.records.push(record);
      seen.add(record.recordId);
      lastId = record.recordId;
    }
    pos += size;
  }

  if (recover) carve(pos, bytes.length, seen);
  return result;

  function parseRecord(pos: number, size: number, recovered: boolean, quiet = false): ParsedRecord | null {
    const recordId = view.getBigUint64(pos + 8, true);
    const writtenTicks = view.getBigUint64(pos + 16, true);
    const locator = `chunk=${index} record=${recordId} offset=0x${(fileOffset + pos).toString(16)}`;
    try {
      const { nodes, warnings } = parser.parseRecord(pos + RECORD_HEADER_SIZE, pos + size - 4);
      const root = rootElement(nodes);
      const event = toWinEvent(root, warnings, locator, recovered);
      return {
        recordId,
        writtenTicks,
        chunkIndex: index,
        chunkOffset: pos,
        fileOffset: fileOffset + pos,
        size,
        recovered,
        root: options.output === 'event' ? null : root,
        event,
      };
    } catch (error) {
      // Any failure inside one record (a BinXmlError, or a RangeError from a crafted
      // offset) marks that record bad and the walk goes on.
      if (!recovered && !quiet) {
        result.corrupt++;
        problem(
          'bad-binxml',
          pos,
          `record ${recordId} in chunk ${index} at chunk offset 0x${pos.toString(16)}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      return null;
    }
  }

  /** Carves records from `[from, to)`: slack after the last record, or a block without a usable header. */
  function carve(from: number, to: number, seen: Set<bigint>): void {
    let pos = findNextRecord(bytes, view, from, to);
    while (pos >= 0) {
      const size = view.getUint32(pos + 4, true);
      const record = parseRecord(pos, size, true);
      if (record && !seen.has(record.recordId)) {
        seen.add(record.recordId);
        result.recovered.push(record);
        pos = findNextRecord(bytes, view, pos + size, to);
      } else {
        pos = findNextRecord(bytes, view, pos + 4, to);
      }
    }
  }
}

function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i += 8) if (bytes[i] !== 0) return false;
  return true;
}

/** Parses the element tree of the record at `chunkOffset` again; null when it has none or does not parse. */
export function reparseRecord(bytes: Uint8Array, chunkOffset: number, size: number): BxElement | null {
  try {
    return rootElement(new ChunkParser(bytes).parseRecord(chunkOffset + RECORD_HEADER_SIZE, chunkOffset + size - 4).nodes);
  } catch {
    return null;
  }
}
