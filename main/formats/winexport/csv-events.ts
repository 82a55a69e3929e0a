// CSV event exports to WinEvent records, by header:
// - EvtxECmd (Eric Zimmerman): RecordNumber, EventRecordId, TimeCreated (UTC written
//   without a zone, 7 fraction digits), EventId, Level, Provider, Channel, ProcessId,
//   ThreadId, Computer, UserId, MapDescription, PayloadData1..6, ExecutableInfo, Payload
//   (the event's XML converted to JSON: `{"EventData":{"Data":[{"@Name":..,"#text":..}]}}`);
// - Event Viewer "Save as CSV": Level, Date and Time (local, locale format), Source,
//   Event ID, Task Category, then an unnamed column holding the message;
// - Hayabusa CSV: Timestamp (with the analyst's offset), Computer, Channel (abbreviated),
//   EventID, RecordID, Details, ExtraFieldInfo.

import type { WinDataItem, XmlNode } from '../windows/event.ts';
import { type RecordContext, readTime, warn } from './context.ts';
import { JsonObject, type JsonValue, jsonText, parseJson } from './json.ts';
import { HAYABUSA_CHANNELS } from './json-events.ts';
import { parseEventViewerTime, type WinTimeOptions } from './time.ts';
import type { ExportIssue, WinExportEvent } from './types.ts';
import { emptyExportEvent, keywordsText, parseInteger, parseUnsigned64 } from './values.ts';

export type CsvDialect = 'evtxecmd' | 'eventviewer' | 'hayabusa';

/** Returns the dialect a header row belongs to, or null when it is no Windows event CSV. */
export function csvDialect(header: string[]): CsvDialect | null {
  const names = new Set(header.map((name) => name.trim().toLowerCase()));
  if (
    names.has('timecreated') &&
    (names.has('eventid') || names.has('event id')) &&
    (names.has('payload') || names.has('mapdescription') || names.has('payloaddata1'))
  ) {
    return 'evtxecmd';
  }
  if (names.has('date and time') && names.has('event id') && names.has('source')) return 'eventviewer';
  if (names.has('timestamp') && names.has('eventid') && names.has('computer') && (names.has('ruletitle') || names.has('extrafieldinfo')))
    return 'hayabusa';
  return null;
}

class Row {
  constructor(
    private readonly index: Map<string, number>,
    readonly fields: string[],
  ) {}

  get(name: string): string | null {
    const column = this.index.get(name.toLowerCase());
    if (column === undefined) return null;
    const value = this.fields[column];
    return value === undefined || value === '' ? null : value;
  }
}

/** EvtxECmd's Payload: Json.NET output of the event XML, `@` for attributes. */
function payloadItems(payload: JsonValue): { eventData: WinDataItem[] | null; userData: XmlNode | null } {
  const root = payload instanceof JsonObject ? payload : null;
  const eventData = root?.get('EventData');
  let items: WinDataItem[] | null = null;
  if (eventData instanceof JsonObject) {
    items = [];
    for (const key of eventData.keys) {
      if (key.startsWith('@')) continue;
      const value = eventData.get(key)!;
      const list = Array.isArray(value) ? value : [value];
      for (const item of list) {
        if (item instanceof JsonObject) {
          const name = key === 'Data' ? jsonText(item.get('@Name')) : key;
          items.push({ name, value: jsonText(item.get('#text')) ?? '' });
        } else {
          items.push({ name: key === 'Data' ? null : key, value: jsonText(item) ?? '' });
        }
      }
    }
  }
  const userData = root?.get('UserData');
  return { eventData: items, userData: userData instanceof JsonObject ? payloadNode('UserData', userData) : null };
}

function payloadNode(name: string, value: JsonObject): XmlNode {
  const node: XmlNode = { name, attributes: {}, children: [] };
  for (const key of value.keys) {
    const child = value.get(key)!;
    if (key.startsWith('@')) node.attributes[key.slice(1)] = jsonText(child) ?? '';
    else if (key === '#text') node.children.push(jsonText(child) ?? '');
    else {
      for (const item of Array.isArray(child) ? child : [child]) {
        node.children.push(
          item instanceof JsonObject ? payloadNode(key, item) : { name: key, attributes: {}, children: [jsonText(item) ?? ''] },
        );
      }
    }
  }
  return node;
}

const EVTXECMD_SYSTEM = new Set([
  'recordnumber',
  'eventrecordid',
  'timecreated',
  'eventid',
  'level',
  'provider',
  'channel',
  'processid',
  'threadid',
  'computer',
  'userid',
  'payload',
  'keywords',
]);

