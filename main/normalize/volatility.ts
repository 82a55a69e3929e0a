// Maps a parsed Volatility row onto the unified event model: process identity for the
// process plugins, endpoints for netscan, paths for filescan and dlllist, the create
// time as the event time, and the whole row as exact JSON.

import type { Category, UnifiedEvent } from '../../shared/events.ts';
import { formatMicros } from '../formats/volatility/index.ts';
import type { VolColumn, VolPluginKind, VolRow, VolRun, VolValue } from '../formats/volatility/types.ts';

export interface VolatilityEventOptions {
  /** Host name when the import knows it (the memory image's machine); Volatility output rarely states it. */
  host?: string | null;
}

const CATEGORY: Partial<Record<VolPluginKind, Category>> = {
  pslist: 'process',
  psscan: 'process',
  pstree: 'process',
  cmdline: 'process',
  netscan: 'network',
  filescan: 'file',
  dlllist: 'file',
};

/** The column that holds the event time per plugin, and what that time means. */
const EVENT_TIME: Partial<Record<VolPluginKind, { column: string; kind: string }>> = {
  pslist: { column: 'CreateTime', kind: 'process start' },
  psscan: { column: 'CreateTime', kind: 'process start' },
  pstree: { column: 'CreateTime', kind: 'process start' },
  netscan: { column: 'Created', kind: 'connection created' },
  dlllist: { column: 'LoadTime', kind: 'module loaded' },
  sessions: { column: 'Create Time', kind: 'session created' },
};

/** Reads row values by column name. */
class RowView {
  private readonly positions = new Map<string, number>();

  constructor(
    columns: VolColumn[],
    private readonly row: VolRow,
  ) {
    columns.forEach((column, index) => {
      this.positions.set(column.name, index);
    });
  }

  value(name: string): VolValue {
    const index = this.positions.get(name);
    return index === undefined ? null : (this.row.values[index] ?? null);
  }

  text(...names: string[]): string | null {
    for (const name of names) {
      const value = this.value(name);
      if (typeof value === 'string' && value !== '') return value;
    }
    return null;
  }

  /** A PID or port as a number, or null when absent or beyond the safe integer range. */
  integer(...names: string[]): number | null {
    for (const name of names) {
      const value = this.value(name);
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER))
        return Number(value);
    }
    return null;
  }
}

/** Renders a value for the event's `data` JSON: addresses as hex text, other 64-bit integers as decimal text, times as ISO 8601. */
function jsonValue(column: VolColumn, value: VolValue): unknown {
  if (typeof value === 'bigint') {
    if (column.type === 'TIMESTAMP') return formatMicros(value);
    if (column.type === 'UBIGINT') return `0x${value.toString(16)}`;
    return value.toString();
  }
  return value;
}

/** Serializes the row with exact values, plus why values are null and notes on times. */
export function volatilityRowJson(run: VolRun, row: VolRow): string {
  const values: Record<string, unknown> = {};
  run.columns.forEach((column, index) => {
    const value = row.values[index] ?? null;
    if (value !== null || column.source !== null) values[column.name] = jsonValue(column, value);
  });
  const record: Record<string, unknown> = { plugin: run.plugin, line: row.line, values };
  if (row.depth > 0) record.depth = row.depth;
  if (Object.keys(row.nullReasons).length > 0) record.null_reasons = row.nullReasons;
  if (Object.keys(row.timeNotes).length > 0) record.time_notes = row.timeNotes;
  return JSON.stringify(record);
}

function protocolOf(proto: string | null): string | null {
  if (!proto) return null;
  const lowered = proto.toLowerCase();
  if (lowered.startsWith('tcp')) return 'tcp';
  if (lowered.startsWith('udp')) return 'udp';
  return lowered;
}

/** An address as an event field: Volatility prints `*` for no foreign address. */
function addressOf(text: string | null): string | null {
  return text === null || text === '*' || text === '' ? null : text;
}

