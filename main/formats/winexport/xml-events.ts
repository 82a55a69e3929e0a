// Windows event XML (`wevtutil qe /f:xml`, Event Viewer "Save as XML", a single
// `<Event>`) to WinEvent records, read incrementally one `<Event>` element at a time.

import type { WinDataItem, XmlNode } from '../windows/event.ts';
import { type RecordContext, readTime, warn } from './context.ts';
import type { WinTimeOptions } from './time.ts';
import type { ExportIssue, WinExportEvent } from './types.ts';
import { emptyExportEvent, keywordsText, parseInteger, parseUnsigned64 } from './values.ts';
import { childElement, childElements, localName, nodeText, parseTolerantXml } from './xml.ts';

function text(node: XmlNode | undefined): string | null {
  if (!node) return null;
  const value = nodeText(node);
  return value === '' ? null : value;
}

function attribute(node: XmlNode | undefined, name: string): string | null {
  const value = node?.attributes[name];
  return value === undefined || value === '' ? null : value;
}

/** Drops whitespace-only text between child elements, which is layout, not content. */
export function trimLayout(node: XmlNode): XmlNode {
  const elements = childElements(node);
  if (elements.length === 0) return node;
  const children = node.children
    .filter((child) => typeof child !== 'string' || child.trim() !== '')
    .map((child) => (typeof child === 'string' ? child : trimLayout(child)));
  return { name: localName(node.name), attributes: node.attributes, children };
}

/**
 * EventData children in order: a `<Data>` is named by its Name attribute (null when
 * unnamed), any other child (`<Binary>`) by its element name. Empty content is "".
 */
export function eventDataItems(eventData: XmlNode): WinDataItem[] {
  const items: WinDataItem[] = [];
  for (const child of childElements(eventData)) {
    const name = localName(child.name) === 'Data' ? (child.attributes.Name ?? null) : localName(child.name);
    items.push({ name, value: nodeText(child) });
  }
  return items;
}

/** Maps a parsed `<Event>` element onto the shared shape. */
export function winEventFromXml(root: XmlNode, locator: string, context: RecordContext): WinExportEvent {
  const event = emptyExportEvent('xml', locator);
  const system = childElement(root, 'System');
  const target = event.system;
  const provider = childElement(system, 'Provider');
  target.provider = attribute(provider, 'Name');
  target.providerGuid = attribute(provider, 'Guid');
  target.eventSourceName = attribute(provider, 'EventSourceName');
  const eventId = childElement(system, 'EventID');
  target.eventId = parseInteger(text(eventId));
  target.qualifiers = parseInteger(attribute(eventId, 'Qualifiers'));
  if (eventId && target.eventId === null) warn(context, event, `EventID "${text(eventId) ?? ''}" is not an integer`);
  target.version = parseInteger(text(childElement(system, 'Version')));
  target.level = parseInteger(text(childElement(system, 'Level')));
  target.task = parseInteger(text(childElement(system, 'Task')));
  target.opcode = parseInteger(text(childElement(system, 'Opcode')));
  target.keywords = keywordsText(text(childElement(system, 'Keywords')));
  target.timeCreated = readTime(context, event, 'TimeCreated', attribute(childElement(system, 'TimeCreated'), 'SystemTime'));
  target.recordId = parseUnsigned64(text(childElement(system, 'EventRecordID')));
  const correlation = childElement(system, 'Correlation');
  target.activityId = attribute(correlation, 'ActivityID');
  target.relatedActivityId = attribute(correlation, 'RelatedActivityID');
  const execution = childElement(system, 'Execution');
  target.processId = parseInteger(attribute(execution, 'ProcessID'));
  target.threadId = parseInteger(attribute(execution, 'ThreadID'));
  target.channel = text(childElement(system, 'Channel'));
  target.computer = text(childElement(system, 'Computer'));
  target.userSid = attribute(childElement(system, 'Security'), 'UserID');

  const eventData = childElement(root, 'EventData');
  if (eventData) event.eventData = eventDataItems(eventData);
  const userData = childElement(root, 'UserData');
  if (userData) {
    const elements = childElements(userData);
    event.userData = trimLayout(elements.length === 1 ? elements[0]! : userData);
  }
  // Classic events rendered by some tools carry ProcessingErrorData or DebugData instead.
  if (!eventData && !userData) {
    const other = childElements(root).find((child) => !['System', 'RenderingInfo'].includes(localName(child.name)));
    if (other) event.userData = trimLayout(other);
  }
  const rendering = childElement(root, 'RenderingInfo');
  if (rendering) {
    event.rendering = {
      message: text(childElement(rendering, 'Message')),
      level: text(childElement(rendering, 'Level')),
      task: text(childElement(rendering, 'Task')),
      opcode: text(childElement(rendering, 'Opcode')),
    };
  }
  return event;
}

const EVENT_START = /<(?:[A-Za-z_][-\w.]*:)?Event[\s>]/g;
const EVENT_END = /<\/(?:[A-Za-z_][-\w.]*:)?Event\s*>/g;
const ENVELOPE_MARKUP = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<\/?(?:[A-Za-z_][-\w.]*:)?Events(?:\s[^>]*)?>|<!DOCTYPE[^>]*>/g;

