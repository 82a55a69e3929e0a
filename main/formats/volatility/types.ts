// Types shared by the Volatility output parsers. A parsed file is a list of runs (one
// plugin invocation each) and a list of issues; each run has a fixed column schema and
// rows of typed values that follow the TypedRow conventions of main/ingest/handler.ts.

import type { TimeNote } from '../../../shared/events.ts';
import type { TypedColumnType } from '../../ingest/handler.ts';

/** How Volatility rendered the output. */
export type VolRenderer = 'text' | 'csv' | 'json' | 'jsonl';

/**
 * The three Volatility 3 CSV dialects plus the plain one:
 * - `legacy-quoting`: releases 2.0.0 and 2.0.1 wrote every string and header quoted,
 *   inner quotes not doubled, absent values as empty fields.
 * - `crcrlf`: the `csv` module with a `\r\n` terminator written through Windows text
 *   mode (git builds reporting 2.0.2 to 2.3.1), so records end in `\r\r\n`.
 * - `backslash-escaped`: 2.4.1 and later pass `escapechar="\\"`, so every backslash
 *   in a value is written twice.
 * - `standard`: RFC 4180 quoting with no backslash escaping (2.4.0, or a file whose
 *   values contain no backslash at all).
 */
export type VolCsvDialect = 'legacy-quoting' | 'crcrlf' | 'backslash-escaped' | 'standard';

/**
 * Plugins whose columns are mapped onto one schema across versions and renderers.
 * `generic` is any other plugin, kept with its own columns and inferred types.
 */
export type VolPluginKind =
  | 'pslist'
  | 'pstree'
  | 'psscan'
  | 'psxview'
  | 'cmdline'
  | 'netscan'
  | 'dlllist'
  | 'handles'
  | 'malfind'
  | 'svcscan'
  | 'sessions'
  | 'getsids'
  | 'envars'
  | 'filescan'
  | 'cmdscan'
  | 'consoles'
  | 'generic';

/** Where the plugin name of a run came from. */
export type VolPluginSource = 'command-line' | 'header' | 'file-name' | 'unknown';

export interface VolColumn {
  /** Canonical name for the plugin's schema, or the header text for a generic table. */
  name: string;
  type: TypedColumnType;
  /** Header text as written in this file, or null when the source had no such column. */
  source: string | null;
}

/**
 * A value as a TypedRow carries it: bigint for BIGINT, UBIGINT and TIMESTAMP
 * (microseconds since 1970-01-01 UTC), number for INTEGER and DOUBLE, boolean, string,
 * a string array for VARCHAR[], or null.
 */
export type VolValue = bigint | number | boolean | string | string[] | null;

export interface VolRow {
  /** 1-based line in the source text where the row starts (JSON: where its object opens). */
  line: number;
  /** 0-based position of the row in its run, in document order (JSON: pre-order over `__children`). */
  index: number;
  /** Values aligned with the run's columns. */
  values: VolValue[];
  /** Tree depth: `*` prefixes in Volatility 3 text, dots in Volatility 2 pstree, `__children` nesting in JSON. */
  depth: number;
  /** Index of the parent row in the same run for tree output, else null. */
  parent: number | null;
  /** Why a value is null, by column name: `N/A`, `-`, `Disabled`, `UnreadableValue`, `invalid time: ...`. */
  nullReasons: Record<string, string>;
  /** Notes on time values by column name, such as `no-zone` for a naive time read as UTC. */
  timeNotes: Record<string, TimeNote>;
}

export interface VolRun {
  /** Plugin as named by the command line (`windows.pslist.PsList`), or inferred from the header. */
  plugin: string;
  pluginSource: VolPluginSource;
  kind: VolPluginKind;
  renderer: VolRenderer;
  /** Major version: 2 or 3. */
  version: 2 | 3;
  /** Release from a banner (`2.5.0`) when the output states it. */
  release: string | null;
  dialect: VolCsvDialect | null;
  /** Memory image path as written on a saved command line (`-f`, `--file`, `--single-location`). */
  image: string | null;
  /** 1-based line where the run starts (command line, banner or header). */
  line: number;
  columns: VolColumn[];
  rows: VolRow[];
  /** For Volatility 2 block formats, the number of blocks (processes for dlllist). */
  blocks?: number;
}

export interface VolIssue {
  severity: 'error' | 'warning';
  /** 1-based line in the source text; for JSON the line where the bad value starts. */
  line: number;
  message: string;
}

export interface VolParseResult {
  runs: VolRun[];
  issues: VolIssue[];
}

export interface VolDetection {
  renderer: VolRenderer;
  version: 2 | 3;
  release: string | null;
  plugin: string | null;
  kind: VolPluginKind | null;
  dialect: VolCsvDialect | null;
  image: string | null;
  /** What in the content identified the file, for the import report. */
  reason: string;
}

export interface VolParseOptions {
  /** File name, used in messages and as a plugin hint for headerless output such as `[]`. */
  name: string;
}