function oneLine(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function messageFor(run: VolRun, view: RowView): string {
  const pid = view.integer('PID', 'Process ID');
  const image = view.text('ImageFileName', 'Process', 'Owner');
  const who = [image, pid === null ? null : `pid ${pid}`].filter(Boolean).join(' ');
  switch (run.kind) {
    case 'pslist':
    case 'psscan':
    case 'pstree': {
      const ppid = view.integer('PPID');
      return oneLine(`${run.kind}: ${who}${ppid === null ? '' : ` ppid ${ppid}`}`);
    }
    case 'cmdline':
      return oneLine(`cmdline: ${who}: ${view.text('Args') ?? '(no command line)'}`);
    case 'netscan': {
      const local = `${view.text('LocalAddr') ?? '?'}:${view.integer('LocalPort') ?? '?'}`;
      const foreign = `${view.text('ForeignAddr') ?? '?'}:${view.integer('ForeignPort') ?? '?'}`;
      return oneLine(`${view.text('Proto') ?? 'connection'} ${local} -> ${foreign} ${view.text('State') ?? ''} ${who}`);
    }
    case 'filescan':
      return oneLine(`filescan: ${view.text('Name') ?? '(no name)'}`);
    case 'dlllist':
      return oneLine(`dlllist: ${who} loaded ${view.text('Path', 'Name') ?? '(no path)'}`);
    default: {
      const cells = run.columns
        .map((column, index) => [column, view.value(column.name), index] as const)
        .filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0))
        .slice(0, 6)
        .map(([column, value]) => `${column.name}=${String(jsonValue(column, value))}`);
      return oneLine(`${run.plugin}: ${cells.join(' ')}`);
    }
  }
}

/**
 * Maps one row of a run to a unified event. The locator names the plugin, the row's
 * position in its run and its source line, so a report can cite it.
 */
export function volatilityRowToEvent(run: VolRun, row: VolRow, options: VolatilityEventOptions = {}): UnifiedEvent {
  const view = new RowView(run.columns, row);
  const time = EVENT_TIME[run.kind];
  const micros = time ? view.value(time.column) : null;
  const hasTime = typeof micros === 'bigint';
  const event: UnifiedEvent = {
    locator: `${run.plugin} row ${row.index + 1} line ${row.line}`,
    source: 'memory',
    log: run.plugin,
    ts_micros: hasTime ? micros : null,
    ts_kind: hasTime && time ? time.kind : null,
    ts_note: time ? (row.timeNotes[time.column] ?? null) : null,
    category: CATEGORY[run.kind] ?? 'other',
    host: options.host ?? null,
    process_pid: view.integer('PID', 'Process ID'),
    parent_pid: view.integer('PPID'),
    process_image: view.text('ImageFileName', 'Process', ...(run.kind === 'netscan' ? ['Owner'] : [])),
    process_command_line: view.text('Args', 'Cmd', 'CommandLine'),
    message: messageFor(run, view),
    data: volatilityRowJson(run, row),
  };
  if (run.kind === 'netscan') {
    event.src_ip = addressOf(view.text('LocalAddr'));
    event.src_port = view.integer('LocalPort');
    event.dst_ip = addressOf(view.text('ForeignAddr'));
    event.dst_port = event.dst_ip === null ? null : view.integer('ForeignPort');
    event.protocol = protocolOf(view.text('Proto'));
  }
  if (run.kind === 'filescan' || run.kind === 'dlllist') event.file_path = view.text('Path', 'Name');
  if (run.kind === 'handles' && view.text('Type') === 'File') event.file_path = view.text('Name');
  return event;
}

/** Maps every row of every run, in order. */
export function* volatilityEvents(runs: VolRun[], options: VolatilityEventOptions = {}): Generator<UnifiedEvent> {
  for (const run of runs) for (const row of run.rows) yield volatilityRowToEvent(run, row, options);
}
