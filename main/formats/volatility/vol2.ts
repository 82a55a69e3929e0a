// Volatility 2 text output: fixed-width tables (a header line over a line of dash
// groups, one group per column), pstree with a dot per tree level, and the block formats
// of dlllist and cmdline (blocks after a line of `*`), cmdscan and consoles (same
// separator, `Key: value` lines), malfind (`Process: ... Pid: ... Address: ...` blocks),
// svcscan (`Key: value` blocks) and getsids (`name (pid): SID (account)` lines).

import { buildRows, type RawRow, type RawTable, reshapeNetworkTable } from './build.ts';
import { parseCommandLine, type VolCommand, vol2Banner } from './commandline.ts';
import { kindOfPlugin, pluginFromHeader } from './schemas.ts';
import type { VolIssue, VolPluginKind, VolPluginSource, VolRun } from './types.ts';

const DASHES = /^-+(?: +-+)+ *$/;
const STARS = /^\*{10,}\s*$/;
const MALFIND_START = /^Process: (.+?) Pid: (\d+) Address: (0x[0-9a-fA-F]+)\s*$/;
const GETSIDS_LINE = /^(.+?) \((\d+)\): (S-[\d-]+)(?: \((.*)\))?\s*$/;
const PID_LINE = /^(.*?) pid:\s*(\d+)\s*$/;

export interface Vol2Context {
  runs: VolRun[];
  issues: VolIssue[];
}

interface Span {
  start: number;
  end: number;
}

function dashSpans(line: string): Span[] {
  const spans: Span[] = [];
  for (const match of line.matchAll(/-+/g)) spans.push({ start: match.index, end: match.index + match[0].length });
  return spans;
}

/**
 * Cuts a row at the column starts of the dash line. A value wider than its column
 * pushes the rest of the row right; that shows as a cut through a word, and the cut
 * moves to the next space.
 */
export function sliceFixedWidth(line: string, spans: Span[]): string[] {
  const cells: string[] = [];
  let shift = 0;
  for (let index = 0; index < spans.length; index++) {
    let start = spans[index]!.start + shift;
    if (index > 0 && start > 0 && start < line.length && line[start - 1] !== ' ' && line[start] !== ' ') {
      const space = line.indexOf(' ', start);
      const moved = space < 0 ? line.length : space + 1;
      cells[index - 1] += line.slice(start, moved);
      shift += moved - start;
      start = moved;
    }
    // NOTE: a right-aligned value wider than its column runs left into the separator and is not detected.
    const end = index === spans.length - 1 ? line.length : spans[index + 1]!.start + shift;
    cells.push(line.slice(start, Math.max(start, end)));
  }
  return cells.map((cell) => cell.trim());
}

interface RunParts {
  plugin: string | null;
  source: VolPluginSource;
  kind: VolPluginKind;
}

export function parseVol2Text(lines: string[], context: Vol2Context): void {
  let release: string | null = null;
  let pending: { command: VolCommand; line: number } | null = null;

  const resolve = (inferred: string | null): RunParts => {
    const plugin = pending?.command.plugin ?? inferred;
    const source: VolPluginSource = pending?.command.plugin ? 'command-line' : inferred ? 'header' : 'unknown';
    return { plugin, source, kind: plugin ? kindOfPlugin(plugin) : 'generic' };
  };

  const emit = (parts: RunParts, table: RawTable, line: number, blocks?: number) => {
    const shaped = parts.kind === 'netscan' ? reshapeNetworkTable(table) : table;
    const built = buildRows(shaped, parts.kind, 'text');
    const run: VolRun = {
      plugin: parts.plugin ?? 'unknown',
      pluginSource: parts.source,
      kind: parts.kind,
      renderer: 'text',
      version: 2,
      release,
      dialect: null,
      image: pending?.command.image ?? null,
      line: pending?.line ?? line,
      columns: built.columns,
      rows: built.rows,
    };
    if (blocks !== undefined) run.blocks = blocks;
    context.runs.push(run);
    pending = null;
  };

  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    const banner = vol2Banner(line);
    if (banner) {
      release = banner;
      index++;
      continue;
    }
    const command = parseCommandLine(line);
    if (command) {
      pending = { command, line: index + 1 };
      index++;
      continue;
    }
    if (STARS.test(line)) {
      index = parseStarBlocks(lines, index, resolve, emit, context);
      continue;
    }
    if (MALFIND_START.test(line)) {
      index = parseMalfindBlocks(lines, index, resolve, emit);
      continue;
    }
    if (GETSIDS_LINE.test(line)) {
      index = parseGetsids(lines, index, resolve, emit);
      continue;
    }
    if (/^Offset: 0x[0-9a-fA-F]+\s*$/.test(line) && /^Order: /.test(lines[index + 1] ?? '')) {
      index = parseKeyValueBlocks(lines, index, resolve, emit);
      continue;
    }
    if (line.trim() !== '' && DASHES.test(lines[index + 1] ?? '')) {
      index = parseTable(lines, index, resolve, emit);
      continue;
    }
    index++;
  }
}

