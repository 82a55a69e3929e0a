// Helpers shared by the Zeek parser tests: parse a whole text and collect everything.

import { parseZeekLines, ZeekParser, type ZeekParserOptions, type ZeekSummary } from './parser.ts';
import { type ZeekIssue, type ZeekRecord, type ZeekValue, zeekField } from './types.ts';

export interface ParsedText {
  records: ZeekRecord[];
  issues: ZeekIssue[];
  summary: ZeekSummary;
}

/** Splits text on LF (dropping one trailing line ending) and parses every line. */
export function parseText(text: string, options: Omit<ZeekParserOptions, 'onIssue'> = {}): ParsedText {
  const issues: ZeekIssue[] = [];
  const parser = new ZeekParser({ ...options, onIssue: (issue) => issues.push(issue) });
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const records: ZeekRecord[] = [];
  lines.forEach((line, index) => {
    const record = parser.pushLine(line.replace(/\r$/, ''), index + 1);
    if (record !== null) records.push(record);
  });
  return { records, issues, summary: parser.finish() };
}

/** Parses lines through the streaming helper, collecting records until the source ends or fails. */
export async function parseStream(
  lines: AsyncIterable<{ text: string; number: number; terminated?: boolean }>,
  options: Omit<ZeekParserOptions, 'onIssue'> = {},
): Promise<ParsedText & { failure: unknown }> {
  const issues: ZeekIssue[] = [];
  const parser = new ZeekParser({ ...options, onIssue: (issue) => issues.push(issue) });
  const records: ZeekRecord[] = [];
  let failure: unknown = null;
  try {
    for await (const record of parseZeekLines(lines, parser)) records.push(record);
  } catch (error) {
    failure = error;
  }
  return { records, issues, summary: parser.finish(), failure };
}

/** Returns a field's value, failing loudly when the record has no such column. */
export function field(record: ZeekRecord | undefined, name: string): ZeekValue {
  if (record === undefined) throw new Error(`no record to read field ${name} from`);
  const value = zeekField(record, name);
  if (value === undefined) throw new Error(`record at line ${record.line} has no field ${name}; fields: ${record.schema.names.join(', ')}`);
  return value;
}

/** Builds a TSV log with default headers; `rows` are arrays of raw field texts. */
export function tsvLog(options: {
  path?: string;
  fields: string[];
  types: string[];
  rows: string[][];
  emptyField?: string;
  unsetField?: string;
  setSeparator?: string;
  close?: boolean;
}): string {
  const lines = [
    '#separator \\x09',
    `#set_separator\t${options.setSeparator ?? ','}`,
    `#empty_field\t${options.emptyField ?? '(empty)'}`,
    `#unset_field\t${options.unsetField ?? '-'}`,
    `#path\t${options.path ?? 'test'}`,
    '#open\t2024-03-01-10-00-00',
    `#fields\t${options.fields.join('\t')}`,
    `#types\t${options.types.join('\t')}`,
    ...options.rows.map((row) => row.join('\t')),
  ];
  if (options.close !== false) lines.push('#close\t2024-03-01-11-00-00');
  return `${lines.join('\n')}\n`;
}
