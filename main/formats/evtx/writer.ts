// EVTX writer for tests and scenario generators. It writes the file header, chunks with
// correct CRC-32s and records, either as template instances or as plain BinXML without
// templates. A template definition is written inline on its first use in a chunk and
// referenced by offset after that. Named defects each break one thing. Layouts follow libyal's "Windows XML Event Log (EVTX) format" notes and
// MS-EVEN6 2.2.12 (BinXml); see parser modules for the field tables.

import { chunkHeaderCrc } from './chunk.ts';
import { crc32 } from './crc32.ts';

// ---- BinXML document model ------------------------------------------------------------

export type WPart =
  | { kind: 'text'; text: string }
  | { kind: 'subst'; index: number; type: number; optional: boolean }
  | { kind: 'entity'; name: string }
  | { kind: 'charref'; code: number };
export interface WAttribute {
  name: string;
  value: WPart[];
}
export interface WElement {
  kind: 'element';
  name: string;
  attributes: WAttribute[];
  children: WNode[];
}
export type WNode = WElement | WPart | { kind: 'cdata'; text: string } | { kind: 'pi'; target: string; data: string };

type AttributeInput = string | WPart | WPart[];

/** Builders for template and record content. */
export const xml = {
  el(name: string, attributes: Record<string, AttributeInput> = {}, ...children: (WNode | string)[]): WElement {
    return {
      kind: 'element',
      name,
      attributes: Object.entries(attributes).map(([attrName, value]) => ({
        name: attrName,
        value: typeof value === 'string' ? [xml.text(value)] : Array.isArray(value) ? value : [value],
      })),
      children: children.map((c) => (typeof c === 'string' ? xml.text(c) : c)),
    };
  },
  text: (text: string): WPart => ({ kind: 'text', text }),
  /** Normal substitution (token 0x0D) of value `index`, declared with value type `type`. */
  sub: (index: number, type: number): WPart => ({ kind: 'subst', index, type, optional: false }),
  /** Optional substitution (token 0x0E): a NullType value removes the attribute or element. */
  opt: (index: number, type: number): WPart => ({ kind: 'subst', index, type, optional: true }),
  entity: (name: string): WPart => ({ kind: 'entity', name }),
  charRef: (code: number): WPart => ({ kind: 'charref', code }),
  cdata: (text: string): WNode => ({ kind: 'cdata', text }),
  pi: (target: string, data: string): WNode => ({ kind: 'pi', target, data }),
};

// ---- Values ---------------------------------------------------------------------------

export interface WValue {
  type: number;
  bytes: Uint8Array;
  /** BinXmlType (0x21) values are encoded where they land, because name offsets are chunk-relative. */
  binxml?: { root: WElement; fragmentHeader: boolean };
}

function le(size: number, write: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(size);
  write(new DataView(bytes.buffer));
  return bytes;
}

function utf16(text: string): Uint8Array {
  return le(text.length * 2, (d) => {
    for (let i = 0; i < text.length; i++) d.setUint16(i * 2, text.charCodeAt(i), true);
  });
}

function units16(units: number[]): Uint8Array {
  return le(units.length * 2, (d) => {
    for (let i = 0; i < units.length; i++) d.setUint16(i * 2, units[i]!, true);
  });
}

function guidBytes(text: string): Uint8Array {
  const hex = text.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`invalid GUID "${text}": expected 32 hex digits`);
  return le(16, (d) => {
    d.setUint32(0, Number.parseInt(hex.slice(0, 8), 16), true);
    d.setUint16(4, Number.parseInt(hex.slice(8, 12), 16), true);
    d.setUint16(6, Number.parseInt(hex.slice(12, 16), 16), true);
    for (let i = 0; i < 8; i++) d.setUint8(8 + i, Number.parseInt(hex.slice(16 + i * 2, 18 + i * 2), 16));
  });
}

