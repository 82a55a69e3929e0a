// Detection and streaming reading of Windows event exports (XML, JSON, JSON lines, CSV).
// Text goes in (decode bytes with ExportTextDecoder first), WinEvent records come out.

import type { RecordContext } from './context.ts';
import { CsvSplitter } from './csv.ts';
import { type CsvDialect, CsvEventMapper, csvDialect } from './csv-events.ts';
import { JsonObject, JsonSplitter, JsonSyntaxError, parseJson } from './json.ts';
import { jsonShape, winEventFromJson } from './json-events.ts';
import type { WinTimeOptions } from './time.ts';
import type { ExportIssue, ExportKind, WinExportEvent } from './types.ts';
import { XmlExportReader } from './xml-events.ts';

const EVENT_NAMESPACE = 'http://schemas.microsoft.com/win/2004/08/events/event';

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '');
}

function windowsObject(text: string): boolean | null {
  try {
    const value = parseJson(text);
    return value instanceof JsonObject && jsonShape(value) !== null;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return null;
    throw error;
  }
}

/** Key patterns that only Windows event JSON has, for a first object cut off by the head's end. */
const WINDOWS_JSON_KEYS = /"(?:System|winlog|EventID|EventId|EventRecordID|TimeGenerated)"\s*:/;

/**
 * Detects a Windows event export from the start of a file's text (BOM optional) and
 * its name. Returns null for anything else, including Zeek and Volatility JSON and
 * binary EVTX, so other parsers can claim those.
 */
export function detectWinExport(head: string, name: string): ExportKind | null {
  if (/\.evtx$/i.test(name)) return null;
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) {
    const isEvent = /<(?:\w+:)?Event[\s>]/.test(text) && (text.includes(EVENT_NAMESPACE) || /<(?:\w+:)?System>/.test(text));
    return isEvent ? 'xml' : null;
  }
  if (text.startsWith('{')) {
    const line = firstLine(text);
    const asLine = windowsObject(line);
    if (asLine !== null) return asLine ? 'json-lines' : null;
    const pieces = new JsonSplitter().push(text);
    if (pieces.length > 0) return windowsObject(pieces[0]!.text) ? 'json' : null;
    return WINDOWS_JSON_KEYS.test(text) ? 'json' : null;
  }
  if (text.startsWith('[')) {
    const pieces = new JsonSplitter().push(text);
    if (pieces.length > 0) return windowsObject(pieces[0]!.text) ? 'json' : null;
    return WINDOWS_JSON_KEYS.test(text) ? 'json' : null;
  }
  const header = new CsvSplitter().push(`${firstLine(text)}\n`)[0];
  return header && csvDialect(header.fields) ? 'csv' : null;
}

export interface WinExportReaderOptions {
  time?: WinTimeOptions;
  /** Channel for Event Viewer CSV, which has no channel column. */
  channel?: string | null;
}

/**
 * Streams one export file: `push` decoded text as it arrives, `end` at the end of
 * the file. Each call returns the events completed so far. Problems (with line and,
 * for XML repairs, column) collect in `issues`; a record that cannot be read is
 * reported and skipped, and reading continues.
 */
export class WinExportReader {
  readonly kind: ExportKind;
  readonly issues: ExportIssue[] = [];
  /** Records that could not be read at all. */
  skipped = 0;
  private readonly options: WinExportReaderOptions;
  private readonly xml: XmlExportReader | null;
  private readonly json: JsonSplitter | null;
  private readonly csv: CsvSplitter | null;
  private csvMapper: CsvEventMapper | null = null;
  private lineCarry = '';
  private lineNumber = 0;

  constructor(kind: ExportKind, options: WinExportReaderOptions = {}) {
    this.kind = kind;
    this.options = options;
    this.xml = kind === 'xml' ? new XmlExportReader({ time: options.time ?? {} }) : null;
    this.json = kind === 'json' ? new JsonSplitter() : null;
    this.csv = kind === 'csv' ? new CsvSplitter() : null;
  }

  /** The CSV dialect once the header was read. */
  get csvDialect(): CsvDialect | null {
    return this.csvMapper?.dialect ?? null;
  }

  push(text: string): WinExportEvent[] {
    if (this.xml) return this.collectXml(this.xml.push(text));
    if (this.json) return this.jsonPieces(this.json.push(text));
    if (this.csv) return this.csvRecords(this.csv.push(text));
    return this.jsonLines(text, false);
  }

