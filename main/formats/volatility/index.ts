// Volatility 2 and 3 plugin output: detection by content and parsing into typed runs.
// Pure: text in, runs and issues out. The ingest handler reads the file and maps rows to
// events with main/normalize/volatility.ts.

import { buildRows, type RawTable } from './build.ts';
import { isLogLine, isTracebackLine, parseCommandLine, splitLines, vol2Banner, vol3Banner } from './commandline.ts';
import { detectCsvDialect, parseVolCsv } from './csv.ts';
import { kindOfPlugin, pluginFromHeader } from './schemas.ts';
import { parseVol3Text } from './text3.ts';
import type {
  VolDetection,
  VolIssue,
  VolParseOptions,
  VolParseResult,
  VolPluginKind,
  VolPluginSource,
  VolRenderer,
  VolRun,
} from './types.ts';
import { parseVol2Text } from './vol2.ts';
import { parseVol3Json, parseVol3JsonLines } from './vol3json.ts';

export type * from './types.ts';
export { formatMicros, parseVolTime } from './values.ts';

/** Characters scanned by detection, matching the 64 KiB head the ingest pipeline passes. */
const DETECT_LIMIT = 64 * 1024;
/** Lines scanned for a banner, command line or header during detection. */
const DETECT_LINES = 400;

/** Plugin named by a file name such as `netscan.json` or `windows.pslist.PsList.csv`, if it names a known one. */
function pluginFromName(name: string): { plugin: string; kind: VolPluginKind } | null {
  const base = (name.split(/[\\/]/).pop() ?? name).replace(/\.(?:txt|csv|json|jsonl|log|out)$/i, '');
  const kind = kindOfPlugin(base);
  return kind === 'generic' ? null : { plugin: base, kind };
}

function headerKeys(head: string): string[] {
  const firstObject = head.slice(0, head.indexOf('__children') >= 0 ? head.indexOf('__children') : head.length);
  return [...firstObject.matchAll(/"((?:[^"\\]|\\.)*)"\s*:/g)].map((match) => match[1]!);
}

const DASHES = /^-+(?: +-+)+ *$/;
const STARS = /^\*{10,}\s*$/;
const GETSIDS_LINE = /^.+? \(\d+\): S-[\d-]+(?: \(.*\))?\s*$/;

function detectText(lines: string[], name: string): VolDetection | null {
  let command: ReturnType<typeof parseCommandLine> = null;
  const named = pluginFromName(name);
  for (let index = 0; index < Math.min(lines.length, DETECT_LINES); index++) {
    const line = lines[index]!;
    const next = lines[index + 1] ?? '';
    const base = { renderer: 'text' as const, dialect: null, image: command?.image ?? null };
    const release3 = vol3Banner(line);
    if (release3) {
      const plugin = command?.plugin ?? null;
      return {
        ...base,
        version: 3,
        release: release3,
        plugin,
        kind: plugin ? kindOfPlugin(plugin) : null,
        reason: `banner "${line.trim()}"`,
      };
    }
    const release2 = vol2Banner(line);
    if (release2) {
      const plugin = command?.plugin ?? null;
      return {
        ...base,
        version: 2,
        release: release2,
        plugin,
        kind: plugin ? kindOfPlugin(plugin) : null,
        reason: `banner "${line.trim()}"`,
      };
    }
    const parsed = line.includes('\t') ? null : parseCommandLine(line);
    if (parsed) command = parsed;
    if (line.includes('\t') && !isLogLine(line) && !isTracebackLine(line)) {
      const plugin = pluginFromHeader(line.split('\t'), 3);
      if (plugin || command?.version === 3) {
        const chosen = command?.plugin ?? plugin;
        return {
          ...base,
          version: 3,
          release: null,
          plugin: chosen,
          kind: chosen ? kindOfPlugin(chosen) : null,
          reason: 'tab-separated Volatility 3 header',
        };
      }
    }
    if (line.trim() !== '' && DASHES.test(next)) {
      const headers = next.match(/-+/g)?.length ?? 0;
      const plugin = command?.plugin ?? pluginFromHeader(splitHeader(line, next), 2) ?? named?.plugin ?? null;
      // An unknown table counts only when its first row starts like Volatility 2 rows do (an address or a number).
      const firstRow = lines[index + 2] ?? '';
      if (headers >= 2 && (plugin || (/^\S/.test(line) && /^(?:0x[0-9a-fA-F]|\d)/.test(firstRow)))) {
        return {
          ...base,
          version: 2,
          release: null,
          plugin,
          kind: plugin ? kindOfPlugin(plugin) : null,
          reason: 'Volatility 2 table header over a dash line',
        };
      }
    }
    const blockPlugin = STARS.test(line)
      ? next.startsWith('CommandProcess:')
        ? 'cmdscan'
        : next.startsWith('ConsoleProcess:')
          ? 'consoles'
          : /^.*? pid:\s*\d+\s*$/.test(next)
            ? 'dlllist'
            : null
      : /^Process: .+? Pid: \d+ Address: 0x[0-9a-fA-F]+\s*$/.test(line)
        ? 'malfind'
        : /^Offset: 0x[0-9a-fA-F]+\s*$/.test(line) && next.startsWith('Order: ')
          ? 'svcscan'
          : GETSIDS_LINE.test(line) && GETSIDS_LINE.test(next)
            ? 'getsids'
            : null;
    if (blockPlugin) {
      const plugin = command?.plugin ?? blockPlugin;
      return { ...base, version: 2, release: null, plugin, kind: kindOfPlugin(plugin), reason: 'Volatility 2 block output' };
    }
  }
  return null;
}

