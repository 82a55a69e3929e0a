// JSON event shapes to WinEvent records. Each producer nests the event differently:
// - evtx_dump (omerbenamram): `{"Event": {"System": ..., "EventData": ...}}`, with
//   attributes under `#attributes` and element text under `#text`;
// - Winlogbeat / ECS: `winlog.event_data`, `winlog.channel`, `@timestamp`, `event.code`;
// - NXLog and OTRF Security-Datasets: flat objects (`EventID`, `Channel`, `Hostname`,
//   `EventTime`, `SourceName`) with the event data at the top level;
// - Azure Sentinel `SecurityEvent`, `WindowsEvent` and `Event` tables: `TimeGenerated`,
//   `Computer`, data as columns or as an embedded XML or JSON string;
// - Hayabusa JSON: `Timestamp`, `RuleTitle`, abbreviated `Channel`, `ExtraFieldInfo`.

import type { WinDataItem, XmlNode } from '../windows/event.ts';
import { type RecordContext, readTime, warn } from './context.ts';
import { JsonObject, type JsonValue, jsonText, parseJson, stringifyJson } from './json.ts';
import { parseWallClockWithOffset, parseWinTime } from './time.ts';
import type { WinExportEvent } from './types.ts';
import { emptyExportEvent, keywordsText, parseInteger, parseUnsigned64 } from './values.ts';
import { childElement, parseTolerantXml } from './xml.ts';
import { eventDataItems, trimLayout } from './xml-events.ts';

export type JsonShape = 'evtx_dump' | 'winlogbeat' | 'hayabusa' | 'sentinel' | 'nxlog';

function object(value: JsonValue | undefined): JsonObject | undefined {
  return value instanceof JsonObject ? value : undefined;
}

function at(value: JsonValue | undefined, ...keys: string[]): JsonValue | undefined {
  let current = value;
  for (const key of keys) {
    const o = object(current);
    if (!o) return undefined;
    current = o.get(key);
  }
  return current;
}

/** Text of an evtx_dump element: a scalar, or the `#text` of an object with attributes. */
function elementText(value: JsonValue | undefined): string | null {
  const o = object(value);
  if (o) return o.has('#text') ? jsonText(o.get('#text')) : null;
  return jsonText(value);
}

function attributeText(value: JsonValue | undefined, name: string): string | null {
  return jsonText(at(value, '#attributes', name));
}

/** Recognises the producer from the keys of one record; null when it is not a Windows event. */
export function jsonShape(record: JsonObject): JsonShape | null {
  if (object(record.get('Event'))?.has('System') || (record.has('System') && (record.has('EventData') || record.has('UserData'))))
    return 'evtx_dump';
  if (object(record.get('winlog'))) return 'winlogbeat';
  if (record.has('RuleTitle') || (record.has('Timestamp') && record.has('ExtraFieldInfo'))) return 'hayabusa';
  if (record.has('TimeGenerated') && (record.has('EventID') || record.has('Type'))) return 'sentinel';
  if (record.has('EventID') || record.has('EventId')) return 'nxlog';
  return null;
}

/** Maps one parsed JSON record; returns null (and reports) when no shape fits. */
export function winEventFromJson(record: JsonValue, locator: string, context: RecordContext): WinExportEvent | null {
  if (!(record instanceof JsonObject)) {
    context.issues.push({ severity: 'error', line: context.line, message: 'expected a JSON object for an event; the value was skipped' });
    return null;
  }
  const shape = jsonShape(record);
  if (shape === null) {
    context.issues.push({
      severity: 'error',
      line: context.line,
      message: `the object has none of the keys of a known event shape (Event.System, winlog, EventID, TimeGenerated); keys: ${record.keys.slice(0, 8).join(', ')}`,
    });
    return null;
  }
  const event = emptyExportEvent(shape, locator);
  if (shape === 'evtx_dump') mapEvtxDump(record, event, context);
  else if (shape === 'winlogbeat') mapWinlogbeat(record, event, context);
  else if (shape === 'hayabusa') mapHayabusa(record, event, context);
  else if (shape === 'sentinel') mapSentinel(record, event, context);
  else mapFlat(record, event, context, new Set());
  return event;
}

