// A small process forest shared by the tree, search and keyboard tests.

import type { ProcessFlag, ProcessNode } from '../../../shared/processes.ts';

export function processNode(id: number, parentId: number | null, name: string, extra: Partial<ProcessNode> = {}): ProcessNode {
  return {
    id,
    host: 'WKS01',
    parentId,
    pid: id * 100,
    ppid: parentId === null ? null : parentId * 100,
    guid: null,
    name,
    image: null,
    commandLine: null,
    user: null,
    start: null,
    end: null,
    sources: ['sysmon'],
    flags: [],
    childCount: 0,
    ...extra,
  };
}

export const HIDDEN_FLAG: ProcessFlag = {
  code: 'hidden_from_pslist',
  severity: 'high',
  explanation: 'in psscan but not in pslist: unlinked from the active process list',
};

/**
 * ```
 * 1 System
 *   2 smss.exe
 *     3 csrss.exe
 *   4 services.exe
 *     5 svchost.exe
 *       6 wmiprvse.exe        flagged
 * 10 explorer.exe             parent 99 is not in the list
 *   11 powershell.exe         user CORP\alice, encoded command
 *     12 cmd.exe              flagged
 *   13 notepad.exe
 * ```
 */
export function sampleNodes(): ProcessNode[] {
  return [
    processNode(1, null, 'System'),
    processNode(2, 1, 'smss.exe'),
    processNode(3, 2, 'csrss.exe'),
    processNode(4, 1, 'services.exe'),
    processNode(5, 4, 'svchost.exe', { commandLine: 'C:\\Windows\\system32\\svchost.exe -k netsvcs' }),
    processNode(6, 5, 'wmiprvse.exe', { flags: [HIDDEN_FLAG] }),
    processNode(10, 99, 'explorer.exe', { user: 'CORP\\bob' }),
    processNode(11, 10, 'powershell.exe', { user: 'CORP\\alice', commandLine: 'powershell.exe -NoP -enc SQBFAFgA' }),
    processNode(12, 11, 'cmd.exe', {
      flags: [{ code: 'office_spawns_shell', severity: 'medium', explanation: 'shell started by an Office program' }],
    }),
    processNode(13, 10, 'notepad.exe'),
  ];
}