function sidBytes(text: string): Uint8Array {
  const m = /^S-(\d+)-(\d+)((?:-\d+)*)$/.exec(text);
  if (!m) throw new Error(`invalid SID "${text}": expected S-R-A-S1-...`);
  const subs = m[3] ? m[3].slice(1).split('-').map(Number) : [];
  return le(8 + subs.length * 4, (d) => {
    d.setUint8(0, Number(m[1]));
    d.setUint8(1, subs.length);
    let authority = Number(m[2]);
    for (let i = 7; i >= 2; i--) {
      d.setUint8(i, authority % 256);
      authority = Math.floor(authority / 256);
    }
    for (let i = 0; i < subs.length; i++) d.setUint32(8 + i * 4, subs[i]!, true);
  });
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export interface SystemTimeFields {
  year: number;
  month: number;
  dayOfWeek: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const FILETIME_UNIX_EPOCH = 116444736000000000n;

/** FILETIME ticks of an ISO 8601 UTC time with up to 7 fractional digits. */
export function filetimeOf(iso: string): bigint {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z$/.exec(iso);
  if (!m) throw new Error(`invalid time "${iso}": expected YYYY-MM-DDTHH:MM:SS[.fffffff]Z`);
  const seconds = BigInt(Date.parse(`${m[1]}Z`) / 1000);
  return FILETIME_UNIX_EPOCH + seconds * 10_000_000n + BigInt((m[2] ?? '').padEnd(7, '0'));
}

/** Builders for substitution values, one per value type (libyal "Value types"). */
export const v = {
  null: (): WValue => ({ type: 0x00, bytes: new Uint8Array(0) }),
  string: (text: string): WValue => ({ type: 0x01, bytes: utf16(text) }),
  ansi: (text: string): WValue => ({ type: 0x02, bytes: Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff) }),
  int8: (n: number): WValue => ({ type: 0x03, bytes: le(1, (d) => d.setInt8(0, n)) }),
  uint8: (n: number): WValue => ({ type: 0x04, bytes: le(1, (d) => d.setUint8(0, n)) }),
  int16: (n: number): WValue => ({ type: 0x05, bytes: le(2, (d) => d.setInt16(0, n, true)) }),
  uint16: (n: number): WValue => ({ type: 0x06, bytes: le(2, (d) => d.setUint16(0, n, true)) }),
  int32: (n: number): WValue => ({ type: 0x07, bytes: le(4, (d) => d.setInt32(0, n, true)) }),
  uint32: (n: number): WValue => ({ type: 0x08, bytes: le(4, (d) => d.setUint32(0, n, true)) }),
  int64: (n: bigint): WValue => ({ type: 0x09, bytes: le(8, (d) => d.setBigInt64(0, n, true)) }),
  uint64: (n: bigint): WValue => ({ type: 0x0a, bytes: le(8, (d) => d.setBigUint64(0, n, true)) }),
  real32: (n: number): WValue => ({ type: 0x0b, bytes: le(4, (d) => d.setFloat32(0, n, true)) }),
  real64: (n: number): WValue => ({ type: 0x0c, bytes: le(8, (d) => d.setFloat64(0, n, true)) }),
  bool: (b: boolean): WValue => ({ type: 0x0d, bytes: le(4, (d) => d.setUint32(0, b ? 1 : 0, true)) }),
  binary: (bytes: Uint8Array): WValue => ({ type: 0x0e, bytes }),
  guid: (text: string): WValue => ({ type: 0x0f, bytes: guidBytes(text) }),
  sizeT32: (n: number): WValue => ({ type: 0x10, bytes: le(4, (d) => d.setUint32(0, n, true)) }),
  sizeT64: (n: bigint): WValue => ({ type: 0x10, bytes: le(8, (d) => d.setBigUint64(0, n, true)) }),
  filetime: (ticks: bigint | string): WValue => ({
    type: 0x11,
    bytes: le(8, (d) => d.setBigUint64(0, typeof ticks === 'string' ? filetimeOf(ticks) : ticks, true)),
  }),
  systemtime: (t: SystemTimeFields): WValue => ({
    type: 0x12,
    bytes: le(16, (d) => {
      const fields = [t.year, t.month, t.dayOfWeek, t.day, t.hour, t.minute, t.second, t.millisecond];
      for (let i = 0; i < fields.length; i++) d.setUint16(i * 2, fields[i]!, true);
    }),
  }),
  sid: (text: string): WValue => ({ type: 0x13, bytes: sidBytes(text) }),
  hex32: (n: number): WValue => ({ type: 0x14, bytes: le(4, (d) => d.setUint32(0, n, true)) }),
  hex64: (n: bigint): WValue => ({ type: 0x15, bytes: le(8, (d) => d.setBigUint64(0, n, true)) }),
  /** Array of UTF-16 strings (0x81), each ending in NUL. */
  stringArray: (items: string[]): WValue => ({ type: 0x81, bytes: concat(items.map((s) => utf16(`${s}\0`))) }),
  ansiArray: (items: string[]): WValue => ({ type: 0x82, bytes: concat(items.map((s) => v.ansi(`${s}\0`).bytes)) }),
  /** Array of a fixed-size type: `type` is the scalar type (0x03-0x15), the array flag is added. */
  array: (type: number, items: WValue[]): WValue => ({ type: type | 0x80, bytes: concat(items.map((i) => i.bytes)) }),
  sidArray: (items: string[]): WValue => ({ type: 0x93, bytes: concat(items.map(sidBytes)) }),
  /** Embedded BinXML (0x21); without a fragment header the bytes start with the open start element token. */
  binxml: (root: WElement, fragmentHeader = true): WValue => ({ type: 0x21, bytes: new Uint8Array(0), binxml: { root, fragmentHeader } }),
  /** Raw value bytes under any type byte. */
  raw: (type: number, bytes: Uint8Array): WValue => ({ type, bytes }),
};

/** Value builders that break a decoder rule on purpose. */
export const badValues = {
  /** A BoolType holding a 32-bit value other than 0 or 1. */
  oddBoolean: (n: number): WValue => ({ type: 0x0d, bytes: le(4, (d) => d.setUint32(0, n >>> 0, true)) }),
  /** A StringType whose code unit at `index` is replaced with `unit` (default 0xD800, an unpaired high surrogate). */
  unpairedSurrogate: (text: string, index: number, unit = 0xd800): WValue => {
    const units = Array.from(text, (c) => c.charCodeAt(0));
    units[index] = unit;
    return { type: 0x01, bytes: units16(units) };
  },
};

// ---- Records and defects --------------------------------------------------------------

export interface WTemplate {
  guid: string;
  root: WElement;
}

let templateCounter = 0;
export function template(root: WElement, guid?: string): WTemplate {
  templateCounter++;
  return { root, guid: guid ?? `{${templateCounter.toString(16).padStart(8, '0')}-0000-4000-8000-00000000cafe}` };
}

export interface WRecord {
  /** Record identifier; defaults to the previous one plus 1, starting at 1. */
  id?: bigint;
  /** FILETIME ticks or ISO 8601 UTC text of the record header's written time. */
  written: bigint | string;
  template?: WTemplate;
  values?: WValue[];
  /** A record without a template: its element tree is written directly, with no dependency identifiers, as event forwarding writes it. */
  body?: WElement;
}

/** A deliberate defect, named for what it breaks. Chunk and record indexes are 0-based. */
export type EvtxDefect =
  /** Dirty file header that declares only the first chunk, as a file copied before Windows rewrote its header. */
  | { kind: 'dirtyHeaderUndercount' }
  | { kind: 'staleFileHeaderCrc' }
  | { kind: 'staleChunkHeaderCrc'; chunk: number }
  | { kind: 'staleRecordsCrc'; chunk: number }
  /** Record size field overwritten (copy at the record end kept); CRCs recomputed unless `staleCrc`. */
  | { kind: 'corruptRecordSize'; chunk: number; record: number; size: number; staleCrc?: boolean }
  /** Chunk signature wiped, so the block is not a chunk and its records are only reachable by carving. */
  | { kind: 'wipedChunkSignature'; chunk: number }
  /** The chunk's last record moved into slack by pulling the free space offset back in front of it, as after a deletion. */
  | { kind: 'recordInSlack'; chunk: number };

export interface WriteOptions {
  /** Maximum records per chunk (default: as many as fit). */
  recordsPerChunk?: number;
  defects?: EvtxDefect[];
  /** Minor format version: 1 (Windows Vista and later) or 2 (Windows 10 2004 and later). */
  minorVersion?: number;
}

const CHUNK_SIZE = 65536;
const HEADER_SIZE = 4096;

// ---- BinXML encoder -------------------------------------------------------------------

/** MS-EVEN6 NameHash: low 16 bits of hash = hash * 65599 + code unit, over the name. */
function nameHash(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 65599) + name.charCodeAt(i)) >>> 0;
  return hash & 0xffff;
}