function splitHeader(header: string, dashes: string): string[] {
  const starts = [...dashes.matchAll(/-+/g)].map((match) => match.index);
  return starts.map((start, index) => header.slice(start, starts[index + 1] ?? header.length).trim());
}

/**
 * Detects Volatility output from the start of a file: renderer, version, plugin, CSV
 * dialect and memory image where the content shows them. Returns null for anything else.
 */
export function detectVolatility(head: string, name: string): VolDetection | null {
  const text = (head.charCodeAt(0) === 0xfeff ? head.slice(1) : head).slice(0, DETECT_LIMIT);
  const start = text.trimStart();
  const named = pluginFromName(name);

  if (start.startsWith('[')) {
    const keys = headerKeys(start);
    const emptyList = /^\[\s*\]\s*$/.test(start);
    if (!start.includes('"__children"') && !(emptyList && named)) return null;
    const plugin = pluginFromHeader(keys, 3) ?? named?.plugin ?? null;
    const reason = emptyList ? 'empty JSON list named after a plugin' : 'JSON list of rows with __children';
    return {
      renderer: 'json',
      version: 3,
      release: null,
      plugin,
      kind: plugin ? kindOfPlugin(plugin) : null,
      dialect: null,
      image: null,
      reason,
    };
  }
  if (start.startsWith('{')) {
    const firstLine = start.split('\n', 1)[0]!;
    if (!firstLine.includes('"__children"')) return null;
    const plugin = pluginFromHeader(headerKeys(firstLine), 3) ?? named?.plugin ?? null;
    return {
      renderer: 'jsonl',
      version: 3,
      release: null,
      plugin,
      kind: plugin ? kindOfPlugin(plugin) : null,
      dialect: null,
      image: null,
      reason: 'JSON lines with __children',
    };
  }
  if (/^"?TreeDepth"?,/.test(text)) {
    const headers = (text.split('\n', 1)[0] ?? '').replace(/\r+$/, '').replace(/"/g, '').split(',');
    const plugin = pluginFromHeader(headers, 3) ?? named?.plugin ?? null;
    const dialect = detectCsvDialect(text);
    return {
      renderer: 'csv',
      version: 3,
      release: null,
      plugin,
      kind: plugin ? kindOfPlugin(plugin) : null,
      dialect,
      image: null,
      reason: `CSV with a TreeDepth column (${dialect})`,
    };
  }
  return detectText(splitLines(text), name);
}

function tableRun(table: RawTable, renderer: VolRenderer, name: string): VolRun {
  const fromHeader = pluginFromHeader(table.headers, 3);
  const named = pluginFromName(name);
  let plugin = fromHeader ?? named?.plugin ?? 'unknown';
  let source: VolPluginSource = fromHeader ? 'header' : named ? 'file-name' : 'unknown';
  // pslist and psscan print the same columns, so only the file name can tell them apart.
  if (fromHeader && named?.kind === 'psscan' && kindOfPlugin(fromHeader) === 'pslist') {
    plugin = named.plugin;
    source = 'file-name';
  }
  const kind = plugin === 'unknown' ? 'generic' : kindOfPlugin(plugin);
  const built = buildRows(table, kind, renderer);
  return {
    plugin,
    pluginSource: source,
    kind,
    renderer,
    version: 3,
    release: null,
    dialect: null,
    image: null,
    line: 1,
    columns: built.columns,
    rows: built.rows,
  };
}

/**
 * Parses a whole Volatility output file into runs (one per plugin invocation) and
 * issues. Never throws on bad input: unreadable parts become issues with a line number.
 */
export function parseVolatility(text: string, options: VolParseOptions): VolParseResult {
  const issues: VolIssue[] = [];
  const detection = detectVolatility(text, options.name);
  if (!detection) {
    return {
      runs: [],
      issues: [
        {
          severity: 'error',
          line: 1,
          message: `${options.name}: not recognised as Volatility output (no banner, known header, CSV TreeDepth column or JSON rows)`,
        },
      ],
    };
  }
  const runs: VolRun[] = [];
  switch (detection.renderer) {
    case 'json':
      runs.push(tableRun(parseVol3Json(text, issues), 'json', options.name));
      break;
    case 'jsonl':
      runs.push(tableRun(parseVol3JsonLines(text, issues), 'jsonl', options.name));
      break;
    case 'csv': {
      const table = parseVolCsv(text, issues);
      runs.push({ ...tableRun(table, 'csv', options.name), dialect: table.dialect });
      break;
    }
    case 'text': {
      const lines = splitLines(text);
      if (detection.version === 3) parseVol3Text(lines, { runs, issues });
      else parseVol2Text(lines, { runs, issues });
      relabelFromName(runs, options.name);
      break;
    }
  }
  issues.sort((a, b) => a.line - b.line);
  return { runs, issues };
}

/** Applies the file name to text runs whose plugin came from an ambiguous header (pslist or psscan). */
function relabelFromName(runs: VolRun[], name: string): void {
  const named = pluginFromName(name);
  if (named?.kind !== 'psscan') return;
  for (const run of runs) {
    if (run.pluginSource === 'header' && run.kind === 'pslist') {
      run.plugin = named.plugin;
      run.pluginSource = 'file-name';
      run.kind = 'psscan';
    }
  }
}
