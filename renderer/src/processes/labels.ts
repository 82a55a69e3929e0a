// Display text for process sources and flag severities.

import type { FlagSeverity, ProcessFlag, ProcessNode, ProcessSource } from '../../../shared/processes.ts';

/** Short badge label and a title that explains what the source recorded. */
export const SOURCE_LABELS: Record<ProcessSource, { label: string; title: string }> = {
  sysmon: { label: 'Sysmon', title: 'Sysmon: process creation or termination event (event ID 1 or 5)' },
  security: { label: 'Sec', title: 'Security auditing: process creation or exit event (event ID 4688 or 4689)' },
  pslist: { label: 'pslist', title: "Volatility pslist: on the kernel's list of active processes in the memory image" },
  psscan: { label: 'psscan', title: 'Volatility psscan: process object found by scanning the memory image for pool tags' },
  pstree: { label: 'pstree', title: 'Volatility pstree: in the parent and child tree built from the active process list' },
};

const SEVERITY_ORDER: Record<FlagSeverity, number> = { high: 0, medium: 1, low: 2 };

/** Returns the highest severity among the flags, or null without flags. */
export function topSeverity(flags: readonly ProcessFlag[]): FlagSeverity | null {
  let top: FlagSeverity | null = null;
  for (const flag of flags) {
    if (top === null || SEVERITY_ORDER[flag.severity] < SEVERITY_ORDER[top]) top = flag.severity;
  }
  return top;
}

/** `hidden_from_pslist` as `hidden from pslist`. */
export function flagLabel(code: string): string {
  return code.replaceAll('_', ' ');
}

/** Names a process for the timeline's filter chip: `powershell.exe (pid 4242) on WKS01`. */
export function processFilterLabel(node: ProcessNode): string {
  return `${node.name} (${node.pid === null ? 'no pid' : `pid ${node.pid}`}) on ${node.host}`;
}