function mapEvtxECmd(row: Row, header: string[], event: WinExportEvent, context: RecordContext): void {
  const target = event.system;
  target.recordId = parseUnsigned64(row.get('EventRecordId') ?? row.get('RecordNumber'));
  target.timeCreated = readTime(context, event, 'TimeCreated', row.get('TimeCreated'));
  target.eventId = parseInteger(row.get('EventId'));
  target.provider = row.get('Provider');
  target.channel = row.get('Channel');
  target.processId = parseInteger(row.get('ProcessId'));
  target.threadId = parseInteger(row.get('ThreadId'));
  target.computer = row.get('Computer');
  target.userSid = row.get('UserId');
  target.keywords = keywordsText(row.get('Keywords'));
  const level = row.get('Level');
  const description = row.get('MapDescription');
  if (level !== null || description !== null) event.rendering = { message: description, level, task: null, opcode: null };
  const payload = row.get('Payload');
  if (payload !== null) {
    try {
      const items = payloadItems(parseJson(payload));
      event.eventData = items.eventData;
      event.userData = items.userData;
    } catch (error) {
      warn(context, event, `Payload is not valid JSON (${(error as Error).message}); kept as text`);
      event.eventData = [{ name: 'Payload', value: payload }];
    }
  }
  header.forEach((name, column) => {
    if (EVTXECMD_SYSTEM.has(name.trim().toLowerCase())) return;
    event.envelope.push({ name, value: row.fields[column] ?? '' });
  });
}

function mapEventViewer(row: Row, header: string[], event: WinExportEvent, context: RecordContext, channel: string | null): void {
  const target = event.system;
  target.provider = row.get('Source');
  target.eventId = parseInteger(row.get('Event ID'));
  target.channel = channel;
  target.timeCreated = readTime(context, event, 'Date and Time', row.get('Date and Time'), parseEventViewerTime);
  // The message is the first column past the named ones.
  const message = row.fields.slice(header.length).join(',') || null;
  event.rendering = { message, level: row.get('Level'), task: row.get('Task Category'), opcode: null };
}

function mapHayabusaCsv(row: Row, header: string[], event: WinExportEvent, context: RecordContext): void {
  const target = event.system;
  target.computer = row.get('Computer');
  const channel = row.get('Channel');
  target.channel = channel !== null ? (HAYABUSA_CHANNELS[channel] ?? channel) : null;
  target.eventId = parseInteger(row.get('EventID'));
  target.recordId = parseUnsigned64(row.get('RecordID'));
  target.timeCreated = readTime(context, event, 'Timestamp', row.get('Timestamp'));
  const extra = row.get('ExtraFieldInfo');
  if (extra !== null && extra !== '-') {
    // Hayabusa joins `Name: value` pairs with ` ¦ `.
    event.eventData = extra.split(' ¦ ').map((pair) => {
      const colon = pair.indexOf(': ');
      return colon < 0 ? { name: null, value: pair } : { name: pair.slice(0, colon), value: pair.slice(colon + 2) };
    });
  }
  header.forEach((name, column) => {
    if (['Computer', 'Channel', 'EventID', 'RecordID', 'Timestamp', 'ExtraFieldInfo'].includes(name)) return;
    event.envelope.push({ name, value: row.fields[column] ?? '' });
  });
}

export interface CsvMapOptions {
  time?: WinTimeOptions;
  /** Channel for Event Viewer CSV, which has no channel column (for example from the file name). */
  channel?: string | null;
}

/** Maps CSV records to events once the header is known. */
export class CsvEventMapper {
  readonly dialect: CsvDialect;
  private readonly header: string[];
  private readonly index = new Map<string, number>();

  constructor(
    header: string[],
    dialect: CsvDialect,
    private readonly options: CsvMapOptions = {},
  ) {
    this.header = header.map((name) => name.replace(/^\uFEFF/, ''));
    this.dialect = dialect;
    this.header.forEach((name, column) => {
      const key = name.trim().toLowerCase();
      if (!this.index.has(key)) this.index.set(key, column);
    });
  }

  map(fields: string[], line: number, issues: ExportIssue[]): WinExportEvent {
    const row = new Row(this.index, fields);
    const context: RecordContext = { line, issues, time: this.options.time ?? {} };
    const event = emptyExportEvent(`csv-${this.dialect}`, `line=${line}`);
    if (this.dialect !== 'eventviewer' && fields.length !== this.header.length) {
      warn(context, event, `row has ${fields.length} fields where the header has ${this.header.length}`);
    }
    if (this.dialect === 'evtxecmd') mapEvtxECmd(row, this.header, event, context);
    else if (this.dialect === 'eventviewer') mapEventViewer(row, this.header, event, context, this.options.channel ?? null);
    else mapHayabusaCsv(row, this.header, event, context);
    return event;
  }
}