class Encoder {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  pos = 0;

  /**
   * `base` is the chunk offset of bytes[0]; `names` is the chunk's name table (null writes
   * every name inline, so the encoded size does not depend on earlier names).
   */
  constructor(
    size: number,
    readonly base: number,
    readonly names: Map<string, number> | null,
  ) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  private room(n: number): void {
    if (this.pos + n > this.bytes.length) throw new RangeError('encoder full');
  }
  u8(n: number): void {
    this.room(1);
    this.view.setUint8(this.pos++, n);
  }
  u16(n: number): void {
    this.room(2);
    this.view.setUint16(this.pos, n, true);
    this.pos += 2;
  }
  u32(n: number): void {
    this.room(4);
    this.view.setUint32(this.pos, n >>> 0, true);
    this.pos += 4;
  }
  raw(b: Uint8Array): void {
    this.room(b.length);
    this.bytes.set(b, this.pos);
    this.pos += b.length;
  }
  chars(text: string): void {
    this.u16(text.length);
    this.raw(utf16(text));
  }

  /** Name reference: the offset, then the name itself when this chunk has not stored it yet. */
  nameRef(name: string): void {
    const known = this.names?.get(name);
    if (known !== undefined) {
      this.u32(known);
      return;
    }
    const offset = this.base + this.pos + 4;
    this.u32(offset);
    this.u32(0);
    this.u16(nameHash(name));
    this.chars(name);
    this.u16(0);
    this.names?.set(name, offset);
  }