function setEventId(event: WinExportEvent, context: RecordContext, value: JsonValue | undefined): void {
  const text = elementText(value);
  const id = parseInteger(text);
  if (text !== null && id === null) warn(context, event, `EventID "${text}" is not an integer`);
  event.system.eventId = id;
  const qualifiers = attributeText(value, 'Qualifiers');
  if (qualifiers !== null) event.system.qualifiers = parseInteger(qualifiers);
}

// ---------------------------------------------------------------------------------------
// evtx_dump

/** Converts an evtx_dump element (object with `#attributes` and children) to XML nodes. */
function jsonToXmlNode(name: string, value: JsonValue): XmlNode[] {
  if (Array.isArray(value)) return value.flatMap((item) => jsonToXmlNode(name, item));
  const node: XmlNode = { name, attributes: {}, children: [] };
  const o = object(value);
  if (!o) {
    const text = jsonText(value);
    if (text !== null) node.children.push(text);
    return [node];
  }
  for (const key of o.keys) {
    const child = o.get(key)!;
    if (key === '#attributes') {
      const attributes = object(child);
      for (const attribute of attributes?.keys ?? []) node.attributes[attribute] = jsonText(attributes!.get(attribute)) ?? '';
    } else if (key === '#text') {
      const text = Array.isArray(child) ? child.map((item) => jsonText(item) ?? '').join('') : jsonText(child);
      if (text !== null) node.children.push(text);
    } else {
      const values = o.duplicates.has(key) ? (child as JsonValue[]) : [child];
      for (const each of values) node.children.push(...jsonToXmlNode(key, each));
    }
  }
  return [node];
}

/** Values of a `Data` key: `{"#text": [...]}`, `{"#text": "x"}`, an array, or a scalar. */
function unnamedValues(value: JsonValue): (string | null)[] {
  const o = object(value);
  if (o?.has('#text')) return unnamedValues(o.get('#text')!);
  if (Array.isArray(value))
    return value.flatMap((item) => (Array.isArray(item) || object(item) ? unnamedValues(item) : [jsonText(item) ?? '']));
  if (o) return [stringifyJson(o)];
  return [jsonText(value)];
}

function dataValue(value: JsonValue): string | string[] | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((item) => jsonText(item) ?? '');
  const o = object(value);
  if (o?.has('#text')) return dataValue(o.get('#text')!);
  return jsonText(value);
}

/** EventData of evtx_dump and Hayabusa: named keys, and `Data` for unnamed elements. */
function jsonEventData(eventData: JsonObject, event: WinExportEvent, context: RecordContext): WinDataItem[] {
  const items: WinDataItem[] = [];
  for (const key of eventData.keys) {
    const value = eventData.get(key)!;
    if (key === '#attributes') continue;
    if (eventData.duplicates.has(key)) {
      warn(context, event, `key "${key}" appears ${(value as JsonValue[]).length} times in one object; all values kept in order`);
    }
    if (key === 'Data' || key === '#text') {
      for (const item of eventData.duplicates.has(key) ? (value as JsonValue[]) : [value]) {
        for (const text of unnamedValues(item)) items.push({ name: null, value: text });
      }
      continue;
    }
    if (eventData.duplicates.has(key)) {
      for (const item of value as JsonValue[]) items.push({ name: key, value: dataValue(item) });
    } else {
      items.push({ name: key, value: dataValue(value) });
    }
  }
  return items;
}

