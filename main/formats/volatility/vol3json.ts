// Volatility 3 JSON (`-r json`: one list of rows) and JSON lines (`-r jsonl`: one row per
// line). Each row is an object of column values with its child rows under `__children`;
// children are flattened in pre-order with their depth.

import type { RawRow, RawTable } from './build.ts';
import { JsonObject, JsonReader, JsonSyntaxError, type JsonValue } from './json.ts';
import type { VolIssue } from './types.ts';

const CHILDREN = '__children';

function flatten(
  items: JsonValue[],
  depth: number,
  table: RawTable,
  columnIndex: Map<string, number>,
  issues: VolIssue[],
  line: number,
): void {
  for (const item of items) {
    if (!(item instanceof JsonObject)) {
      issues.push({
        severity: 'warning',
        line,
        message: `expected a row object in the Volatility JSON list, found ${item === null ? 'null' : typeof item}`,
      });
      continue;
    }
    const cells: JsonValue[] = [];
    for (const [key, value] of item.fields) {
      if (key === CHILDREN) continue;
      let position = columnIndex.get(key);
      if (position === undefined) {
        position = table.headers.length;
        columnIndex.set(key, position);
        table.headers.push(key);
      }
      cells[position] = value;
    }
    table.rows.push({ line: item.line, depth, cells: cells.map((cell) => cell ?? null) } satisfies RawRow);
    const children = item.fields.get(CHILDREN);
    if (Array.isArray(children)) flatten(children, depth + 1, table, columnIndex, issues, item.line);
  }
}

/** Parses `-r json` output; a syntax error is reported and the rows read before it are kept when possible. */
export function parseVol3Json(text: string, issues: VolIssue[]): RawTable {
  const table: RawTable = { headers: [], rows: [] };
  let document: JsonValue;
  try {
    document = new JsonReader(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).readDocument();
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    issues.push({ severity: 'error', line: error.line, message: `invalid Volatility JSON: ${error.message}` });
    return table;
  }
  if (!Array.isArray(document)) {
    issues.push({ severity: 'error', line: 1, message: 'expected a JSON list of rows at the top level' });
    return table;
  }
  flatten(document, 0, table, new Map(), issues, 1);
  return table;
}

/** Parses `-r jsonl` output: one top-level row (with its children) per non-blank line. */
export function parseVol3JsonLines(text: string, issues: VolIssue[]): RawTable {
  const table: RawTable = { headers: [], rows: [] };
  const columnIndex = new Map<string, number>();
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const value = new JsonReader(line, 0, index + 1).readDocument();
      flatten([value], 0, table, columnIndex, issues, index + 1);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      issues.push({ severity: 'error', line: index + 1, message: `invalid JSON line, skipped: ${error.message}` });
    }
  });
  return table;
}
