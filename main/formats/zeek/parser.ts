// Streaming parser for Zeek logs in the TSV form (ASCII writer with `#` headers) and the
// JSON-lines form. Lines go in one at a time; records come out with their schema and
// typed values. Bad data never throws: it is reported as an issue naming the line, and
// parsing goes on with the next line.

import type { TimeNote } from '../../../shared/events.ts';
import { decodeZeekEscapes } from './escape.ts';
import { type JsonItem, JsonNumber, JsonSyntaxError, scanJsonObjectLine } from './json-scan.ts';
import type { ZeekFormat, ZeekIssue, ZeekRecord, ZeekSchema, ZeekTimeNote, ZeekValue } from './types.ts';
import { convertJsonField, convertTsvField, type JsonTimeEncoding, type TsvMarkers } from './values.ts';

export interface ZeekParserOptions {
  /** Form of the file; when omitted, the first non-empty line decides (`{` means JSON). */
  format?: ZeekFormat;
  /** File name, used for the log path when the content names none (`conn.09:00:00-10:00:00.log.gz` gives `conn`). */
  fileName?: string;
  /** Receives every error and warning as it is found. */
  onIssue?: (issue: ZeekIssue) => void;
}

export interface PushLineOptions {
  /** The line had no line ending because the data ended early (a cut gzip stream). */
  truncated?: boolean;
}

export interface ZeekSummary {
  format: ZeekFormat | null;
  records: number;
  errors: number;
  warnings: number;
  /** Lines cut off by the end of the data; counted among the errors, never imported. */
  truncatedLines: number;
  /** Records per log path. */
  paths: Record<string, number>;
  /** TSV header blocks seen (a new `#separator` line starts one). */
  headerBlocks: number;
  /** File-level observations for the import report. */
  notes: string[];
}

const DEFAULT_MARKERS: TsvMarkers = { setSeparator: ',', emptyField: '(empty)', unsetField: '-' };
const SCHEMA_CACHE_LIMIT = 512;

interface TsvBlock {
  separator: string;
  markers: TsvMarkers;
  path: string | null;
  fieldsLine: number;
  names: string[] | null;
  types: string[] | null;
  schema: ZeekSchema | null;
}

/** Derives a log path from a file name: the base name up to its first dot. */
export function zeekPathFromFileName(fileName: string): string | null {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.gz$/i, '').split('.')[0] ?? '';
  return stem.length > 0 ? stem : null;
}

export class ZeekParser {
  private format: ZeekFormat | null;
  private readonly fallbackPath: string;
  private readonly onIssue: (issue: ZeekIssue) => void;
  private block: TsvBlock | null = null;
  private jsonEncoding: JsonTimeEncoding = 'epoch-seconds';
  private readonly jsonSchemas = new Map<string, ZeekSchema>();
  private readonly summary: ZeekSummary;

  constructor(options: ZeekParserOptions = {}) {
    this.format = options.format ?? null;
    this.fallbackPath = (options.fileName === undefined ? null : zeekPathFromFileName(options.fileName)) ?? 'unknown';
    this.onIssue = options.onIssue ?? (() => {});
    this.summary = { format: this.format, records: 0, errors: 0, warnings: 0, truncatedLines: 0, paths: {}, headerBlocks: 0, notes: [] };
  }

  /**
   * Parses one line (without its line ending) and returns its record, or null for a
   * header, an empty line or a line that could not be read (then reported as an issue).
   */
  pushLine(text: string, lineNumber: number, options: PushLineOptions = {}): ZeekRecord | null {
    if (options.truncated) {
      this.summary.truncatedLines += 1;
      this.report(
        'error',
        lineNumber,
        `line ${lineNumber} is incomplete because the data ends inside it (${text.length} characters read); it was not imported`,
      );
      return null;
    }
    if (text.length === 0 || (this.format === 'json' && text.trim().length === 0)) return null;
    if (this.format === null) {
      this.format = text.trimStart().startsWith('{') ? 'json' : 'tsv';
      this.summary.format = this.format;
    }
    const record = this.format === 'json' ? this.parseJsonLine(text, lineNumber) : this.parseTsvLine(text, lineNumber);
    if (record !== null) {
      this.summary.records += 1;
      this.summary.paths[record.path] = (this.summary.paths[record.path] ?? 0) + 1;
    }
    return record;
  }

  /** Ends the input and returns the counts. A missing `#close` is not a problem. */
  finish(): ZeekSummary {
    return { ...this.summary, paths: { ...this.summary.paths }, notes: [...this.summary.notes] };
  }

  private report(severity: 'error' | 'warning', line: number, message: string): void {
    if (severity === 'error') this.summary.errors += 1;
    else this.summary.warnings += 1;
    this.onIssue({ severity, line, position: `line ${line}`, message });
  }

  // ---------------------------------------------------------------- TSV