function mapEvtxDump(record: JsonObject, event: WinExportEvent, context: RecordContext): void {
  const root = object(record.get('Event')) ?? record;
  const system = root.get('System');
  const target = event.system;
  const provider = at(system, 'Provider');
  target.provider = attributeText(provider, 'Name');
  target.providerGuid = attributeText(provider, 'Guid');
  target.eventSourceName = attributeText(provider, 'EventSourceName');
  setEventId(event, context, at(system, 'EventID'));
  target.version = parseInteger(elementText(at(system, 'Version')));
  target.level = parseInteger(elementText(at(system, 'Level')));
  target.task = parseInteger(elementText(at(system, 'Task')));
  target.opcode = parseInteger(elementText(at(system, 'Opcode')));
  target.keywords = keywordsText(elementText(at(system, 'Keywords')));
  target.timeCreated = readTime(context, event, 'TimeCreated', attributeText(at(system, 'TimeCreated'), 'SystemTime'));
  target.recordId = parseUnsigned64(elementText(at(system, 'EventRecordID')));
  target.activityId = attributeText(at(system, 'Correlation'), 'ActivityID');
  target.relatedActivityId = attributeText(at(system, 'Correlation'), 'RelatedActivityID');
  target.processId = parseInteger(attributeText(at(system, 'Execution'), 'ProcessID'));
  target.threadId = parseInteger(attributeText(at(system, 'Execution'), 'ThreadID'));
  target.channel = elementText(at(system, 'Channel'));
  target.computer = elementText(at(system, 'Computer'));
  target.userSid = attributeText(at(system, 'Security'), 'UserID');

  const eventData = root.get('EventData');
  if (eventData !== undefined) event.eventData = object(eventData) ? jsonEventData(object(eventData)!, event, context) : [];
  const userData = object(root.get('UserData'));
  if (userData) {
    const nodes = jsonToXmlNode('UserData', userData);
    const children = nodes[0]!.children.filter((child): child is XmlNode => typeof child !== 'string');
    event.userData = children.length === 1 ? children[0]! : nodes[0]!;
  }
  const rendering = object(root.get('RenderingInfo'));
  if (rendering) {
    event.rendering = {
      message: elementText(rendering.get('Message')),
      level: elementText(rendering.get('Level')),
      task: elementText(rendering.get('Task')),
      opcode: elementText(rendering.get('Opcode')),
    };
  }
  for (const key of record.keys) if (key !== 'Event' && root !== record) addEnvelope(event, key, record.get(key)!);
}

// ---------------------------------------------------------------------------------------
// Winlogbeat / ECS

function addEnvelope(event: WinExportEvent, name: string, value: JsonValue): void {
  const o = object(value);
  if (o) {
    for (const key of o.keys) addEnvelope(event, `${name}.${key}`, o.get(key)!);
    return;
  }
  event.envelope.push({ name, value: jsonText(value) ?? 'null' });
}

function namedItems(value: JsonValue | undefined): WinDataItem[] {
  const o = object(value);
  if (!o) return [];
  return o.keys.map((key) => ({ name: key, value: dataValue(o.get(key)!) }));
}

function mapWinlogbeat(record: JsonObject, event: WinExportEvent, context: RecordContext): void {
  const winlog = object(record.get('winlog'))!;
  const target = event.system;
  target.provider = jsonText(winlog.get('provider_name')) ?? jsonText(at(record, 'event', 'provider'));
  target.providerGuid = jsonText(winlog.get('provider_guid'));
  setEventId(event, context, winlog.get('event_id') ?? at(record, 'event', 'code'));
  target.version = parseInteger(jsonText(winlog.get('version')));
  target.recordId = parseUnsigned64(jsonText(winlog.get('record_id')));
  target.channel = jsonText(winlog.get('channel'));
  target.computer = jsonText(winlog.get('computer_name')) ?? jsonText(at(record, 'host', 'name'));
  target.processId = parseInteger(jsonText(at(winlog, 'process', 'pid')));
  target.threadId = parseInteger(jsonText(at(winlog, 'process', 'thread', 'id')));
  target.userSid = jsonText(at(winlog, 'user', 'identifier'));
  target.activityId = jsonText(winlog.get('activity_id'));
  target.relatedActivityId = jsonText(winlog.get('related_activity_id'));
  const keywords = winlog.get('keywords');
  if (Array.isArray(keywords)) target.keywords = keywords.map((item) => jsonText(item) ?? '').join(', ');
  // @timestamp is the event's creation time in Winlogbeat output; winlog.time_created is newer.
  const created = jsonText(winlog.get('time_created')) ?? jsonText(record.get('@timestamp'));
  target.timeCreated = readTime(context, event, winlog.has('time_created') ? 'winlog.time_created' : '@timestamp', created);
  if (winlog.has('event_data')) event.eventData = namedItems(winlog.get('event_data'));
  const userData = object(winlog.get('user_data'));
  if (userData) {
    const name = jsonText(userData.get('xml_name')) ?? 'UserData';
    const node: XmlNode = { name, attributes: {}, children: [] };
    for (const key of userData.keys) {
      if (key === 'xml_name') continue;
      node.children.push(...jsonToXmlNode(key, userData.get(key)!));
    }
    event.userData = node;
  }
  const message = jsonText(record.get('message'));
  const level = jsonText(at(record, 'log', 'level'));
  const task = jsonText(winlog.get('task'));
  const opcode = jsonText(winlog.get('opcode'));
  if (message !== null || level !== null || task !== null || opcode !== null) event.rendering = { message, level, task, opcode };
  for (const key of record.keys) {
    if (key === 'winlog' || key === 'message') continue;
    addEnvelope(event, key, record.get(key)!);
  }
  const consumed = new Set([
    'provider_name',
    'provider_guid',
    'event_id',
    'version',
    'record_id',
    'channel',
    'computer_name',
    'process',
    'user',
    'activity_id',
    'related_activity_id',
    'keywords',
    'time_created',
    'event_data',
    'user_data',
    'task',
    'opcode',
  ]);
  for (const key of winlog.keys) if (!consumed.has(key)) addEnvelope(event, `winlog.${key}`, winlog.get(key)!);
}