  part(p: WPart, more: boolean): void {
    const flag = more ? 0x40 : 0;
    switch (p.kind) {
      case 'text':
        this.u8(0x05 | flag);
        this.u8(0x01);
        this.chars(p.text);
        return;
      case 'subst':
        this.u8(p.optional ? 0x0e : 0x0d);
        this.u16(p.index);
        this.u8(p.type);
        return;
      case 'entity':
        this.u8(0x09 | flag);
        this.nameRef(p.name);
        return;
      case 'charref':
        this.u8(0x08 | flag);
        this.u16(p.code);
        return;
    }
  }

  element(e: WElement, dependencyId: boolean): void {
    this.u8(e.attributes.length > 0 ? 0x41 : 0x01);
    if (dependencyId) this.u16(0xffff);
    const sizeAt = this.pos;
    this.u32(0);
    this.nameRef(e.name);
    if (e.attributes.length > 0) {
      const listAt = this.pos;
      this.u32(0);
      e.attributes.forEach((a, i) => {
        this.u8(i < e.attributes.length - 1 ? 0x46 : 0x06);
        this.nameRef(a.name);
        for (let j = 0; j < a.value.length; j++) this.part(a.value[j]!, j < a.value.length - 1);
      });
      this.view.setUint32(listAt, this.pos - listAt - 4, true);
    }
    if (e.children.length === 0) {
      this.u8(0x03);
    } else {
      this.u8(0x02);
      for (let i = 0; i < e.children.length; i++) this.node(e.children[i]!, i < e.children.length - 1, dependencyId);
      this.u8(0x04);
    }
    this.view.setUint32(sizeAt, this.pos - sizeAt - 4, true);
  }

  node(n: WNode, more: boolean, dependencyId: boolean): void {
    if (n.kind === 'element') this.element(n, dependencyId);
    else if (n.kind === 'cdata') {
      this.u8(more ? 0x47 : 0x07);
      this.chars(n.text);
    } else if (n.kind === 'pi') {
      this.u8(0x0a);
      this.nameRef(n.target);
      this.u8(0x0b);
      this.chars(n.data);
    } else this.part(n, more);
  }

