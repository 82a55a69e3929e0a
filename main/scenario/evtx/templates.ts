// Templates built from the event specs, the way Windows writes them: the System element
// takes every per-record value (EventID, Version, Level, Task, Opcode, Keywords, times,
// record id, execution ids, channel, computer, user) as a substitution, and each EventData
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

/** A GUID derived from the spec key, so the same spec always gets the same template GUID. */
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

function fieldValue(type: FieldType, value: FieldValue, name: string): WValue {
  if (value === null) return v.null();
  switch (type) {
    case 'string':
      return v.string(String(value));
    case 'uint16':
      return v.uint16(Number(value));
    case 'uint32':
      return v.uint32(Number(value));
    case 'int32':
      return v.int32(Number(value));
    case 'hex32':
      return v.hex32(Number(value));
    case 'hex64':
      return v.hex64(BigInt(value as number | bigint));
    case 'guid':
      return v.guid(String(value));
    case 'sid':
      return v.sid(String(value));
    case 'bool':
      return v.bool(Boolean(value));
    case 'binary':
      if (!(value instanceof Uint8Array)) throw new Error(`field ${name}: expected bytes for a binary value`);
      return v.binary(value);
  }
}

/**
 * Builds the substitution values of one record. `data` holds one value per spec field (and
 * the Binary bytes last when the spec has them); the record id slot is filled by `setRecordId`.
 */
export function recordValues(spec: EventSpec, system: SystemValues, data: FieldValue[]): WValue[] {
  const expected = spec.fields.length + (spec.binary ? 1 : 0);
  if (data.length !== expected) throw new Error(`${spec.key}: ${data.length} values for ${expected} fields`);
  const values: WValue[] = [
    v.uint16(spec.eventId),
    v.uint8(spec.version),
    v.uint8(system.level ?? spec.level),
    v.uint16(spec.task),
    v.uint8(spec.opcode),
    v.hex64(spec.keywords),
    v.filetime(system.timeCreated),
    v.uint64(0n),
    system.activityId ? v.guid(system.activityId) : v.null(),
    v.uint32(system.processId),
    v.uint32(system.threadId),
    v.string(spec.channel),
    v.string(system.computer),
    system.userSid ? v.sid(system.userSid) : v.null(),
  ];
  spec.fields.forEach((field, i) => {
    values.push(fieldValue(field.type, data[i] ?? null, field.name));
  });
  if (spec.binary) values.push(fieldValue('binary', data[spec.fields.length] ?? new Uint8Array(0), 'Binary'));
  return values;
}

export function setRecordId(values: WValue[], id: bigint): void {
  values[RECORD_ID_INDEX] = v.uint64(id);
}