// ---------------------------------------------------------------------------------------
// Flat shapes: NXLog / OTRF Security-Datasets, Azure Sentinel

/** Flat keys that describe the event rather than carry its data, mapped by `mapFlat`. */
const FLAT_SYSTEM = new Set([
  'EventID',
  'EventId',
  'Channel',
  'Hostname',
  'Computer',
  'SourceName',
  'ProviderName',
  'ProviderGuid',
  'TimeCreated',
  'EventTime',
  'RecordNumber',
  'EventRecordID',
  'ExecutionProcessID',
  'ExecutionThreadID',
  'ThreadID',
  'UserID',
  'Keywords',
  'Level',
  'Task',
  'OpcodeValue',
  'Opcode',
  'Version',
  'ActivityID',
  'RelatedActivityID',
  'Message',
  'Category',
  'Qualifiers',
]);

/** Keys written by NXLog, Logstash and the OTRF pipeline around the event. */
const FLAT_ENVELOPE = new Set([
  'EventReceivedTime',
  'SourceModuleName',
  'SourceModuleType',
  '@timestamp',
  '@version',
  'host',
  'port',
  'tags',
  'Severity',
  'SeverityValue',
  'EventTypeOrignal',
  'AccountName',
  'AccountType',
  'Domain',
  'ERROR_EVT_UNRESOLVED',
  'log_name',
  'beat',
  'agent',
  'ecs',
]);

/** NXLog's own EventType values; Sysmon's EventType (SetValue, CreateKey...) is event data. */
const NXLOG_EVENT_TYPES = new Set(['INFO', 'AUDIT_SUCCESS', 'AUDIT_FAILURE', 'ERROR', 'WARNING', 'VERBOSE', 'CRITICAL']);

/** Whole minutes between a wall-clock text and a UTC instant of the same moment, to the quarter hour. */
function inferOffsetMinutes(wallClock: string | null, utc: string | null): number | null {
  if (wallClock === null || utc === null) return null;
  const local = parseWinTime(wallClock);
  const instant = parseWinTime(utc);
  if (!local.ok || !instant.ok || local.zoned || !instant.zoned) return null;
  const minutes = Number(local.time.micros - instant.time.micros) / 60_000_000;
  const quarter = Math.round(minutes / 15) * 15;
  return Math.abs(minutes - quarter) <= 2 && Math.abs(quarter) <= 14 * 60 ? quarter : null;
}