type Resolve = (inferred: string | null) => RunParts;
type Emit = (parts: RunParts, table: RawTable, line: number, blocks?: number) => void;

function parseTable(lines: string[], headerIndex: number, resolve: Resolve, emit: Emit): number {
  const spans = dashSpans(lines[headerIndex + 1]!);
  let headers = sliceFixedWidth(lines[headerIndex]!, spans);
  const parts = resolve(pluginFromHeader(headers, 2));
  const isTree = parts.kind === 'pstree' && headers[0]?.toLowerCase() === 'name';
  if (isTree) headers = ['Offset(V)', 'ImageFileName', ...headers.slice(1)];

  const rows: RawRow[] = [];
  let index = headerIndex + 2;
  for (; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') break;
    // pstree -v prints the audit path, command line and image path under each process.
    const verbose = isTree ? /^\s+(audit|cmd|path):\s?(.*)$/.exec(line) : null;
    if (verbose && rows.length > 0) {
      const column = { audit: 'Audit', cmd: 'Cmd', path: 'Path' }[verbose[1] as 'audit' | 'cmd' | 'path'];
      let position = headers.indexOf(column);
      if (position < 0) {
        headers = [...headers, column];
        position = headers.length - 1;
      }
      rows[rows.length - 1]!.cells[position] = verbose[2]!;
      continue;
    }
    const cells: (string | null)[] = sliceFixedWidth(line, spans);
    let depth = 0;
    if (isTree) {
      const name = /^(\.*)\s*(0x[0-9a-fA-F]+):(.*)$/.exec(cells[0] ?? '');
      depth = name ? name[1]!.length : 0;
      cells.splice(0, 1, name ? name[2]! : null, name ? name[3]! : (cells[0] ?? ''));
    }
    rows.push({ line: index + 1, depth, cells });
  }
  emit(parts, { headers, rows }, headerIndex + 1);
  return index;
}

