// Process instances as the process tree view and `casebook processes` see them: one
// node per process start per host, merged across Sysmon, Security auditing and memory
// analysis, with the sources that saw it and the flags hunters look for.

import type { TimelineRow } from './events.ts';

/** Source that saw a process instance. Memory plugins are kept apart because their disagreement is the signal. */
export const PROCESS_SOURCES = ['sysmon', 'security', 'pslist', 'psscan', 'pstree'] as const;
export type ProcessSource = (typeof PROCESS_SOURCES)[number];

export const FLAG_SEVERITIES = ['high', 'medium', 'low'] as const;
export type FlagSeverity = (typeof FLAG_SEVERITIES)[number];

export interface ProcessFlag {
  /** Stable code, for example `hidden_from_pslist` or `office_spawns_shell`. */
  code: string;
  severity: FlagSeverity;
  /** One sentence naming the evidence, for example "in psscan but not in pslist: unlinked from the active process list". */
  explanation: string;
}

export interface ProcessNode {
  /** Instance id, stable within one build of the process table. */
  id: number;
  host: string;
  parentId: number | null;
  pid: number | null;
  ppid: number | null;
  /** Sysmon ProcessGuid, when a Sysmon event saw this process. */
  guid: string | null;
  /** Image base name, for example `powershell.exe`; memory-only processes keep their (possibly cut) name. */
  name: string;
  image: string | null;
  commandLine: string | null;
  user: string | null;
  /** Start and exit time, ISO 8601 UTC with the best precision any source gave. */
  start: string | null;
  end: string | null;
  sources: ProcessSource[];
  flags: ProcessFlag[];
  childCount: number;
}

export interface ProcessHost {
  host: string;
  processes: number;
  flagged: number;
}

/** One source's record of the instance. */
export interface ProcessSighting {
  source: ProcessSource;
  eventId: number | null;
  start: string | null;
  end: string | null;
  image: string | null;
  commandLine: string | null;
  ppid: number | null;
}

export interface ProcessDetail {
  node: ProcessNode;
  integrityLevel: string | null;
  /** Security 4688 TokenElevationType, for example `type 3: limited token`. */
  tokenElevation?: string | null;
  /** Hashes as Sysmon reports them, for example `SHA256=…,IMPHASH=…`. */
  hashes: string | null;
  sightings: ProcessSighting[];
  /** Disagreements between sources, one sentence each (start times, command lines, parent). */
  conflicts: string[];
  parent: ProcessNode | null;
  children: ProcessNode[];
  /** Network events of this process (Sysmon 3, memory netscan), earliest first. */
  network: TimelineRow[];
  /** File events of this process (Sysmon 11, 23, 26 and similar), earliest first. */
  files: TimelineRow[];
  /** Every event attributed to this process, for the jump to the timeline. */
  eventIds: number[];
}
