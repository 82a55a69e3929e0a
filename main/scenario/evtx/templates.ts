// Templates built from the event specs the way Windows writes them. The System element
// takes every per-record value as a substitution: EventID, Version, Level, Task, Opcode,
// Keywords, times, record id, execution ids, channel, computer and user. Each EventData
// or UserData field is one more substitution with the field's value type.

import { createHash } from 'node:crypto';
import { template, v, type WElement, type WNode, type WTemplate, type WValue, xml } from '../../formats/evtx/writer.ts';
import type { EventSpec, FieldType } from './specs.ts';

const { el, sub, opt } = xml;

/** Value type bytes (MS-EVEN6 2.2.13) of the field types. */
const TYPE_CODES: Record<FieldType, number> = {
  string: 0x01,
  uint16: 0x06,
  uint32: 0x08,
  int32: 0x07,
  hex32: 0x14,
  hex64: 0x15,
  guid: 0x0f,
  sid: 0x13,
  bool: 0x0d,
  binary: 0x0e,
};

/** Substitution indexes of the System values, in template order. */
export const SYSTEM_VALUES = 14;
const RECORD_ID_INDEX = 7;

const cache = new Map<string, WTemplate>();

/** Derives the template GUID from the spec key, so a spec gets the same GUID in every run. */
function templateGuid(key: string): string {
  const h = createHash('sha256').update(`casebook-scenario-template:${key}`).digest('hex').toUpperCase();
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}}`;
}

export function templateFor(spec: EventSpec): WTemplate {
  const known = cache.get(spec.key);
  if (known) return known;
  const providerAttributes: Record<string, string> = { Name: spec.provider.name, Guid: spec.provider.guid };
  if (spec.provider.eventSourceName) providerAttributes.EventSourceName = spec.provider.eventSourceName;
  const eventIdAttributes: Record<string, string> = spec.qualifiers === undefined ? {} : { Qualifiers: String(spec.qualifiers) };
  const system = el(
    'System',
    {},
    el('Provider', providerAttributes),
    el('EventID', eventIdAttributes, sub(0, 0x06)),
    el('Version', {}, sub(1, 0x04)),
    el('Level', {}, sub(2, 0x04)),
    el('Task', {}, sub(3, 0x06)),
    el('Opcode', {}, sub(4, 0x04)),
    el('Keywords', {}, sub(5, 0x15)),
    el('TimeCreated', { SystemTime: sub(6, 0x11) }),
    el('EventRecordID', {}, sub(RECORD_ID_INDEX, 0x0a)),
    el('Correlation', { ActivityID: opt(8, 0x0f) }),
    el('Execution', { ProcessID: sub(9, 0x08), ThreadID: sub(10, 0x08) }),
    el('Channel', {}, sub(11, 0x01)),
    el('Computer', {}, sub(12, 0x01)),
    el('Security', { UserID: opt(13, 0x13) }),
  );
  const items: WNode[] = spec.fields.map((field, i) =>
    spec.userData
      ? el(field.name, {}, sub(SYSTEM_VALUES + i, TYPE_CODES[field.type]))
      : el('Data', { Name: field.name }, sub(SYSTEM_VALUES + i, TYPE_CODES[field.type])),
  );
  let body: WElement;
  if (spec.userData) {
    body = el('UserData', {}, el(spec.userData.element, { xmlns: spec.userData.xmlns }, ...items));
  } else {
    if (spec.binary) items.push(el('Binary', {}, sub(SYSTEM_VALUES + spec.fields.length, 0x0e)));
    body = el('EventData', {}, ...items);
  }
  const built = template(
    el('Event', { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' }, system, body),
    templateGuid(spec.key),
  );
  cache.set(spec.key, built);
  return built;
}

export type FieldValue = string | number | bigint | boolean | Uint8Array | null;

/** System values of one record, except the record id, which the file assigns. */
export interface SystemValues {
  timeCreated: bigint;
  processId: number;
  threadId: number;
  computer: string;
  userSid: string | null;
  activityId?: string | null;
  /** Overrides the spec's level (PowerShell marks suspicious script blocks as warnings). */
  level?: number;
}

// Value bytes built with Buffer's pooled allocations: the same bytes as the writer's `v`
// builders (checked in templates.test.ts), without a DataView per value, which matters
// at millions of records.

function sized(type: number, size: number, write: (bytes: Buffer) => void): WValue {
  const bytes = Buffer.allocUnsafe(size);
  write(bytes);
  return { type, bytes };
}

export const fast = {
  string: (text: string): WValue => ({ type: 0x01, bytes: Buffer.from(text, 'utf16le') }),
  uint8: (n: number): WValue => sized(0x04, 1, (b) => b.writeUInt8(n)),
  uint16: (n: number): WValue => sized(0x06, 2, (b) => b.writeUInt16LE(n)),
  uint32: (n: number): WValue => sized(0x08, 4, (b) => b.writeUInt32LE(n)),
  int32: (n: number): WValue => sized(0x07, 4, (b) => b.writeInt32LE(n)),
  uint64: (n: bigint): WValue => sized(0x0a, 8, (b) => b.writeBigUInt64LE(n)),
  hex32: (n: number): WValue => sized(0x14, 4, (b) => b.writeUInt32LE(n >>> 0)),
  hex64: (n: bigint): WValue => sized(0x15, 8, (b) => b.writeBigUInt64LE(n)),
  filetime: (ticks: bigint): WValue => sized(0x11, 8, (b) => b.writeBigUInt64LE(ticks)),
  bool: (value: boolean): WValue => sized(0x0d, 4, (b) => b.writeUInt32LE(value ? 1 : 0)),
  /** GUID text `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`: the first three groups little-endian, the rest as written. */
  guid: (text: string): WValue => {
    const hex = text.replace(/[{}-]/g, '');
    if (hex.length !== 32) return v.guid(text);
    return sized(0x0f, 16, (b) => {
      b.writeUInt32LE(Number.parseInt(hex.slice(0, 8), 16), 0);
      b.writeUInt16LE(Number.parseInt(hex.slice(8, 12), 16), 4);
      b.writeUInt16LE(Number.parseInt(hex.slice(12, 16), 16), 6);
      b.write(hex.slice(16), 8, 'hex');
    });
  },
};

/** SIDs repeat (a handful of accounts per scenario), so their bytes are built once. */
const sidCache = new Map<string, WValue>();

function sidValue(text: string): WValue {
  let value = sidCache.get(text);
  if (!value) {
    value = v.sid(text);
    if (sidCache.size < 10_000) sidCache.set(text, value);
  }
  return value;
}

function fieldValue(type: FieldType, value: FieldValue, name: string): WValue {
  if (value === null) return v.null();
  switch (type) {
    case 'string':
      return fast.string(String(value));
    case 'uint16':
      return fast.uint16(Number(value));
    case 'uint32':
      return fast.uint32(Number(value));
    case 'int32':
      return fast.int32(Number(value));
    case 'hex32':
      return fast.hex32(Number(value));
    case 'hex64':
      return fast.hex64(BigInt(value as number | bigint));
    case 'guid':
      return fast.guid(String(value));
    case 'sid':
      return sidValue(String(value));
    case 'bool':
      return fast.bool(Boolean(value));
    case 'binary':
      if (!(value instanceof Uint8Array)) throw new Error(`field ${name}: expected bytes for a binary value`);
      return v.binary(value);
  }
}

/** Placeholder in the record id slot until the file assigns the id. */
const NO_RECORD_ID = v.uint64(0n);

/**
 * Builds the substitution values of one record. `data` contains one value per spec field (and
 * the Binary bytes last when the spec has them); the record id slot is filled by `setRecordId`.
 */
export function recordValues(spec: EventSpec, system: SystemValues, data: FieldValue[]): WValue[] {
  const expected = spec.fields.length + (spec.binary ? 1 : 0);
  if (data.length !== expected) throw new Error(`${spec.key}: ${data.length} values for ${expected} fields`);
  const values: WValue[] = [
    fast.uint16(spec.eventId),
    fast.uint8(spec.version),
    fast.uint8(system.level ?? spec.level),
    fast.uint16(spec.task),
    fast.uint8(spec.opcode),
    fast.hex64(spec.keywords),
    fast.filetime(system.timeCreated),
    NO_RECORD_ID,
    system.activityId ? fast.guid(system.activityId) : v.null(),
    fast.uint32(system.processId),
    fast.uint32(system.threadId),
    fast.string(spec.channel),
    fast.string(system.computer),
    system.userSid ? sidValue(system.userSid) : v.null(),
  ];
  spec.fields.forEach((field, i) => {
    values.push(fieldValue(field.type, data[i] ?? null, field.name));
  });
  if (spec.binary) values.push(fieldValue('binary', data[spec.fields.length] ?? new Uint8Array(0), 'Binary'));
  return values;
}

export function setRecordId(values: WValue[], id: bigint): void {
  values[RECORD_ID_INDEX] = fast.uint64(id);
}
