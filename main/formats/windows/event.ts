// The structured Windows event shared by the binary EVTX parser and the export readers
// (XML, JSON, CSV), so one normalizer maps all of them into the unified model.

import type { TimeNote } from '../../../shared/events.ts';

/** A time with the source's full precision: microseconds since the Unix epoch plus 0-999 ns. */
export interface PreciseTime {
  micros: bigint;
  nanos: number;
  note?: TimeNote;
}

/** One `<Data>` (or other EventData child) in document order; unnamed items have name null. */
export interface WinDataItem {
  name: string | null;
  /** Array substitutions keep one entry per item; an empty element is "". */
  value: string | string[] | null;
}

/** A generic XML element, used for UserData and anything without a fixed shape. */
export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: (XmlNode | string)[];
}

export interface WinSystem {
  provider: string | null;
  providerGuid: string | null;
  eventSourceName: string | null;
  eventId: number | null;
  qualifiers: number | null;
  version: number | null;
  level: number | null;
  task: number | null;
  opcode: number | null;
  keywords: string | null;
  timeCreated: PreciseTime | null;
  recordId: bigint | null;
  activityId: string | null;
  relatedActivityId: string | null;
  processId: number | null;
  threadId: number | null;
  channel: string | null;
  computer: string | null;
  userSid: string | null;
}

export interface WinEvent {
  system: WinSystem;
  /** EventData children in order, or null when the event has no EventData. */
  eventData: WinDataItem[] | null;
  /** UserData content, or null. */
  userData: XmlNode | null;
  /** RenderingInfo from exports (Message, Level, Task text), when present. */
  rendering: { message: string | null; level: string | null; task: string | null; opcode: string | null } | null;
  /** Warnings about this record's values (type mismatches, repaired characters, odd booleans). */
  warnings: string[];
  /** Where the record sits in its file: `chunk=3 record=1042 offset=0x1f0a0`, `line=17`. */
  locator: string;
  /** True for records carved from slack or deleted space. */
  recovered: boolean;
}

/** Create a WinSystem with every field null, for readers to fill in. */
export function emptySystem(): WinSystem {
  return {
    provider: null,
    providerGuid: null,
    eventSourceName: null,
    eventId: null,
    qualifiers: null,
    version: null,
    level: null,
    task: null,
    opcode: null,
    keywords: null,
    timeCreated: null,
    recordId: null,
    activityId: null,
    relatedActivityId: null,
    processId: null,
    threadId: null,
    channel: null,
    computer: null,
    userSid: null,
  };
}
