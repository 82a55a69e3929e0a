// Field access and the stored JSON record for Windows events, shared by the
// normalizer's per-channel mappings.

import { formatMicrosIso } from '../../shared/time.ts';
import type { WinDataItem, WinEvent, XmlNode } from '../formats/windows/event.ts';

function leafText(node: XmlNode): string {
  let out = '';
  for (const child of node.children) out += typeof child === 'string' ? child : leafText(child);
  return out;
}

function elementChildren(node: XmlNode): XmlNode[] {
  return node.children.filter((child): child is XmlNode => typeof child !== 'string');
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function itemText(item: WinDataItem): string | null {
  if (item.value === null) return null;
  return Array.isArray(item.value) ? item.value.join(', ') : item.value;
}

/**
 * The values of one event by name: EventData items by their Name, unnamed ones as
 * `Data[0]`, `Data[1]`..., and the leaf elements of UserData by local name. The first
 * item of a repeated name wins here; the stored record keeps all of them.
 */
export class EventFields {
  private readonly values = new Map<string, string | null>();
  /** Unnamed Data values in order. */
  readonly unnamed: string[] = [];

  constructor(readonly event: WinEvent) {
    let position = 0;
    for (const item of event.eventData ?? []) {
      if (item.name === null) {
        const text = itemText(item) ?? '';
        this.unnamed.push(text);
        this.values.set(`Data[${position}]`, text);
        position += 1;
      } else if (!this.values.has(item.name)) {
        this.values.set(item.name, itemText(item));
      }
    }
    if (event.userData) this.addLeaves(event.userData);
  }

  private addLeaves(node: XmlNode): void {
    const children = elementChildren(node);
    if (children.length === 0) {
      const name = localName(node.name);
      if (!this.values.has(name)) this.values.set(name, leafText(node));
      return;
    }
    for (const child of children) this.addLeaves(child);
  }

  /** The raw value, or null when absent. */
  raw(name: string): string | null {
    return this.values.get(name) ?? null;
  }

  /** The value with `-` and empty text read as absent, as Windows writes "none". */
  get(...names: string[]): string | null {
    for (const name of names) {
      const value = this.values.get(name);
      if (value !== undefined && value !== null && value.trim() !== '' && value.trim() !== '-') return value;
    }
    return null;
  }

  /** A decimal or `0x` hex integer (Security events write PIDs as `0x1a4`). */
  int(...names: string[]): number | null {
    const text = this.get(...names);
    if (text === null) return null;
    const trimmed = text.trim();
    let value = Number.NaN;
    if (/^0x[0-9a-f]+$/i.test(trimmed)) value = Number.parseInt(trimmed, 16);
    else if (/^\d+$/.test(trimmed)) value = Number(trimmed);
    return Number.isSafeInteger(value) ? value : null;
  }

  /**
   * `key=value` lines inside unnamed Data, as classic PowerShell (400, 403, 600, 800)
   * writes its details (`\tHostApplication=powershell.exe -enc ...`).
   */
  keyValue(key: string): string | null {
    const pattern = new RegExp(`(?:^|[\\r\\n])\\s*${key}=([^\\r\\n]*)`);
    for (const text of this.unnamed) {
      const match = pattern.exec(text);
      if (match) return match[1]!.trim() === '' ? null : match[1]!;
    }
    return null;
  }
}

function nodeToJson(node: XmlNode): unknown {
  const children = elementChildren(node);
  const attributes = Object.entries(node.attributes);
  if (children.length === 0 && attributes.length === 0) return leafText(node);
  const out: Record<string, unknown> = {};
  const repeated = new Set<string>();
  for (const [name, value] of attributes) out[`@${name}`] = value;
  for (const child of children) {
    const name = localName(child.name);
    const value = nodeToJson(child);
    if (!(name in out)) out[name] = value;
    else if (repeated.has(name)) (out[name] as unknown[]).push(value);
    else {
      out[name] = [out[name], value];
      repeated.add(name);
    }
  }
  const text = node.children.filter((child) => typeof child === 'string').join('');
  if (text.trim() !== '' && children.length > 0) out['#text'] = text;
  else if (children.length === 0 && text !== '') out['#text'] = text;
  return out;
}

/**
 * The full record as JSON text: System fields, EventData items in order (unnamed as
 * `Data[0]`..., a repeated name as an array of its values), UserData, RenderingInfo,
 * and anything an export added (`Export`, `Shape`), plus warnings and the `extra`
 * sections the caller adds (such as `ScriptBlock`). Values are exact:
 * the record id and other 64-bit values are strings, times keep all their digits.
 */
export function windowsRecordJson(
  event: WinEvent & { envelope?: { name: string; value: string }[]; shape?: string },
  extra?: Record<string, unknown>,
): string {
  const s = event.system;
  const system: Record<string, unknown> = {};
  const put = (name: string, value: unknown) => {
    if (value !== null && value !== undefined) system[name] = value;
  };
  put('Provider', s.provider);
  put('ProviderGuid', s.providerGuid);
  put('EventSourceName', s.eventSourceName);
  put('EventID', s.eventId);
  put('Qualifiers', s.qualifiers);
  put('Version', s.version);
  put('Level', s.level);
  put('Task', s.task);
  put('Opcode', s.opcode);
  put('Keywords', s.keywords);
  if (s.timeCreated) put('TimeCreated', formatMicrosIso(s.timeCreated.micros, s.timeCreated.nanos));
  put('EventRecordID', s.recordId === null ? null : s.recordId.toString());
  put('ActivityID', s.activityId);
  put('RelatedActivityID', s.relatedActivityId);
  put('ProcessID', s.processId);
  put('ThreadID', s.threadId);
  put('Channel', s.channel);
  put('Computer', s.computer);
  put('UserID', s.userSid);
  const record: Record<string, unknown> = { System: system };
  if (event.eventData) {
    const data: Record<string, unknown> = {};
    const repeated = new Set<string>();
    let position = 0;
    for (const item of event.eventData) {
      const name = item.name ?? `Data[${position++}]`;
      if (name in data) {
        data[name] = repeated.has(name) ? [...(data[name] as unknown[]), item.value] : [data[name], item.value];
        repeated.add(name);
      } else {
        data[name] = item.value;
      }
    }
    record.EventData = data;
  }
  if (event.userData) record.UserData = { [localName(event.userData.name)]: nodeToJson(event.userData) };
  if (event.rendering) record.RenderingInfo = event.rendering;
  if (event.envelope && event.envelope.length > 0) {
    const envelope: Record<string, string | string[]> = {};
    for (const field of event.envelope) {
      const existing = envelope[field.name];
      envelope[field.name] =
        existing === undefined ? field.value : Array.isArray(existing) ? [...existing, field.value] : [existing, field.value];
    }
    record.Export = envelope;
  }
  if (event.shape) record.Shape = event.shape;
  if (event.recovered) record.Recovered = true;
  if (event.warnings.length > 0) record.Warnings = event.warnings;
  if (extra) Object.assign(record, extra);
  return JSON.stringify(record);
}

/** Splits `DOMAIN\user` into its parts; a name without a backslash has no domain. */
export function splitAccount(account: string | null): { name: string | null; domain: string | null } {
  if (account === null) return { name: null, domain: null };
  const slash = account.indexOf('\\');
  return slash < 0 ? { name: account, domain: null } : { name: account.slice(slash + 1), domain: account.slice(0, slash) };
}

/** The last path component of a Windows or POSIX path. */
export function baseName(path: string | null): string | null {
  if (path === null) return null;
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return cut < 0 ? path : path.slice(cut + 1);
}

/** `DOMAIN\name` for messages, or the name alone. */
export function accountText(name: string | null, domain: string | null): string | null {
  if (name === null) return null;
  return domain ? `${domain}\\${name}` : name;
}

/** Sysmon's `Hashes` list (`SHA1=..,MD5=..,SHA256=..,IMPHASH=..`): the strongest file hash. */
export function strongestHash(hashes: string | null): string | null {
  if (hashes === null) return null;
  const found = new Map<string, string>();
  for (const part of hashes.split(',')) {
    const equals = part.indexOf('=');
    if (equals > 0) found.set(part.slice(0, equals).trim().toUpperCase(), part.slice(equals + 1).trim());
  }
  for (const algorithm of ['SHA256', 'SHA1', 'MD5']) if (found.has(algorithm)) return found.get(algorithm)!;
  return found.size === 0 ? hashes : null;
}

/** An IP address as Windows writes it, without the IPv4-mapped `::ffff:` prefix; `-` is absent. */
export function cleanAddress(address: string | null): string | null {
  if (address === null) return null;
  const trimmed = address.trim();
  if (trimmed === '' || trimmed === '-') return null;
  return trimmed.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

/** IANA protocol numbers that Windows Filtering Platform events write. */
const PROTOCOLS: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp' };

/** Name the protocol of an IANA protocol number; other values are returned as written. */
export function protocolName(value: string | null): string | null {
  return value === null ? null : (PROTOCOLS[value] ?? value);
}