export interface XmlReaderOptions {
  time?: WinTimeOptions;
  /** Maximum repairs reported one by one per file; the rest are counted. Default 200. */
  maxReportedRepairs?: number;
}

/**
 * Reads an XML export incrementally: `push` text as it arrives and receive each
 * complete `<Event>` element as a WinEvent; `end` reads what remains. Text between
 * events other than the XML declaration, comments and the `<Events>` root is reported.
 */
export class XmlExportReader {
  readonly issues: ExportIssue[] = [];
  /** Count of repairs of markup XML 1.0 does not allow, including those not listed. */
  repairCount = 0;
  eventCount = 0;
  private buffer = '';
  /** Line and column (1-based) of the first character of `buffer`. */
  private line = 1;
  private column = 1;
  private readonly options: XmlReaderOptions;

  constructor(options: XmlReaderOptions = {}) {
    this.options = options;
  }

  push(chunk: string): WinExportEvent[] {
    this.buffer += chunk;
    return this.drain(false);
  }

  end(): WinExportEvent[] {
    const events = this.drain(true);
    if (this.repairCount > 0) {
      this.issues.push({
        severity: 'warning',
        line: 1,
        message: `the file is not well-formed XML: ${this.repairCount} repair(s) made (raw '&' or '<', or characters XML 1.0 forbids); values were kept as written`,
      });
    }
    return events;
  }

  private drain(atEnd: boolean): WinExportEvent[] {
    const events: WinExportEvent[] = [];
    for (;;) {
      EVENT_START.lastIndex = 0;
      const start = EVENT_START.exec(this.buffer);
      if (!start) {
        // Keep a tail that may be the start of a split `<Event` tag.
        const keep = atEnd ? 0 : Math.min(this.buffer.length, 64);
        this.checkBetween(this.buffer.slice(0, this.buffer.length - keep), atEnd);
        this.consume(this.buffer.length - keep);
        return events;
      }
      EVENT_END.lastIndex = start.index;
      const end = EVENT_END.exec(this.buffer);
      if (!end && !atEnd) return events;
      this.checkBetween(this.buffer.slice(0, start.index), true);
      this.consume(start.index);
      const stop = end ? end.index + end[0].length - start.index : this.buffer.length;
      const eventText = this.buffer.slice(0, stop);
      const eventLine = this.line;
      const eventColumn = this.column;
      if (!end) {
        this.issues.push({
          severity: 'error',
          line: eventLine,
          column: eventColumn,
          message: 'the last <Event> has no </Event>: the file ends early; read what is there',
        });
      }
      events.push(this.readEvent(eventText, eventLine, eventColumn));
      this.consume(stop);
    }
  }

  private readEvent(eventText: string, line: number, column: number): WinExportEvent {
    const parsed = parseTolerantXml(eventText);
    const context: RecordContext = { line, issues: this.issues, time: this.options.time ?? {} };
    this.eventCount += 1;
    const event = parsed.root
      ? winEventFromXml(parsed.root, `line=${line}`, context)
      : winEventFromXml({ name: 'Event', attributes: {}, children: [] }, `line=${line}`, context);
    const limit = this.options.maxReportedRepairs ?? 200;
    for (const repair of parsed.repairs) {
      this.repairCount += 1;
      const position = positionIn(eventText, repair.offset, line, column);
      const message = `${repair.message} (line ${position.line}, column ${position.column})`;
      event.warnings.push(message);
      if (this.repairCount <= limit)
        this.issues.push({ severity: 'warning', line: position.line, column: position.column, message: repair.message });
    }
    return event;
  }

  private checkBetween(between: string, complete: boolean): void {
    if (!complete) return;
    const rest = between.replace(ENVELOPE_MARKUP, '').trim();
    if (rest !== '') {
      this.issues.push({
        severity: 'warning',
        line: this.line,
        message: `text outside any <Event> ignored: "${rest.slice(0, 60)}${rest.length > 60 ? '…' : ''}"`,
      });
    }
  }

  private consume(count: number): void {
    const dropped = this.buffer.slice(0, count);
    const position = positionIn(dropped, dropped.length, this.line, this.column);
    this.line = position.line;
    this.column = position.column;
    this.buffer = this.buffer.slice(count);
  }
}

/** Line and column of `offset` in `text`, given the position of the text's first character. */
function positionIn(text: string, offset: number, line: number, column: number): { line: number; column: number } {
  let currentLine = line;
  let lineStart = -1;
  let index = text.indexOf('\n');
  while (index >= 0 && index < offset) {
    currentLine += 1;
    lineStart = index;
    index = text.indexOf('\n', index + 1);
  }
  return { line: currentLine, column: lineStart < 0 ? column + offset : offset - lineStart };
}

/** Reads a whole XML export held in memory. */
export function readXmlExport(text: string, options: XmlReaderOptions = {}): { events: WinExportEvent[]; issues: ExportIssue[] } {
  const reader = new XmlExportReader(options);
  const events = [...reader.push(text), ...reader.end()];
  return { events, issues: reader.issues };
}
