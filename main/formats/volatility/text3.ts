// Volatility 3 text output (the default `quick` renderer) as users save it: one or more
// runs, each a command line, a `Volatility 3 Framework x.y.z` banner, progress and log
// lines, a tab-separated header and rows. Tree plugins prefix the first cell with one `*`
// per level. Multi-line values (malfind's Hexdump and Disasm) continue on the following
// lines, and a continuation line ending in a tab closes one cell and opens the next.

import { buildRows, type RawRow } from './build.ts';
import { isLogLine, isProgressLine, isTracebackLine, parseCommandLine, type VolCommand, vol3Banner } from './commandline.ts';
import { kindOfPlugin, pluginFromHeader } from './schemas.ts';
import type { VolIssue, VolPluginSource, VolRun } from './types.ts';

/** Unexpected lines reported one by one per run before they are only counted. */
const MAX_LINE_ISSUES = 5;
const TAB_WIDTH = 8;

interface OpenRecord {
  row: RawRow;
  /** Index of the cell that continuation lines extend. */
  cell: number;
}

interface Section {
  line: number;
  release: string | null;
  command: VolCommand | null;
  headers: string[] | null;
  mode: 'tab' | 'spaces';
  rows: RawRow[];
  open: OpenRecord | null;
  unexpected: number;
}

/**
 * Splits a line whose tabs a console copy expanded to spaces at 8-column stops. A field
 * starts at a tab stop after a run of spaces, and a longer run means empty fields. Returns
 * the fields and, per boundary, whether it rests on a single space and so may be a space
 * inside a value.
 */