/** Splits `Key: value Key: value` lines; keys are single words ending in a colon. */
function keyValues(line: string): [string, string][] {
  const pairs: [string, string][] = [];
  const pattern = /([A-Za-z][\w#]*): (.*?)(?= [A-Za-z][\w#]*: |$)/g;
  for (const match of line.trim().matchAll(pattern)) pairs.push([match[1]!, match[2]!.trim()]);
  return pairs;
}

type Block = { line: number; lines: string[] };

function collectStarBlocks(lines: string[], start: number): { blocks: Block[]; end: number } {
  const blocks: Block[] = [];
  let index = start;
  while (index < lines.length && STARS.test(lines[index]!)) {
    const block: Block = { line: index + 2, lines: [] };
    index++;
    while (index < lines.length && !STARS.test(lines[index]!)) {
      block.lines.push(lines[index]!);
      index++;
    }
    blocks.push(block);
  }
  return { blocks, end: index };
}

function parseStarBlocks(lines: string[], start: number, resolve: Resolve, emit: Emit, context: Vol2Context): number {
  const { blocks, end } = collectStarBlocks(lines, start);
  const first = blocks[0]?.lines[0] ?? '';
  if (first.startsWith('CommandProcess:')) emit(resolve('cmdscan'), commandHistoryTable(blocks, false), start + 1, blocks.length);
  else if (first.startsWith('ConsoleProcess:')) emit(resolve('consoles'), commandHistoryTable(blocks, true), start + 1, blocks.length);
  else if (PID_LINE.test(first)) {
    const hasModules = blocks.some((block) => block.lines.some((line, index) => DASHES.test(line) && index > 0));
    const parts = resolve(hasModules ? 'dlllist' : 'cmdline');
    emit(parts, parts.kind === 'dlllist' ? dlllistTable(blocks) : cmdlineTable(blocks), start + 1, blocks.length);
  } else {
    context.issues.push({
      severity: 'warning',
      line: start + 2,
      message: `unrecognised Volatility 2 block starting ${JSON.stringify(first.slice(0, 60))}; skipped`,
    });
  }
  return end;
}

function processOf(block: Block): { name: string; pid: string } {
  const match = PID_LINE.exec(block.lines[0] ?? '');
  return { name: match?.[1]?.trim() ?? '', pid: match?.[2] ?? '' };
}

function commandLineOf(block: Block): string | null {
  for (const line of block.lines) {
    const match = /^Command line : (.*)$/.exec(line);
    if (match) return match[1]!;
  }
  return null;
}

function cmdlineTable(blocks: Block[]): RawTable {
  const rows = blocks.map((block) => {
    const process = processOf(block);
    return { line: block.line, depth: 0, cells: [process.pid, process.name, commandLineOf(block)] };
  });
  return { headers: ['PID', 'Process', 'Args'], rows };
}

function dlllistTable(blocks: Block[]): RawTable {
  const headers = ['PID', 'Process', 'CommandLine', 'Base', 'Size', 'LoadCount', 'Path', 'Name'];
  const rows: RawRow[] = [];
  for (const block of blocks) {
    const process = processOf(block);
    const commandLine = commandLineOf(block);
    const dashIndex = block.lines.findIndex((line, index) => index > 0 && DASHES.test(line));
    if (dashIndex < 0) continue;
    const spans = dashSpans(block.lines[dashIndex]!);
    const moduleHeaders = sliceFixedWidth(block.lines[dashIndex - 1]!, spans).map((name) => name.toLowerCase());
    for (let index = dashIndex + 1; index < block.lines.length; index++) {
      const line = block.lines[index]!;
      if (line.trim() === '') break;
      const cells = sliceFixedWidth(line, spans);
      const cell = (name: string) => cells[moduleHeaders.indexOf(name)] ?? null;
      const path = cell('path');
      const name = path === null ? null : (path.split('\\').pop() ?? path);
      rows.push({
        line: block.line + index,
        depth: 0,
        cells: [process.pid, process.name, commandLine, cell('base'), cell('size'), cell('loadcount'), path, name],
      });
    }
  }
  return { headers, rows };
}

/** cmdscan and consoles blocks: `Key: value` pairs, `Cmd #n` lines and, for consoles, attached processes and the screen dump. */
function commandHistoryTable(blocks: Block[], consoles: boolean): RawTable {
  const headers = consoles
    ? [
        'PID',
        'Process',
        'Console',
        'CommandHistorySize',
        'HistoryBufferCount',
        'HistoryBufferMax',
        'OriginalTitle',
        'Title',
        'AttachedProcesses',
        'Commands',
        'Screen',
      ]
    : [
        'PID',
        'Process',
        'CommandHistory',
        'Application',
        'Flags',
        'CommandCount',
        'LastAdded',
        'LastDisplayed',
        'FirstCommand',
        'CommandCountMax',
        'ProcessHandle',
        'Commands',
      ];
  const rows = blocks.map((block): RawRow => {
    const values = new Map<string, string>();
    const attached: string[] = [];
    const commands: string[] = [];
    const screen: string[] = [];
    let inDump = false;
    for (const line of block.lines) {
      if (inDump) {
        screen.push(line.trimEnd());
        continue;
      }
      const command = /^Cmd #\d+ (?:@|at) 0x[0-9a-fA-F]+: ?(.*)$/.exec(line);
      if (command) {
        commands.push(command[1]!);
        continue;
      }
      if (line.startsWith('Dump:')) {
        inDump = true;
        continue;
      }
      const title = /^(OriginalTitle|Title): ?(.*)$/.exec(line);
      if (title) {
        values.set(title[1]!, title[2]!);
        continue;
      }
      const attachedProcess = /^AttachedProcess: (.*)$/.exec(line);
      if (attachedProcess) {
        attached.push(attachedProcess[1]!.trim());
        continue;
      }
      for (const [key, value] of keyValues(line)) {
        const name = key === 'CommandProcess' || key === 'ConsoleProcess' ? 'Process' : key === 'Pid' ? 'PID' : key;
        // The first occurrence wins: consoles repeat CommandHistory keys per history buffer.
        if (!values.has(name)) values.set(name, value);
      }
    }
    while (screen.length > 0 && screen[screen.length - 1] === '') screen.pop();
    const cells = headers.map((header): string | string[] | null => {
      if (header === 'AttachedProcesses') return attached;
      if (header === 'Commands') return commands;
      if (header === 'Screen') return screen.length > 0 ? screen.join('\n') : null;
      return values.get(header) ?? null;
    });
    return { line: block.line, depth: 0, cells };
  });
  return { headers, rows };
}

function parseMalfindBlocks(lines: string[], start: number, resolve: Resolve, emit: Emit): number {
  const headers = ['PID', 'Process', 'Start VPN', 'Tag', 'Protection', 'CommitCharge', 'PrivateMemory', 'Flags', 'Hexdump', 'Disasm'];
  const rows: RawRow[] = [];
  let index = start;
  while (index < lines.length) {
    const head = MALFIND_START.exec(lines[index]!);
    if (!head) {
      if (lines[index]!.trim() === '') {
        index++;
        continue;
      }
      break;
    }
    const line = index + 1;
    index++;
    const vad = /^Vad Tag: (\S*)\s+Protection: (\S+)/.exec(lines[index] ?? '');
    if (vad) index++;
    const flagsLine = /^Flags: (.*)$/.exec(lines[index] ?? '');
    if (flagsLine) index++;
    const flags = new Map(flagsLine ? flagsLine[1]!.split(', ').map((pair) => pair.split(': ') as [string, string]) : []);
    // The hex dump and the disassembly follow, each as a paragraph after a blank line.
    const paragraphs: string[][] = [];
    while (index < lines.length && !MALFIND_START.test(lines[index]!)) {
      if (lines[index]!.trim() === '') {
        paragraphs.push([]);
      } else {
        if (paragraphs.length === 0) paragraphs.push([]);
        paragraphs[paragraphs.length - 1]!.push(lines[index]!);
      }
      index++;
    }
    const filled = paragraphs.filter((paragraph) => paragraph.length > 0);
    rows.push({
      line,
      depth: 0,
      cells: [
        head[2]!,
        head[1]!,
        head[3]!,
        vad?.[1] ?? null,
        vad?.[2] ?? null,
        flags.get('CommitCharge') ?? null,
        flags.get('PrivateMemory') ?? null,
        flagsLine?.[1] ?? null,
        filled[0]?.join('\n') ?? null,
        filled
          .slice(1)
          .map((paragraph) => paragraph.join('\n'))
          .join('\n') || null,
      ],
    });
  }
  emit(resolve('malfind'), { headers, rows }, start + 1, rows.length);
  return index;
}

function parseGetsids(lines: string[], start: number, resolve: Resolve, emit: Emit): number {
  const rows: RawRow[] = [];
  let index = start;
  for (; index < lines.length; index++) {
    const match = GETSIDS_LINE.exec(lines[index]!);
    if (!match) break;
    rows.push({ line: index + 1, depth: 0, cells: [match[2]!, match[1]!, match[3]!, match[4] ?? null] });
  }
  emit(resolve('getsids'), { headers: ['PID', 'Process', 'SID', 'Name'], rows }, start + 1);
  return index;
}

/** svcscan: blocks of `Key: value` lines separated by blank lines, one service each. */
function parseKeyValueBlocks(lines: string[], start: number, resolve: Resolve, emit: Emit): number {
  const headers: string[] = [];
  const records: { line: number; values: Map<string, string> }[] = [];
  let index = start;
  let current: { line: number; values: Map<string, string> } | null = null;
  for (; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') {
      current = null;
      continue;
    }
    const pair = /^([A-Za-z][\w ]*?): ?(.*)$/.exec(line);
    if (!pair) break;
    if (!current) {
      current = { line: index + 1, values: new Map() };
      records.push(current);
    }
    if (!headers.includes(pair[1]!)) headers.push(pair[1]!);
    current.values.set(pair[1]!, pair[2]!);
  }
  const rows = records.map((record) => ({
    line: record.line,
    depth: 0,
    cells: headers.map((header) => record.values.get(header) ?? null),
  }));
  emit(resolve('svcscan'), { headers, rows }, start + 1);
  return index;
}
