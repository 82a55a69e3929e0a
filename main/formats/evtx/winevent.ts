// Maps a parsed record's element tree onto the shared WinEvent shape
// (main/formats/windows/event.ts), so the EVTX parser feeds the same normalizer as the
// XML, JSON and CSV export readers.

import { emptySystem, type PreciseTime, type WinDataItem, type WinEvent, type WinSystem, type XmlNode } from '../windows/event.ts';
import { attributeText, type BxAttribute, type BxElement, type BxNode, flatText } from './binxml.ts';
import { filetimeToPrecise } from './values.ts';

function child(element: BxElement | undefined, name: string): BxElement | undefined {
  if (!element) return undefined;
  for (const c of element.children) if (c.kind === 'element' && c.name === name) return c;
  return undefined;
}

function attribute(element: BxElement | undefined, name: string): BxAttribute | undefined {
  return element?.attributes.find((a) => a.name === name);
}

function textOrNull(element: BxElement | undefined): string | null {
  if (!element) return null;
  const text = flatText(element.children);
  return text === '' ? null : text;
}

function attrOrNull(element: BxElement | undefined, name: string): string | null {
  const a = attribute(element, name);
  if (!a) return null;
  const text = attributeText(a);
  return text === '' ? null : text;
}

function toInt(text: string | null): number | null {
  if (text === null) return null;
  const trimmed = text.trim();
  const n = /^0x[0-9a-f]+$/i.test(trimmed) ? Number.parseInt(trimmed, 16) : /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  return Number.isSafeInteger(n) ? n : null;
}

function toBigInt(text: string | null): bigint | null {
  if (text === null || !/^\d+$/.test(text.trim())) return null;
  return BigInt(text.trim());
}

/** SystemTime from the FILETIME value itself when it is one, else from ISO 8601 text (7 fractional digits kept). */
function timeCreated(element: BxElement | undefined): PreciseTime | null {
  const a = attribute(element, 'SystemTime');
  if (!a) return null;
  const only = a.parts.length === 1 ? a.parts[0] : undefined;
  if (only?.kind === 'value' && only.value.filetime !== undefined) return filetimeToPrecise(only.value.filetime);
  return parseIsoTime(attributeText(a));
}

/** Parses `YYYY-MM-DDTHH:MM:SS[.fraction]Z` keeping up to 9 fractional digits. */
export function parseIsoTime(text: string): PreciseTime | null {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z?$/.exec(text.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}Z`);
  if (Number.isNaN(ms)) return null;
  const digits = (m[3] ?? '').padEnd(9, '0');
  return { micros: BigInt(ms) * 1000n + BigInt(digits.slice(0, 6)), nanos: Number(digits.slice(6)) };
}

function system(root: BxElement): WinSystem {
  const sys = child(root, 'System');
  const provider = child(sys, 'Provider');
  const eventId = child(sys, 'EventID');
  const execution = child(sys, 'Execution');
  const correlation = child(sys, 'Correlation');
  return {
    provider: attrOrNull(provider, 'Name'),
    providerGuid: attrOrNull(provider, 'Guid'),
    eventSourceName: attrOrNull(provider, 'EventSourceName'),
    eventId: toInt(textOrNull(eventId)),
    qualifiers: toInt(attrOrNull(eventId, 'Qualifiers')),
    version: toInt(textOrNull(child(sys, 'Version'))),
    level: toInt(textOrNull(child(sys, 'Level'))),
    task: toInt(textOrNull(child(sys, 'Task'))),
    opcode: toInt(textOrNull(child(sys, 'Opcode'))),
    keywords: textOrNull(child(sys, 'Keywords')),
    timeCreated: timeCreated(child(sys, 'TimeCreated')),
    recordId: toBigInt(textOrNull(child(sys, 'EventRecordID'))),
    activityId: attrOrNull(correlation, 'ActivityID'),
    relatedActivityId: attrOrNull(correlation, 'RelatedActivityID'),
    processId: toInt(attrOrNull(execution, 'ProcessID')),
    threadId: toInt(attrOrNull(execution, 'ThreadID')),
    channel: textOrNull(child(sys, 'Channel')),
    computer: textOrNull(child(sys, 'Computer')),
    userSid: attrOrNull(child(sys, 'Security'), 'UserID'),
  };
}

/**
 * EventData children in order. A `<Data>` item is named by its Name attribute (null when
 * unnamed); any other child (such as `<Binary>`) is named by its element name. A child
 * whose content is empty has the value "".
 */
function eventData(root: BxElement): WinDataItem[] | null {
  const data = child(root, 'EventData');
  if (!data) return null;
  const items: WinDataItem[] = [];
  for (const c of data.children) {
    if (c.kind !== 'element') continue;
    const name = c.name === 'Data' ? attrOrNull(c, 'Name') : c.name;
    items.push({ name, value: flatText(c.children) });
  }
  return items;
}

export function toXmlNode(element: BxElement): XmlNode {
  const attributes: Record<string, string> = {};
  for (const a of element.attributes) attributes[a.name] = attributeText(a);
  const children: (XmlNode | string)[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') children.push(text);
    text = '';
  };
  for (const c of element.children) {
    if (c.kind === 'element') {
      flush();
      children.push(toXmlNode(c));
    } else if (c.kind !== 'pi') {
      text += flatText([c]);
    }
  }
  flush();
  return { name: element.name, attributes, children };
}

/** UserData's single child element (the provider's own structure), or UserData itself when it has several. */
function userData(root: BxElement): XmlNode | null {
  const user = child(root, 'UserData');
  if (!user) return null;
  const elements = user.children.filter((c): c is BxElement => c.kind === 'element');
  return elements.length === 1 ? toXmlNode(elements[0]!) : toXmlNode(user);
}

export function rootElement(nodes: BxNode[]): BxElement | null {
  for (const n of nodes) if (n.kind === 'element') return n;
  return null;
}

export function toWinEvent(root: BxElement | null, warnings: string[], locator: string, recovered: boolean): WinEvent {
  const empty = emptySystem();
  return {
    system: root ? system(root) : empty,
    eventData: root ? eventData(root) : null,
    userData: root ? userData(root) : null,
    rendering: null,
    warnings,
    locator,
    recovered,
  };
}