export function splitExpandedTabs(line: string): { fields: string[]; weak: boolean[] } {
  const fields: string[] = [];
  const weak: boolean[] = [];
  let start = 0;
  const runs = / +/g;
  for (let match = runs.exec(line); match; match = runs.exec(line)) {
    const runStart = match.index;
    const runEnd = runStart + match[0].length;
    if (runEnd >= line.length || runEnd % TAB_WIDTH !== 0) continue;
    fields.push(line.slice(start, runStart));
    weak.push(runEnd - runStart === 1);
    const firstStop = (Math.floor(runStart / TAB_WIDTH) + 1) * TAB_WIDTH;
    for (let stop = firstStop; stop < runEnd; stop += TAB_WIDTH) {
      fields.push('');
      weak.push(false);
    }
    start = runEnd;
  }
  fields.push(line.slice(start).trimEnd());
  return { fields, weak };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Fits expanded-tab fields to the header's column count. Extra fields are joined back
 * at single-space boundaries, first where a date meets its time, then from the right.
 */
export function fitFields(fields: string[], weak: boolean[], count: number): string[] {
  const result = [...fields];
  const boundaries = [...weak];
  while (result.length > count) {
    let join = result.findIndex((field, index) => index < result.length - 1 && boundaries[index] && DATE_ONLY.test(field.trim()));
    if (join < 0) join = boundaries.lastIndexOf(true);
    if (join < 0 || join >= result.length - 1) {
      // NOTE: no single-space boundary is left, so the surplus is folded into the last column.
      const tail = result.splice(count - 1).join(' ');
      result.push(tail);
      break;
    }
    result.splice(join, 2, `${result[join]} ${result[join + 1]}`);
    boundaries.splice(join, 1);
  }
  while (result.length < count) result.push('');
  return result;
}

function depthPrefix(first: string): { depth: number; rest: string } {
  const match = /^(\*+) ?(.*)$/s.exec(first);
  return match ? { depth: match[1]!.length, rest: match[2]! } : { depth: 0, rest: first };
}

function tabCount(line: string): number {
  let count = 0;
  for (let index = line.indexOf('\t'); index >= 0; index = line.indexOf('\t', index + 1)) count++;
  return count;
}

/** Drops what a terminal overwrote with `\r` on a progress line, keeping the text printed after it. */
function visibleText(line: string): string {
  if (!line.includes('\r') || !isProgressLine(line)) return line;
  return line.slice(line.lastIndexOf('\r') + 1).replace(/^\s+$/, '');
}

export interface TextParseContext {
  runs: VolRun[];
  issues: VolIssue[];
}

/** Parses Volatility 3 text output. Without any banner in the file, the first tab-separated line is taken as a header. */
export function parseVol3Text(lines: string[], context: TextParseContext): void {
  const hasBanner = lines.some((line) => vol3Banner(line) !== null);
  let pending: { command: VolCommand; line: number } | null = null;
  let section: Section | null = null;

  const issue = (severity: VolIssue['severity'], line: number, message: string) => context.issues.push({ severity, line, message });

  const pluginLabel = (current: Section) => current.command?.plugin ?? 'the plugin';

  const reportTraceback = (index: number, current: Section | null) => {
    let last = index;
    while (last + 1 < lines.length && last - index < 60 && !/^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)(?::|$)/.test(lines[last]!))
      last++;
    const exception = lines[last] ?? '';
    const where = current ? ` in the output of ${pluginLabel(current)}` : '';
    issue('warning', index + 1, `Python traceback${where}: ${exception.trim()}; rows after it may be missing`);
  };

  const finish = () => {
    if (!section) return;
    const current = section;
    section = null;
    const headers = current.headers ?? [];
    let plugin = current.command?.plugin ?? null;
    let source: VolPluginSource = plugin ? 'command-line' : 'unknown';
    if (!plugin && headers.length > 0) {
      plugin = pluginFromHeader(headers, 3);
      if (plugin) source = 'header';
    }
    const kind = plugin ? kindOfPlugin(plugin) : 'generic';
    if (current.unexpected > MAX_LINE_ISSUES) {
      issue(
        'warning',
        current.line,
        `${current.unexpected - MAX_LINE_ISSUES} more lines in the output of ${pluginLabel(current)} were not rows and were skipped`,
      );
    }
    if (!current.headers)
      issue('warning', current.line, `no table header after the banner of ${pluginLabel(current)}; the run has no rows`);
    for (const row of current.rows) {
      row.cells = row.cells.map((cell) => (typeof cell === 'string' ? cell.replace(/^\n+/, '') : cell));
    }
    const built = buildRows({ headers, rows: current.rows }, kind, 'text');
    context.runs.push({
      plugin: plugin ?? 'unknown',
      pluginSource: source,
      kind,
      renderer: 'text',
      version: 3,
      release: current.release,
      dialect: null,
      image: current.command?.image ?? null,
      line: current.line,
      columns: built.columns,
      rows: built.rows,
    });
  };

  const startSection = (line: number, release: string | null): Section => {
    const command = pending?.command ?? null;
    const startLine = pending?.line ?? line;
    pending = null;
    return { line: startLine, release, command, headers: null, mode: 'tab', rows: [], open: null, unexpected: 0 };
  };

  for (let index = 0; index < lines.length; index++) {
    const line = visibleText(lines[index]!);
    const lineNumber = index + 1;
    const blank = line.trim() === '';

    const release = vol3Banner(line);
    if (release !== null) {
      finish();
      section = startSection(lineNumber, release);
      continue;
    }
    const looksLikeRow = section?.headers && (line.includes('\t') || /^(?:\*+ )?(?:0x[0-9a-f]|\d)/i.test(line));
    if (!looksLikeRow && !line.includes('\t')) {
      const command = parseCommandLine(line);
      if (command) {
        finish();
        pending = { command, line: lineNumber };
        continue;
      }
    }
    if (isProgressLine(line) || (blank && !section)) continue;

    if (!section) {
      // A bare table: no banner anywhere, or a command line followed directly by the header.
      if (line.includes('\t') && (!hasBanner || pending) && !isLogLine(line) && !isTracebackLine(line)) {
        section = startSection(lineNumber, null);
      } else {
        continue;
      }
    }
    const current: Section = section;

    if (isTracebackLine(line)) {
      if (line.startsWith('Traceback')) reportTraceback(index, current);
      continue;
    }
    if (isLogLine(line)) {
      issue('warning', lineNumber, `${pluginLabel(current)} logged: ${line.trim()}`);
      continue;
    }

    if (!current.headers) {
      if (blank) continue;
      if (line.includes('\t')) {
        current.headers = line.split('\t').map((name) => name.trim());
        current.mode = 'tab';
      } else if (/\S {2,}\S/.test(line)) {
        current.headers = splitExpandedTabs(line).fields.map((name) => name.trim());
        current.mode = 'spaces';
      }
      // Anything else before the header (Workbench time stamps, notes) belongs to no row.
      continue;
    }

    // Volatility Workbench ends each run with these lines. Blank lines also occur between rows.
    if (blank) continue;
    if (/^Time Stamp: /.test(line) || /^\*+ End of command output \*+$/.test(line.trim())) {
      finish();
      continue;
    }

    const columnCount = current.headers.length;
    const isRow =
      current.mode === 'tab'
        ? tabCount(line) >= (columnCount >= 3 ? columnCount - 2 : columnCount - 1)
        : /^(?:\*+ )?(?:0x[0-9a-f]|\d)/i.test(line);

    if (isRow) {
      current.open = null;
      let cells: string[];
      if (current.mode === 'tab') {
        cells = line.split('\t');
      } else {
        const split = splitExpandedTabs(line);
        cells = fitFields(split.fields, split.weak, columnCount);
      }
      const { depth, rest } = depthPrefix(cells[0] ?? '');
      cells[0] = rest;
      if (cells.length > columnCount) {
        // A value that contains tabs: the surplus belongs to the last column.
        cells = [...cells.slice(0, columnCount - 1), cells.slice(columnCount - 1).join('\t')];
      }
      const row: RawRow = { line: lineNumber, depth, cells };
      current.rows.push(row);
      // A short row, or one ending in an empty cell, continues on the following lines.
      if (current.mode === 'tab' && (cells.length < columnCount || cells[cells.length - 1] === '')) {
        current.open = { row, cell: cells.length - 1 };
      }
      continue;
    }

    const open = current.open;
    if (open) {
      const closesCell = line.endsWith('\t') && open.cell < columnCount - 1;
      const text = closesCell ? line.slice(0, -1) : line;
      open.row.cells[open.cell] = `${open.row.cells[open.cell] ?? ''}\n${text}`;
      if (closesCell) {
        open.cell++;
        open.row.cells[open.cell] = '';
      }
      continue;
    }

    current.unexpected++;
    if (current.unexpected <= MAX_LINE_ISSUES) {
      const expected = current.mode === 'tab' ? `a row of ${columnCount} tab-separated cells` : 'a row starting with a number';
      issue(
        'warning',
        lineNumber,
        `expected ${expected} in the output of ${pluginLabel(current)}, found ${JSON.stringify(line.slice(0, 80))}`,
      );
    }
  }
  finish();
}