function mapFlat(record: JsonObject, event: WinExportEvent, context: RecordContext, extraEnvelope: Set<string>): void {
  const text = (key: string) => jsonText(record.get(key));
  const target = event.system;
  target.provider ??= text('SourceName') ?? text('ProviderName');
  target.providerGuid = text('ProviderGuid');
  setEventId(event, context, record.get('EventID') ?? record.get('EventId'));
  if (record.has('Qualifiers')) target.qualifiers = parseInteger(text('Qualifiers'));
  target.channel ??= text('Channel');
  target.computer ??= text('Hostname') ?? text('Computer');
  target.recordId = parseUnsigned64(text('RecordNumber') ?? text('EventRecordID'));
  target.processId = parseInteger(text('ExecutionProcessID'));
  target.threadId = parseInteger(text('ExecutionThreadID') ?? text('ThreadID'));
  target.userSid = text('UserID');
  target.keywords = keywordsText(text('Keywords'));
  target.level ??= parseInteger(text('Level'));
  target.task ??= parseInteger(text('Task'));
  target.opcode = parseInteger(text('OpcodeValue') ?? text('Opcode'));
  target.version = parseInteger(text('Version'));
  target.activityId = text('ActivityID');
  target.relatedActivityId = text('RelatedActivityID');
  const message = text('Message');
  const category = text('Category');
  const opcodeName = parseInteger(text('Opcode')) === null ? text('Opcode') : null;
  if (message !== null || category !== null || opcodeName !== null)
    event.rendering = { message, level: null, task: category, opcode: opcodeName };

  if (target.timeCreated === null) {
    if (record.has('TimeCreated')) {
      target.timeCreated = readTime(context, event, 'TimeCreated', text('TimeCreated'));
    } else if (record.has('EventTime')) {
      // NXLog writes EventTime and EventReceivedTime in the collector's local time; when
      // Logstash added a UTC @timestamp on receipt, the two receipt times give the offset.
      const offset = inferOffsetMinutes(text('EventReceivedTime'), text('@timestamp'));
      if (offset !== null) {
        target.timeCreated = readTime(context, event, 'EventTime', text('EventTime'), (value, options) =>
          parseWallClockWithOffset(value, offset, options),
        );
        if (target.timeCreated)
          event.warnings.push(`EventTime has no zone; UTC offset ${offset} minutes taken from EventReceivedTime and @timestamp`);
      } else {
        target.timeCreated = readTime(context, event, 'EventTime', text('EventTime'));
      }
    } else if (record.has('@timestamp')) {
      target.timeCreated = readTime(context, event, '@timestamp', text('@timestamp'));
    }
  }

  const eventType = text('EventType');
  const nxlogEventType = eventType !== null && NXLOG_EVENT_TYPES.has(eventType) && !record.has('EventTypeOrignal');
  const items: WinDataItem[] = [];
  for (const key of record.keys) {
    const value = record.get(key)!;
    if (FLAT_SYSTEM.has(key) || extraEnvelope.has(key)) continue;
    if (FLAT_ENVELOPE.has(key) || (key === 'EventType' && nxlogEventType)) {
      addEnvelope(event, key, value);
      continue;
    }
    if (record.duplicates.has(key))
      warn(context, event, `key "${key}" appears ${(value as JsonValue[]).length} times in one object; all values kept in order`);
    const values = record.duplicates.has(key) ? (value as JsonValue[]) : [value];
    for (const each of values) items.push({ name: key, value: dataValue(each) });
  }
  event.eventData = [...(event.eventData ?? []), ...items];
  for (const key of ['@timestamp', 'EventTime', 'TimeCreated']) {
    if (record.has(key) && !FLAT_ENVELOPE.has(key)) event.envelope.push({ name: key, value: text(key) ?? 'null' });
  }
}

/** Columns Azure Log Analytics adds around a Windows event. */
const SENTINEL_ENVELOPE = new Set([
  'TenantId',
  'SourceSystem',
  'TimeGenerated',
  'MG',
  'ManagementGroupName',
  'Type',
  '_ResourceId',
  'SourceComputerId',
  'EventOriginId',
  'TimeCollected',
  'Activity',
  'Account',
  'AccountType',
  'SubjectAccount',
  'TargetAccount',
  'LogonTypeName',
  'HostCustomEntity',
  'AccountCustomEntity',
  'timestamp',
  'InstanceId',
  'EventLevel',
  'EventLevelName',
  'RenderedDescription',
  'UserName',
  'ParameterXml',
  'Source',
  'EventLog',
  'EventSourceName',
  'Provider',
  'EventData',
  'EventData_string',
  'EventData_dynamic',
  'Process',
  'EventCategory',
]);

