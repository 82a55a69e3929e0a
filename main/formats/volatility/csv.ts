// Volatility 3 CSV (`-r csv`). Every dialect starts with a `TreeDepth` column, and the
// dialects differ in quoting, escaping and line ends (see VolCsvDialect). Absent values
// are empty fields in the legacy dialect and `N/A` or `-` in the others.

import type { RawRow, RawTable } from './build.ts';
import type { VolCsvDialect, VolIssue } from './types.ts';

/**
 * Identifies the dialect from the text (a head is enough): quoted header names mean
 * the hand-written legacy writer, `\r\r\n` after the header means Windows text mode, and
 * backslashes that only occur in even runs mean the escape character of 2.4.1 and later.
 */
export function detectCsvDialect(text: string): VolCsvDialect {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.startsWith('"TreeDepth"')) return 'legacy-quoting';
  const firstEnd = body.indexOf('\n');
  if (firstEnd > 0 && body.slice(Math.max(0, firstEnd - 2), firstEnd) === '\r\r') return 'crcrlf';
  let runs = 0;
  for (const match of body.matchAll(/\\+/g)) {
    if (match[0].length % 2 === 1) return 'standard';
    runs++;
  }
  return runs > 0 ? 'backslash-escaped' : 'standard';
}

interface CsvRecord {
  line: number;
  fields: string[];
}

/** Reads RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. A `\r` before a record end is dropped. */
function readRfcRecords(text: string, escaped: boolean): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let index = 0;

  const endRecord = () => {
    fields.push(field);
    records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };

  while (index < text.length) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index += 2;
          continue;
        }
        quoted = false;
      } else if (escaped && char === '\\' && index + 1 < text.length) {
        field += text[index + 1];
        if (text[index + 1] === '\n') line++;
        index += 2;
        continue;
      } else {
        if (char === '\n') line++;
        field += char;
      }
      index++;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n') {
      endRecord();
      line++;
      recordLine = line;
    } else if (char === '\r' && (text[index + 1] === '\n' || text[index + 1] === '\r')) {
      // Part of a record end.
    } else if (escaped && char === '\\' && index + 1 < text.length) {
      field += text[index + 1];
      index++;
    } else field += char;
    index++;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/**
 * Legacy records: a record starts on a line beginning with the TreeDepth number, and
 * later lines belong to its last value. Inner quotes were not doubled, so a quoted value
 * ends at the first `",` and the last value is the rest of the record.
 */
function readLegacyRecords(text: string, columnCount: number): CsvRecord[] {
  const lines = text.split('\n').map((line) => line.replace(/\r+$/, ''));
  if (lines[lines.length - 1] === '') lines.pop();
  const records: CsvRecord[] = [];
  const joined: { line: number; text: string }[] = [];
  lines.forEach((line, index) => {
    if (index === 0 || /^\d+,/.test(line) || joined.length === 0) joined.push({ line: index + 1, text: line });
    else joined[joined.length - 1]!.text += `\n${line}`;
  });
  for (const { line, text: record } of joined) {
    if (record.trim() === '') continue;
    const fields: string[] = [];
    let position = 0;
    for (let column = 0; column < columnCount - 1 && position <= record.length; column++) {
      if (record[position] === '"') {
        const close = record.indexOf('",', position + 1);
        const end = close < 0 ? record.length : close;
        fields.push(record.slice(position + 1, end));
        position = close < 0 ? record.length + 1 : close + 2;
      } else {
        const comma = record.indexOf(',', position);
        const end = comma < 0 ? record.length : comma;
        fields.push(record.slice(position, end));
        position = comma < 0 ? record.length + 1 : comma + 1;
      }
    }
    if (position <= record.length) {
      const rest = record.slice(position);
      fields.push(rest.length >= 2 && rest.startsWith('"') && rest.endsWith('"') ? rest.slice(1, -1) : rest);
    }
    records.push({ line, fields });
  }
  return records;
}

export interface CsvTable extends RawTable {
  dialect: VolCsvDialect;
}

/** Parses Volatility 3 CSV into a raw table. The TreeDepth column becomes each row's depth. */
export function parseVolCsv(text: string, issues: VolIssue[]): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const dialect = detectCsvDialect(body);
  let records: CsvRecord[];
  if (dialect === 'legacy-quoting') {
    const headerEnd = body.indexOf('\n');
    const headerLine = (headerEnd < 0 ? body : body.slice(0, headerEnd)).replace(/\r+$/, '');
    const columnCount = headerLine.split('","').length;
    records = readLegacyRecords(body, columnCount);
    const header = records[0];
    if (header) header.fields = headerLine.replace(/^"|"$/g, '').split('","');
  } else {
    const normalized = dialect === 'crcrlf' ? body.replace(/\r+\n/g, '\n') : body;
    records = readRfcRecords(normalized, dialect === 'backslash-escaped');
  }

  const [header, ...data] = records;
  const headers = header?.fields ?? [];
  const hasDepth = headers[0] === 'TreeDepth';
  const rows: RawRow[] = [];
  for (const record of data) {
    if (record.fields.every((field) => field.trim() === '')) continue;
    let cells = record.fields;
    let depth = 0;
    if (hasDepth) {
      const parsed = Number(cells[0]);
      if (Number.isInteger(parsed) && parsed >= 0) depth = parsed;
      else
        issues.push({ severity: 'warning', line: record.line, message: `expected a TreeDepth number, found ${JSON.stringify(cells[0])}` });
      cells = cells.slice(1);
    }
    const expected = headers.length - (hasDepth ? 1 : 0);
    if (cells.length !== expected) {
      issues.push({
        severity: 'warning',
        line: record.line,
        message: `expected ${expected} fields after TreeDepth, found ${cells.length}`,
      });
    }
    rows.push({ line: record.line, depth, cells });
  }
  return { headers: hasDepth ? headers.slice(1) : headers, rows, dialect };
}
