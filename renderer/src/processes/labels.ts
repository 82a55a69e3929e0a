// Display text for process sources and flags.

import type { ProcessNode, ProcessSource } from '../../../shared/processes.ts';

/** Short badge label and a title that explains what the source recorded. */
export const SOURCE_LABELS: Record<ProcessSource, { label: string; title: string }> = {
  sysmon: { label: 'Sysmon', title: 'Sysmon: process creation or termination event (event ID 1 or 5)' },
  security: { label: 'Sec', title: 'Security auditing: process creation or exit event (event ID 4688 or 4689)' },
  pslist: { label: 'pslist', title: "Volatility pslist: on the kernel's list of active processes in the memory image" },
  psscan: { label: 'psscan', title: 'Volatility psscan: process object found by scanning the memory image for pool tags' },
  pstree: { label: 'pstree', title: 'Volatility pstree: in the parent and child tree built from the active process list' },
};

/** `hidden_from_pslist` as `hidden from pslist`. */
export function flagLabel(code: string): string {
  return code.replaceAll('_', ' ');
}

/** `hidden_from_pslist` as `hidden`: the first word, for chips in a narrow cell. */
export function flagShortLabel(code: string): string {
  return code.split('_')[0] || code;
}

/** Names a process for the timeline's filter chip: `powershell.exe (pid 4242) on WKS01`. */
export function processFilterLabel(node: ProcessNode): string {
  return `${node.name} (${node.pid === null ? 'no pid' : `pid ${node.pid}`}) on ${node.host}`;
}
