// Identity of one Windows event record across copies of its log. A VSS snapshot, a
// backup or an XML export of Security.evtx holds many of the records the live log
// holds; the import stores each such record once. Two records are the same when they
// come from the same computer and channel, carry the same EventRecordID, and have the
// same content: provider, event id, TimeCreated and every EventData and UserData value.
// The record id alone is not enough, because clearing a log restarts the ids at 1, so
// a later record can reuse the id of an older, different one.
//
// Exports render some values differently from the binary log, so those are compared
// in one canonical form: TimeCreated to the microsecond (evtx_dump's JSON drops the
// 100 ns digit), GUIDs upper-case without braces (evtx_dump writes them bare), and
// ISO times in EventData without trailing zeros in the fraction (Windows' XML writes
// 9 digits, the EVTX reader 7).
// NOTE: an export that drops the EventData names (Get-WinEvent's Properties list) or
// renders values in another way gives other identities, so its records are stored again.

import { hash } from 'node:crypto';
import type { WinEvent, XmlNode } from '../formats/windows/event.ts';

export interface WindowsRecordIdentity {
  /** 32 hex digits: the first 128 bits of the SHA-256 of the canonical record. */
  key: string;
  /** Computer and channel, lower-cased: the log the record belongs to. */
  scope: string;
}

/** Length-prefixed text, so no value can imitate a field separator. */
function field(text: string): string {
  return `${text.length}:${text}`;
}

/**
 * Windows renders a FILETIME value in XML with 9 fractional digits (the last two zero),
 * the EVTX reader with 7; both name the same instant, so trailing zeros are dropped.
 */
const ISO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d*?)0+Z$/;

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

function valueText(value: string | string[] | null): string {
  if (value === null) return field('');
  if (Array.isArray(value)) return `[${value.map(valueText).join('')}]`;
  if (value.length >= 21 && value.length <= 31 && value.endsWith('Z')) {
    const match = ISO_TIME.exec(value);
    if (match) return field(`${match[1]!.replace(/\.$/, '')}Z`);
  }
  if (value.length === 36 || value.length === 38) {
    const match = GUID.exec(value);
    if (match) return field(match[1]!.toUpperCase());
  }
  return field(value);
}

function leaves(node: XmlNode, out: string[]): void {
  const elements = node.children.filter((child): child is XmlNode => typeof child !== 'string');
  if (elements.length === 0) {
    const colon = node.name.indexOf(':');
    out.push(field(colon < 0 ? node.name : node.name.slice(colon + 1)));
    out.push(valueText(node.children.join('')));
    return;
  }
  for (const child of elements) leaves(child, out);
}

/**
 * Returns the record's identity, or null when it has no EventRecordID (CSV exports
 * often drop it); such records are always stored. Names of the computer, channel and
 * provider are compared without case, as Windows compares them; values are compared
 * exactly, with an empty value and a missing one treated alike.
 */
export function windowsRecordIdentity(event: WinEvent): WindowsRecordIdentity | null {
  const s = event.system;
  if (s.recordId === null) return null;
  const scope = `${(s.computer ?? '').toLowerCase()}\u0001${(s.channel ?? '').toLowerCase()}`;
  const parts = [
    'windows-record-1',
    field(scope),
    s.recordId.toString(),
    field((s.provider ?? '').toLowerCase()),
    String(s.eventId ?? ''),
    s.timeCreated ? String(s.timeCreated.micros) : '',
  ];
  if (event.eventData) {
    parts.push('E');
    for (const item of event.eventData) parts.push(field(item.name ?? ''), valueText(item.value));
  }
  if (event.userData) {
    parts.push('U');
    leaves(event.userData, parts);
  }
  return { key: hash('sha256', parts.join('|'), 'hex').slice(0, 32), scope };
}