  end(): WinExportEvent[] {
    if (this.xml) return this.collectXml(this.xml.end());
    if (this.json) return this.jsonPieces(this.json.end());
    if (this.csv) {
      const events = this.csvRecords(this.csv.end());
      for (const problem of this.csv.problems) this.issues.push({ severity: 'warning', line: problem.line, message: problem.message });
      return events;
    }
    return this.jsonLines('', true);
  }

  private collectXml(events: WinExportEvent[]): WinExportEvent[] {
    // The XML reader reports into its own list; move new entries over.
    this.issues.push(...this.xml!.issues.splice(0));
    return events;
  }

  private context(line: number): RecordContext {
    return { line, issues: this.issues, time: this.options.time ?? {} };
  }

  private parseOne(text: string, line: number): WinExportEvent | null {
    let value: ReturnType<typeof parseJson>;
    try {
      value = parseJson(text);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      const before = text.slice(0, error.offset);
      const lineOffset = before.split('\n').length - 1;
      const column = error.offset - (before.lastIndexOf('\n') + 1) + 1;
      this.issues.push({
        severity: 'error',
        line: line + lineOffset,
        column,
        message: `invalid JSON: ${error.message}; the record was skipped`,
      });
      this.skipped += 1;
      return null;
    }
    const event = winEventFromJson(value, `line=${line}`, this.context(line));
    if (!event) this.skipped += 1;
    return event;
  }

  private jsonPieces(pieces: { text: string; line: number }[]): WinExportEvent[] {
    const events: WinExportEvent[] = [];
    for (const piece of pieces) {
      const event = this.parseOne(piece.text, piece.line);
      if (event) events.push(event);
    }
    return events;
  }

  private jsonLines(text: string, atEnd: boolean): WinExportEvent[] {
    const events: WinExportEvent[] = [];
    const combined = this.lineCarry + text;
    let start = 0;
    for (;;) {
      const newline = combined.indexOf('\n', start);
      if (newline < 0) break;
      this.lineNumber += 1;
      const line = combined.slice(start, newline);
      start = newline + 1;
      if (line.trim() === '') continue;
      const event = this.parseOne(line, this.lineNumber);
      if (event) events.push(event);
    }
    this.lineCarry = combined.slice(start);
    if (atEnd && this.lineCarry.trim() !== '') {
      this.lineNumber += 1;
      const event = this.parseOne(this.lineCarry, this.lineNumber);
      if (event) events.push(event);
      this.lineCarry = '';
    }
    return events;
  }

  private csvRecords(records: { fields: string[]; line: number }[]): WinExportEvent[] {
    const events: WinExportEvent[] = [];
    for (const record of records) {
      if (record.fields.length === 1 && record.fields[0]!.trim() === '') continue;
      if (!this.csvMapper) {
        const dialect = csvDialect(record.fields);
        if (!dialect) {
          this.issues.push({
            severity: 'error',
            line: record.line,
            message: `header "${record.fields.join(',').slice(0, 80)}" is not an EvtxECmd, Event Viewer or Hayabusa CSV header`,
          });
          this.skipped += 1;
          continue;
        }
        this.csvMapper = new CsvEventMapper(record.fields, dialect, {
          time: this.options.time ?? {},
          channel: this.options.channel ?? null,
        });
        continue;
      }
      events.push(this.csvMapper.map(record.fields, record.line, this.issues));
    }
    return events;
  }
}

/** Reads a whole export held in memory; the kind is detected when not given. */
export function readWinExport(
  text: string,
  options: WinExportReaderOptions & { kind?: ExportKind; name?: string } = {},
): { kind: ExportKind | null; events: WinExportEvent[]; issues: ExportIssue[]; skipped: number } {
  const kind = options.kind ?? detectWinExport(text.slice(0, 65536), options.name ?? '');
  if (!kind)
    return {
      kind: null,
      events: [],
      issues: [{ severity: 'error', line: 1, message: 'not a Windows event export (XML, JSON or CSV)' }],
      skipped: 0,
    };
  const reader = new WinExportReader(kind, options);
  const events = [...reader.push(text), ...reader.end()];
  return { kind, events, issues: reader.issues, skipped: reader.skipped };
}