  private parseTsvLine(text: string, lineNumber: number): ZeekRecord | null {
    if (text.charCodeAt(0) === 0x23) {
      this.parseDirective(text, lineNumber);
      return null;
    }
    const block = this.block;
    if (block === null || block.names === null) {
      this.report('error', lineNumber, `line ${lineNumber} is data before any #fields header; the line was skipped`);
      return null;
    }
    const schema = block.schema ?? this.buildTsvSchema(block, lineNumber);
    const raw = text.split(block.separator);
    const width = schema.names.length;
    const warnings: string[] = [];
    // NOTE: a row of the wrong width is still imported (Zeek's own btest logs contain one),
    // so a line of junk with a few tabs also becomes a record; only its warning marks it.
    if (raw.length !== width) {
      const detail =
        raw.length < width ? `${width - raw.length} missing fields were set to null` : `${raw.length - width} extra fields were dropped`;
      warnings.push(`line ${lineNumber} has ${raw.length} fields but #fields at line ${schema.line} names ${width}; ${detail}`);
    }
    const values: ZeekValue[] = new Array(width);
    const timeNotes: ZeekTimeNote[] = [];
    for (let column = 0; column < width; column += 1) {
      const field = raw[column];
      if (field === undefined) {
        values[column] = null;
        continue;
      }
      const converted = convertTsvField(field, schema.types[column]!, block.markers);
      values[column] = converted.value;
      if (converted.note !== null) timeNotes.push({ field: schema.names[column]!, note: converted.note });
      if (converted.problem !== null) {
        warnings.push(`line ${lineNumber} field ${schema.names[column]}: ${converted.problem}; stored as null`);
      }
    }
    for (const warning of warnings) this.report('warning', lineNumber, warning);
    return { format: 'tsv', path: schema.path, line: lineNumber, schema, values, timeNotes, warnings };
  }

  private parseDirective(text: string, lineNumber: number): void {
    if (text.startsWith('#separator')) {
      this.startBlock(text, lineNumber);
      return;
    }
    const block = this.block ?? this.startBlock(null, lineNumber);
    const match = /^#([a-z_]+)(.*)$/.exec(text);
    if (match === null) return; // A comment line such as `### ...`.
    const [, directive, rest = ''] = match;
    // Zeek separates the directive from its value with the separator; btest-canonified
    // files and hand edits sometimes use a space instead.
    let value: string;
    if (rest.startsWith(block.separator)) value = rest.slice(block.separator.length);
    else if (rest.startsWith(' ')) value = rest.slice(1);
    else if (rest.length === 0) value = '';
    else return;
    switch (directive) {
      case 'set_separator':
        block.markers = { ...block.markers, setSeparator: decodeZeekEscapes(value) };
        break;
      case 'empty_field':
        block.markers = { ...block.markers, emptyField: value };
        break;
      case 'unset_field':
        block.markers = { ...block.markers, unsetField: value };
        break;
      case 'path':
        block.path = value;
        block.schema = null;
        break;
      case 'fields':
        this.setFields(block, value.split(block.separator), lineNumber);
        break;
      case 'types':
        block.types = value.split(block.separator);
        block.schema = null;
        break;
      default:
        // `#open`, `#close` and unknown directives carry nothing the records need.
        break;
    }
  }

  private startBlock(text: string | null, lineNumber: number): TsvBlock {
    let separator = '\t';
    if (text !== null) {
      const value = decodeZeekEscapes(text.slice('#separator'.length).replace(/^[ \t]/, ''));
      if (value.length === 0) {
        this.report('error', lineNumber, `line ${lineNumber}: #separator has no value; using a tab`);
      } else {
        separator = value;
      }
    }
    if (this.block !== null && this.block.names !== null) {
      this.summary.notes.push(`a new header block starts at line ${lineNumber}`);
    }
    this.summary.headerBlocks += 1;
    this.block = {
      separator,
      markers: { ...DEFAULT_MARKERS },
      path: null,
      fieldsLine: lineNumber,
      names: null,
      types: null,
      schema: null,
    };
    return this.block;
  }

  private setFields(block: TsvBlock, names: string[], lineNumber: number): void {
    const blank: number[] = [];
    const renamed = names.map((name, index) => {
      if (name.trim().length > 0) return name;
      blank.push(index + 1);
      return `column${index + 1}`;
    });
    if (blank.length > 0) {
      const message = `line ${lineNumber}: #fields has blank column names at positions ${blank.join(', ')} (as zeek-cut -C leaves them); they were named ${blank.map((position) => `column${position}`).join(', ')}`;
      this.summary.notes.push(message);
      this.report('warning', lineNumber, message);
    }
    block.names = renamed;
    block.fieldsLine = lineNumber;
    block.schema = null;
  }

  private buildTsvSchema(block: TsvBlock, lineNumber: number): ZeekSchema {
    const names = block.names!;
    let types = block.types;
    if (types === null) {
      this.report(
        'warning',
        lineNumber,
        `line ${lineNumber}: no #types header after #fields at line ${block.fieldsLine}; every column is read as string`,
      );
      types = names.map(() => 'string');
    } else if (types.length !== names.length) {
      this.report(
        'warning',
        lineNumber,
        `#types names ${types.length} types for ${names.length} #fields at line ${block.fieldsLine}; columns without a type are read as string`,
      );
      types = names.map((_, index) => types![index] ?? 'string');
    }
    const index = new Map<string, number>();
    names.forEach((name, column) => {
      if (!index.has(name)) index.set(name, column);
    });
    block.schema = { format: 'tsv', path: block.path ?? this.fallbackPath, names, types, index, line: block.fieldsLine };
    return block.schema;
  }