  fragmentHeader(): void {
    this.raw(Uint8Array.of(0x0f, 0x01, 0x01, 0x00));
  }
}

function encodeEmbedded(value: WValue, base: number): Uint8Array {
  const spec = value.binxml!;
  const e = new Encoder(CHUNK_SIZE, base, null);
  if (spec.fragmentHeader) e.fragmentHeader();
  e.element(spec.root, false);
  e.u8(0x00);
  return e.bytes.slice(0, e.pos);
}

// ---- Chunk and file assembly ----------------------------------------------------------

interface ChunkState {
  encoder: Encoder;
  templates: Map<WTemplate, number>;
  records: { id: bigint; offset: number }[];
  lastRecordOffset: number;
}

function newChunk(): ChunkState {
  const encoder = new Encoder(CHUNK_SIZE, 0, new Map());
  encoder.pos = 512;
  return { encoder, templates: new Map(), records: [], lastRecordOffset: 0 };
}

/** Encodes one record at the chunk's current position; throws RangeError when it does not fit. */
function encodeRecord(chunk: ChunkState, record: WRecord, id: bigint): void {
  const e = chunk.encoder;
  const start = e.pos;
  const names = new Map(e.names);
  const templates = new Map(chunk.templates);
  try {
    e.raw(Uint8Array.of(0x2a, 0x2a, 0x00, 0x00));
    e.u32(0);
    e.raw(le(8, (d) => d.setBigUint64(0, id, true)));
    const written = typeof record.written === 'string' ? filetimeOf(record.written) : record.written;
    e.raw(le(8, (d) => d.setBigUint64(0, written, true)));
    e.fragmentHeader();
    if (record.template) {
      encodeInstance(chunk, record.template, record.values ?? []);
    } else if (record.body) {
      e.element(record.body, false);
    } else {
      throw new Error(`record ${id} has neither a template nor a body`);
    }
    e.u8(0x00);
    while ((e.pos - start + 4) % 8 !== 0) e.u8(0x00);
    e.u32(e.pos - start + 4);
    e.view.setUint32(start + 4, e.pos - start, true);
    chunk.records.push({ id, offset: start });
    chunk.lastRecordOffset = start;
  } catch (error) {
    // Roll back so the record can go to the next chunk.
    e.bytes.fill(0, start, Math.min(e.pos, CHUNK_SIZE));
    e.pos = start;
    e.names!.clear();
    for (const [k, o] of names) e.names!.set(k, o);
    chunk.templates = templates;
    throw error;
  }
}

function encodeInstance(chunk: ChunkState, tpl: WTemplate, values: WValue[]): void {
  const e = chunk.encoder;
  const guid = guidBytes(tpl.guid);
  e.u8(0x0c);
  e.u8(0x01);
  e.raw(guid.subarray(0, 4));
  const known = chunk.templates.get(tpl);
  if (known !== undefined) {
    e.u32(known);
  } else {
    const definitionAt = e.pos + 4;
    e.u32(definitionAt);
    e.u32(0);
    e.raw(guid);
    const sizeAt = e.pos;
    e.u32(0);
    e.fragmentHeader();
    e.element(tpl.root, true);
    e.u8(0x00);
    e.view.setUint32(sizeAt, e.pos - sizeAt - 4, true);
    chunk.templates.set(tpl, definitionAt);
  }
  e.u32(values.length);
  const descriptorsAt = e.pos;
  for (let i = 0; i < values.length; i++) e.u32(0);
  values.forEach((value, i) => {
    const bytes = value.binxml ? encodeEmbedded(value, e.pos) : value.bytes;
    if (bytes.length > 0xffff)
      throw new Error(`substitution value ${i} is ${bytes.length} bytes, more than the 65535 a descriptor can hold`);
    e.view.setUint16(descriptorsAt + i * 4, bytes.length, true);
    e.view.setUint8(descriptorsAt + i * 4 + 2, value.type);
    e.raw(bytes);
  });
}