function mapSentinel(record: JsonObject, event: WinExportEvent, context: RecordContext): void {
  const text = (key: string) => jsonText(record.get(key));
  const target = event.system;
  target.provider = text('Provider') ?? text('EventSourceName') ?? text('Source');
  target.channel = text('Channel') ?? text('EventLog');
  target.level = parseInteger(text('EventLevel'));
  // SecurityEvent's TimeGenerated is the event's TimeCreated (milliseconds, UTC).
  target.timeCreated = readTime(context, event, 'TimeGenerated', text('TimeGenerated'));
  const items: WinDataItem[] = [];
  const embedded = record.get('EventData') ?? record.get('EventData_string');
  if (typeof embedded === 'string' && embedded.trimStart().startsWith('<')) {
    const parsed = parseTolerantXml(embedded);
    const eventData = parsed.root && (parsed.root.name.endsWith('EventData') ? parsed.root : childElement(parsed.root, 'EventData'));
    if (eventData) items.push(...eventDataItems(eventData));
    else if (parsed.root) event.userData = trimLayout(parsed.root);
    if (parsed.repairs.length > 0)
      warn(context, event, `embedded EventData XML repaired ${parsed.repairs.length} time(s): ${parsed.repairs[0]!.message}`);
  } else if (typeof embedded === 'string' && embedded.trimStart().startsWith('{')) {
    try {
      items.push(...namedItems(parseJson(embedded)));
    } catch (error) {
      warn(context, event, `embedded EventData JSON is invalid (${(error as Error).message}); kept as text`);
      items.push({ name: 'EventData', value: embedded });
    }
  }
  const dynamic = text('EventData_dynamic');
  if (dynamic !== null) {
    try {
      const parsed = parseJson(dynamic);
      for (const value of Array.isArray(parsed) ? parsed : [parsed]) items.push({ name: null, value: jsonText(value) ?? '' });
    } catch (error) {
      warn(context, event, `EventData_dynamic is not valid JSON (${(error as Error).message}); kept as text`);
      items.push({ name: null, value: dynamic });
    }
  }
  event.eventData = items;
  for (const key of record.keys) if (SENTINEL_ENVELOPE.has(key)) addEnvelope(event, key, record.get(key)!);
  // Log Analytics renames a column whose type clashes with an existing one (`ProcessId_string`).
  const renamed = new JsonObject();
  for (const key of record.keys) {
    if (SENTINEL_ENVELOPE.has(key)) continue;
    const match = /^(.+)_(?:string|dynamic|int|long|real|bool|datetime|guid)$/.exec(key);
    renamed.add(match && !record.has(match[1]!) ? match[1]! : key, record.get(key)!);
  }
  mapFlat(renamed, event, context, new Set());
}

// ---------------------------------------------------------------------------------------
// Hayabusa

/** Hayabusa's channel abbreviations (its `channel_abbreviations.txt`) for the channels the normalizer maps. */
export const HAYABUSA_CHANNELS: Record<string, string> = {
  Sec: 'Security',
  Sys: 'System',
  App: 'Application',
  Sysmon: 'Microsoft-Windows-Sysmon/Operational',
  PwSh: 'Microsoft-Windows-PowerShell/Operational',
  PwShClassic: 'Windows PowerShell',
  Defender: 'Microsoft-Windows-Windows Defender/Operational',
  WMI: 'Microsoft-Windows-WMI-Activity/Operational',
  TaskSch: 'Microsoft-Windows-TaskScheduler/Operational',
};

function mapHayabusa(record: JsonObject, event: WinExportEvent, context: RecordContext): void {
  const text = (key: string) => jsonText(record.get(key));
  const target = event.system;
  const channel = text('Channel');
  target.channel = channel !== null ? (HAYABUSA_CHANNELS[channel] ?? channel) : null;
  target.computer = text('Computer');
  setEventId(event, context, record.get('EventID'));
  target.recordId = parseUnsigned64(text('RecordID'));
  target.provider = text('Provider');
  target.timeCreated = readTime(context, event, 'Timestamp', text('Timestamp'));
  const extra = object(record.get('ExtraFieldInfo'));
  event.eventData = extra ? jsonEventData(extra, event, context) : [];
  for (const key of record.keys) if (key !== 'ExtraFieldInfo') addEnvelope(event, key, record.get(key)!);
}