  // --------------------------------------------------------------- JSON

  private parseJsonLine(text: string, lineNumber: number): ZeekRecord | null {
    let members: Array<[string, JsonItem]>;
    try {
      members = scanJsonObjectLine(text);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      this.report('error', lineNumber, `line ${lineNumber} is not a JSON object: ${error.message}; the line was skipped`);
      return null;
    }
    let path: string | null = null;
    let stream: string | null = null;
    for (const [name, item] of members) {
      if (name === '_path' && typeof item === 'string') path = item;
      else if (name === '@stream' && typeof item === 'string') stream = item;
      else if (name === 'ts') this.jsonEncoding = timeEncodingOf(item, this.jsonEncoding);
    }
    const names: string[] = [];
    const types: string[] = [];
    const values: ZeekValue[] = [];
    const timeNotes: ZeekTimeNote[] = [];
    const warnings: string[] = [];
    const seen = new Set<string>();
    for (const [name, item] of members) {
      const converted = convertJsonField(name, item, this.jsonEncoding);
      if (seen.has(name)) warnings.push(`line ${lineNumber}: key "${name}" appears more than once; every value was kept`);
      seen.add(name);
      names.push(name);
      types.push(converted.type);
      values.push(converted.value);
      if (converted.note !== null) timeNotes.push({ field: name, note: converted.note as TimeNote });
      if (converted.problem !== null) warnings.push(`line ${lineNumber} field ${name}: ${converted.problem}; stored as null`);
    }
    const schema = this.jsonSchema(path ?? stream ?? this.fallbackPath, names, types, lineNumber);
    for (const warning of warnings) this.report('warning', lineNumber, warning);
    return { format: 'json', path: schema.path, line: lineNumber, schema, values, timeNotes, warnings };
  }

  private jsonSchema(path: string, names: string[], types: string[], lineNumber: number): ZeekSchema {
    const key = `${path}\u0000${names.join('\u0001')}\u0000${types.join('\u0001')}`;
    const cached = this.jsonSchemas.get(key);
    if (cached !== undefined) return cached;
    if (this.jsonSchemas.size >= SCHEMA_CACHE_LIMIT) this.jsonSchemas.clear();
    const index = new Map<string, number>();
    names.forEach((name, column) => {
      if (!index.has(name)) index.set(name, column);
    });
    const schema: ZeekSchema = { format: 'json', path, names, types, index, line: lineNumber };
    this.jsonSchemas.set(key, schema);
    return schema;
  }
}

/**
 * Decides the time encoding from a record's `ts`: a string is ISO 8601
 * (`JSON::TS_ISO8601`), an integer of at least 10^11 is epoch milliseconds
 * (`JSON::TS_MILLIS`; as seconds that would be after the year 5000), other numbers are
 * epoch seconds. A record without a readable `ts` keeps the previous encoding.
 */
function timeEncodingOf(item: JsonItem, previous: JsonTimeEncoding): JsonTimeEncoding {
  if (typeof item === 'string') return 'iso8601';
  if (item instanceof JsonNumber) {
    const integer = /^-?\d+$/.test(item.text);
    return integer && Math.abs(Number(item.text)) >= 1e11 ? 'epoch-millis' : 'epoch-seconds';
  }
  return previous;
}

/** A line as the ingest layer's line reader yields it. */
export interface ZeekLineInput {
  text: string;
  /** 1-based line number. */
  number: number;
  /** False for a last line without a line ending. */
  terminated?: boolean;
}

/**
 * Parses lines into records. Lines given as plain strings are numbered from 1. A last
 * line without a line ending is unterminated back: when the source then fails (a cut gzip
 * stream), that line is reported as truncated and the source's error is rethrown;
 * when the source ends normally, the line is parsed as usual.
 */
export async function* parseZeekLines(
  lines: AsyncIterable<ZeekLineInput | string> | Iterable<ZeekLineInput | string>,
  parser: ZeekParser,
): AsyncGenerator<ZeekRecord> {
  let unterminated: ZeekLineInput | null = null;
  let counter = 0;
  try {
    for await (const entry of lines) {
      counter += 1;
      const line = typeof entry === 'string' ? { text: entry, number: counter, terminated: true } : entry;
      if (unterminated !== null) {
        const record = parser.pushLine(unterminated.text, unterminated.number);
        unterminated = null;
        if (record !== null) yield record;
      }
      if (line.terminated === false) {
        unterminated = line;
        continue;
      }
      const record = parser.pushLine(line.text, line.number);
      if (record !== null) yield record;
    }
  } catch (error) {
    if (unterminated !== null) parser.pushLine(unterminated.text, unterminated.number, { truncated: true });
    throw error;
  }
  if (unterminated !== null) {
    const record = parser.pushLine(unterminated.text, unterminated.number);
    if (record !== null) yield record;
  }
}