function finishChunk(chunk: ChunkState, firstNumber: bigint): Uint8Array {
  const bytes = chunk.encoder.bytes;
  const d = chunk.encoder.view;
  bytes.set([0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00], 0);
  const first = chunk.records[0]!;
  const last = chunk.records[chunk.records.length - 1]!;
  d.setBigUint64(8, firstNumber, true);
  d.setBigUint64(16, firstNumber + BigInt(chunk.records.length - 1), true);
  d.setBigUint64(24, first.id, true);
  d.setBigUint64(32, last.id, true);
  d.setUint32(40, 128, true);
  d.setUint32(44, chunk.lastRecordOffset, true);
  d.setUint32(48, chunk.encoder.pos, true);
  sealChunk(bytes);
  return bytes;
}

/** Recomputes the records CRC (512 up to the free space offset) and the chunk header CRC. */
function sealChunk(bytes: Uint8Array): void {
  const d = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  d.setUint32(52, crc32(bytes, 512, d.getUint32(48, true)), true);
  d.setUint32(124, chunkHeaderCrc(bytes), true);
}

function fileHeader(chunks: number, nextRecordId: bigint, minorVersion: number): Uint8Array {
  const bytes = new Uint8Array(HEADER_SIZE);
  const d = new DataView(bytes.buffer);
  bytes.set([0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00], 0);
  d.setBigUint64(8, 0n, true);
  d.setBigUint64(16, BigInt(Math.max(chunks - 1, 0)), true);
  d.setBigUint64(24, nextRecordId, true);
  d.setUint32(32, 128, true);
  d.setUint16(36, minorVersion, true);
  d.setUint16(38, 3, true);
  d.setUint16(40, HEADER_SIZE, true);
  d.setUint16(42, chunks, true);
  d.setUint32(124, crc32(bytes, 0, 120), true);
  return bytes;
}

/** Writes records into a complete EVTX file, then applies the requested defects. */
export function writeEvtx(records: WRecord[], options: WriteOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  const chunkRecords: { id: bigint; offset: number }[][] = [];
  let chunk = newChunk();
  let nextId = 1n;
  let number = 1n;
  let firstNumber = 1n;
  const flush = () => {
    if (chunk.records.length === 0) return;
    chunks.push(finishChunk(chunk, firstNumber));
    chunkRecords.push(chunk.records);
    firstNumber = number;
    chunk = newChunk();
  };
  for (const record of records) {
    const id = record.id ?? nextId;
    if (options.recordsPerChunk && chunk.records.length >= options.recordsPerChunk) flush();
    try {
      encodeRecord(chunk, record, id);
    } catch (error) {
      if (!(error instanceof RangeError) || chunk.records.length === 0) throw error;
      flush();
      encodeRecord(chunk, record, id);
    }
    nextId = id + 1n;
    number++;
  }
  flush();

  const header = fileHeader(chunks.length, nextId, options.minorVersion ?? 1);
  const file = concat([header, ...chunks]);
  for (const defect of options.defects ?? []) applyDefect(file, defect, chunkRecords);
  return file;
}

function applyDefect(file: Uint8Array, defect: EvtxDefect, chunkRecords: { id: bigint; offset: number }[][]): void {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const chunkAt = (index: number) => {
    if (index >= chunkRecords.length)
      throw new Error(`defect ${defect.kind}: chunk ${index} does not exist (the file has ${chunkRecords.length})`);
    return file.subarray(HEADER_SIZE + index * CHUNK_SIZE, HEADER_SIZE + (index + 1) * CHUNK_SIZE);
  };
  switch (defect.kind) {
    case 'dirtyHeaderUndercount': {
      const firstChunk = chunkRecords[0] ?? [];
      view.setUint16(42, 1, true);
      view.setBigUint64(16, 0n, true);
      view.setBigUint64(24, (firstChunk[firstChunk.length - 1]?.id ?? 0n) + 1n, true);
      view.setUint32(120, 1, true);
      view.setUint32(124, crc32(file, 0, 120), true);
      return;
    }
    case 'staleFileHeaderCrc':
      view.setUint32(124, view.getUint32(124, true) ^ 0x5a5a5a5a, true);
      return;
    case 'staleChunkHeaderCrc': {
      const c = chunkAt(defect.chunk);
      new DataView(c.buffer, c.byteOffset).setUint32(124, chunkHeaderCrc(c) ^ 0x5a5a5a5a, true);
      return;
    }
    case 'staleRecordsCrc': {
      const c = chunkAt(defect.chunk);
      const d = new DataView(c.buffer, c.byteOffset);
      d.setUint32(52, d.getUint32(52, true) ^ 0x5a5a5a5a, true);
      d.setUint32(124, chunkHeaderCrc(c), true);
      return;
    }
    case 'corruptRecordSize': {
      const c = chunkAt(defect.chunk);
      const record = chunkRecords[defect.chunk]![defect.record];
      if (!record) throw new Error(`defect corruptRecordSize: chunk ${defect.chunk} has no record ${defect.record}`);
      new DataView(c.buffer, c.byteOffset).setUint32(record.offset + 4, defect.size >>> 0, true);
      if (!defect.staleCrc) sealChunk(c);
      return;
    }
    case 'wipedChunkSignature':
      chunkAt(defect.chunk).fill(0, 0, 8);
      return;
    case 'recordInSlack': {
      const c = chunkAt(defect.chunk);
      const records = chunkRecords[defect.chunk]!;
      if (records.length < 2) throw new Error(`defect recordInSlack: chunk ${defect.chunk} needs at least 2 records`);
      const d = new DataView(c.buffer, c.byteOffset);
      d.setUint32(48, records[records.length - 1]!.offset, true);
      d.setUint32(44, records[records.length - 2]!.offset, true);
      d.setBigUint64(16, d.getBigUint64(16, true) - 1n, true);
      d.setBigUint64(32, records[records.length - 2]!.id, true);
      sealChunk(c);
      return;
    }
  }
}

// ---- Chunk-at-a-time writing ----------------------------------------------------------

/** Position of a record written by EvtxChunkWriter, in the terms the EVTX reader reports. */
export interface RecordPlacement {
  /** 0-based index of the chunk that contains the record. */
  chunk: number;
  recordId: bigint;
  /** Offset of the record from the start of the file. */
  fileOffset: number;
}

export interface ChunkWriterOptions {
  /** Identifier (and log record number) of the first record; default 1. A log cleared by Windows goes on counting. */
  firstRecordId?: bigint;
  /** Minor format version written into the file header: 1 (default) or 2. */
  minorVersion?: number;
}

/** The largest chunk count the file header's 16-bit field can declare. */
const MAX_CHUNKS = 0xffff;

/**
 * Bytes left free at the end of every chunk EvtxChunkWriter writes. libevtx 20181227 drops
 * the last record of a chunk whose records end exactly at the chunk end (free space offset
 * 65536), and Windows leaves slack there too.
 */
const CHUNK_TAIL_RESERVE = 16;

/**
 * Encodes like `encodeRecord`, but the record must end by `limit`, and the chunk's name
 * and template tables are only saved for a rollback when the record brings a new template
 * definition: a record that reuses a template adds no names, so resetting the position
 * undoes it. Throws RangeError, with the chunk unchanged, when the record does not fit.
 */
function encodeRecordWithin(chunk: ChunkState, record: WRecord, id: bigint, limit: number): void {
  const e = chunk.encoder;
  const start = e.pos;
  const lastRecordOffset = chunk.lastRecordOffset;
  if (!record.template || !chunk.templates.has(record.template)) {
    const names = new Map(e.names);
    const templates = new Map(chunk.templates);
    encodeRecord(chunk, record, id);
    if (e.pos > limit) {
      e.bytes.fill(0, start, e.pos);
      e.pos = start;
      e.names!.clear();
      for (const [k, o] of names) e.names!.set(k, o);
      chunk.templates = templates;
      chunk.records.pop();
      chunk.lastRecordOffset = lastRecordOffset;
      throw new RangeError('record does not fit before the chunk tail');
    }
    return;
  }
  try {
    e.u32(0x00002a2a);
    e.u32(0);
    // Identifier and written time go straight into the chunk buffer: no temporary arrays per record.
    e.u32(0);
    e.u32(0);
    e.view.setBigUint64(e.pos - 8, id, true);
    const written = typeof record.written === 'string' ? filetimeOf(record.written) : record.written;
    e.u32(0);
    e.u32(0);
    e.view.setBigUint64(e.pos - 8, written, true);
    e.fragmentHeader();
    encodeInstance(chunk, record.template, record.values ?? []);
    e.u8(0x00);
    while ((e.pos - start + 4) % 8 !== 0) e.u8(0x00);
    e.u32(e.pos - start + 4);
    if (e.pos > limit) throw new RangeError('record does not fit before the chunk tail');
    e.view.setUint32(start + 4, e.pos - start, true);
    chunk.records.push({ id, offset: start });
    chunk.lastRecordOffset = start;
  } catch (error) {
    e.bytes.fill(0, start, Math.min(e.pos, CHUNK_SIZE));
    e.pos = start;
    throw error;
  }
}

/**
 * Writes an EVTX file one record at a time and hands out each 64 KiB chunk as soon as it
 * is full, so a caller can stream a file of any size with one chunk in memory. Record
 * identifiers follow on from `firstRecordId` without gaps. Chunks come out in file order
 * from `takeChunks()`. `finish()` returns the last chunk and the file header, which goes
 * at offset 0 once every chunk has been written after it.
 */
export class EvtxChunkWriter {
  private chunk: ChunkState = newChunk();
  private chunkIndex = 0;
  private firstNumber: bigint;
  private nextId: bigint;
  private ready: Uint8Array[] = [];
  private finished = false;
  private readonly minorVersion: number;

  constructor(options: ChunkWriterOptions = {}) {
    this.nextId = options.firstRecordId ?? 1n;
    this.firstNumber = this.nextId;
    this.minorVersion = options.minorVersion ?? 1;
  }

  /** Identifier the next record gets. */
  get nextRecordId(): bigint {
    return this.nextId;
  }

  /** Chunks started so far, the open one included once it contains a record. */
  get chunkCount(): number {
    return this.chunkIndex + (this.chunk.records.length > 0 ? 1 : 0);
  }

  /** Encodes one record (its `id` is ignored: identifiers are sequential) and returns where it sits. */
  add(record: WRecord): RecordPlacement {
    if (this.finished) throw new Error('EvtxChunkWriter.add called after finish()');
    const id = this.nextId;
    const limit = CHUNK_SIZE - CHUNK_TAIL_RESERVE;
    try {
      encodeRecordWithin(this.chunk, record, id, limit);
    } catch (error) {
      if (!(error instanceof RangeError) || this.chunk.records.length === 0) throw error;
      this.closeChunk();
      encodeRecordWithin(this.chunk, record, id, limit);
    }
    this.nextId = id + 1n;
    const offset = this.chunk.records[this.chunk.records.length - 1]!.offset;
    return { chunk: this.chunkIndex, recordId: id, fileOffset: HEADER_SIZE + this.chunkIndex * CHUNK_SIZE + offset };
  }

  /** Full chunks not yet taken, in file order; each belongs right after the previous one. */
  takeChunks(): Uint8Array[] {
    const chunks = this.ready;
    this.ready = [];
    return chunks;
  }

  /** Closes the open chunk and returns it (null when it is empty) with the header for the whole file. */
  finish(): { header: Uint8Array; lastChunk: Uint8Array | null } {
    if (this.finished) throw new Error('EvtxChunkWriter.finish called twice');
    this.finished = true;
    let lastChunk: Uint8Array | null = null;
    if (this.chunk.records.length > 0) {
      this.closeChunk();
      lastChunk = this.ready.pop()!;
    }
    return { header: fileHeader(this.chunkIndex, this.nextId, this.minorVersion), lastChunk };
  }

  private closeChunk(): void {
    if (this.chunkIndex >= MAX_CHUNKS) {
      throw new RangeError(
        `EVTX file would need more than ${MAX_CHUNKS} chunks, the most its header can declare: split the records over several files`,
      );
    }
    this.ready.push(finishChunk(this.chunk, this.firstNumber));
    this.firstNumber += BigInt(this.chunk.records.length);
    this.chunkIndex += 1;
    this.chunk = newChunk();
  }
}
