// One column schema per plugin with meaning, shared by Volatility 2 and 3 and by every
// renderer. Canonical names follow Volatility 3, and each column lists the header names
// that Volatility 2 or other releases use for it.
// NOTE: the headers of pslist, pstree, cmdline, netscan, malfind and getsids (3.x) and of the
// Volatility 2 tables were checked against saved output, but svcscan, sessions, envars, handles,
// dlllist, filescan and psxview of Volatility 3 were not, and may differ by release.

import type { TypedColumnType } from '../../ingest/handler.ts';
import type { VolPluginKind } from './types.ts';

export interface SchemaColumn {
  name: string;
  type: TypedColumnType;
  /** Other header names for this column, compared case-insensitively with spaces collapsed. */
  aliases?: string[];
}

const PROCESS_COLUMNS: SchemaColumn[] = [
  { name: 'PID', type: 'BIGINT' },
  { name: 'PPID', type: 'BIGINT' },
  { name: 'ImageFileName', type: 'VARCHAR', aliases: ['Name'] },
  { name: 'Offset(V)', type: 'UBIGINT', aliases: ['Offset(Virtual)'] },
  { name: 'Offset(P)', type: 'UBIGINT', aliases: ['Offset(Physical)'] },
  { name: 'Threads', type: 'BIGINT', aliases: ['Thds'] },
  { name: 'Handles', type: 'BIGINT', aliases: ['Hnds'] },
  { name: 'SessionId', type: 'BIGINT', aliases: ['Sess', 'Session'] },
  { name: 'Wow64', type: 'BOOLEAN' },
  { name: 'CreateTime', type: 'TIMESTAMP', aliases: ['Start', 'Time created', 'Time'] },
  { name: 'ExitTime', type: 'TIMESTAMP', aliases: ['Exit', 'Time exited'] },
  { name: 'PDB', type: 'UBIGINT' },
  { name: 'File output', type: 'VARCHAR' },
];

export const SCHEMAS: Record<Exclude<VolPluginKind, 'generic'>, SchemaColumn[]> = {
  pslist: PROCESS_COLUMNS,
  psscan: PROCESS_COLUMNS,
  pstree: [
    ...PROCESS_COLUMNS.filter((column) => column.name !== 'File output'),
    { name: 'Audit', type: 'VARCHAR' },
    { name: 'Cmd', type: 'VARCHAR' },
    { name: 'Path', type: 'VARCHAR' },
  ],
  psxview: [
    { name: 'Offset(V)', type: 'UBIGINT', aliases: ['Offset(Virtual)'] },
    { name: 'Offset(P)', type: 'UBIGINT', aliases: ['Offset(Physical)'] },
    { name: 'ImageFileName', type: 'VARCHAR', aliases: ['Name'] },
    { name: 'PID', type: 'BIGINT' },
    { name: 'pslist', type: 'BOOLEAN' },
    { name: 'psscan', type: 'BOOLEAN' },
    { name: 'thrdscan', type: 'BOOLEAN', aliases: ['thrdproc'] },
    { name: 'pspcid', type: 'BOOLEAN' },
    { name: 'csrss', type: 'BOOLEAN' },
    { name: 'session', type: 'BOOLEAN' },
    { name: 'deskthrd', type: 'BOOLEAN' },
    { name: 'ExitTime', type: 'TIMESTAMP', aliases: ['Exit Time'] },
  ],
  cmdline: [
    { name: 'PID', type: 'BIGINT' },
    { name: 'Process', type: 'VARCHAR', aliases: ['Name'] },
    { name: 'Args', type: 'VARCHAR', aliases: ['Command line', 'CommandLine'] },
  ],
  netscan: [
    { name: 'Offset', type: 'UBIGINT', aliases: ['Offset(P)', 'Offset(V)'] },
    { name: 'Proto', type: 'VARCHAR', aliases: ['Protocol'] },
    { name: 'LocalAddr', type: 'VARCHAR', aliases: ['Address'] },
    { name: 'LocalPort', type: 'INTEGER', aliases: ['Port'] },
    { name: 'ForeignAddr', type: 'VARCHAR', aliases: ['RemoteAddr'] },
    { name: 'ForeignPort', type: 'INTEGER', aliases: ['RemotePort'] },
    { name: 'State', type: 'VARCHAR' },
    { name: 'PID', type: 'BIGINT' },
    { name: 'Owner', type: 'VARCHAR' },
    { name: 'Created', type: 'TIMESTAMP', aliases: ['Create Time'] },
    { name: 'ProtoNumber', type: 'INTEGER' },
  ],
  dlllist: [
    { name: 'PID', type: 'BIGINT' },
    { name: 'Process', type: 'VARCHAR' },
    { name: 'Base', type: 'UBIGINT' },
    { name: 'Size', type: 'UBIGINT' },
    { name: 'Name', type: 'VARCHAR' },
    { name: 'Path', type: 'VARCHAR' },
    { name: 'LoadTime', type: 'TIMESTAMP' },
    { name: 'LoadCount', type: 'BIGINT' },
    { name: 'File output', type: 'VARCHAR' },
    { name: 'CommandLine', type: 'VARCHAR' },
  ],
  handles: [
    { name: 'PID', type: 'BIGINT' },
    { name: 'Process', type: 'VARCHAR' },
    { name: 'Offset', type: 'UBIGINT', aliases: ['Offset(V)', 'Offset(P)'] },
    { name: 'HandleValue', type: 'UBIGINT', aliases: ['Handle'] },
    { name: 'Type', type: 'VARCHAR' },
    { name: 'GrantedAccess', type: 'UBIGINT', aliases: ['Access'] },
    { name: 'Name', type: 'VARCHAR', aliases: ['Details'] },
  ],
  malfind: [
    { name: 'PID', type: 'BIGINT' },
    { name: 'Process', type: 'VARCHAR' },
    { name: 'Start VPN', type: 'UBIGINT', aliases: ['Address'] },
    { name: 'End VPN', type: 'UBIGINT' },
    { name: 'Tag', type: 'VARCHAR', aliases: ['Vad Tag'] },
    { name: 'Protection', type: 'VARCHAR' },
    { name: 'CommitCharge', type: 'BIGINT' },
    { name: 'PrivateMemory', type: 'BIGINT' },
    { name: 'File output', type: 'VARCHAR' },
    { name: 'Notes', type: 'VARCHAR' },
    { name: 'Flags', type: 'VARCHAR' },
    { name: 'Hexdump', type: 'VARCHAR' },
    { name: 'Disasm', type: 'VARCHAR' },
  ],
  svcscan: [
    { name: 'Offset', type: 'UBIGINT' },
    { name: 'Order', type: 'BIGINT' },
    { name: 'PID', type: 'BIGINT', aliases: ['Process ID'] },
    { name: 'Start', type: 'VARCHAR' },
    { name: 'State', type: 'VARCHAR', aliases: ['Service State'] },
    { name: 'Type', type: 'VARCHAR', aliases: ['Service Type'] },
    { name: 'Name', type: 'VARCHAR', aliases: ['Service Name'] },
    { name: 'Display', type: 'VARCHAR', aliases: ['Display Name'] },
    { name: 'Binary', type: 'VARCHAR', aliases: ['Binary Path'] },
    { name: 'Binary (Registry)', type: 'VARCHAR' },
    { name: 'Dll', type: 'VARCHAR', aliases: ['ServiceDll'] },
  ],
  sessions: [
    { name: 'Session ID', type: 'BIGINT' },
    { name: 'Session Type', type: 'VARCHAR' },
    { name: 'Process ID', type: 'BIGINT' },
    { name: 'Process', type: 'VARCHAR' },
    { name: 'User Name', type: 'VARCHAR' },
    { name: 'Create Time', type: 'TIMESTAMP' },
  ],
  getsids: [
    { name: 'PID', type: 'BIGINT' },
    { name: 'Process', type: 'VARCHAR' },
    { name: 'SID', type: 'VARCHAR' },
    { name: 'Name', type: 'VARCHAR' },
  ],
  envars: [
    { name: 'PID', type: 'BIGINT' },
    { name: 'Process', type: 'VARCHAR' },
    { name: 'Block', type: 'UBIGINT' },
    { name: 'Variable', type: 'VARCHAR' },
    { name: 'Value', type: 'VARCHAR' },
  ],
  filescan: [
    { name: 'Offset', type: 'UBIGINT', aliases: ['Offset(P)'] },
    { name: 'Name', type: 'VARCHAR' },
    { name: 'Size', type: 'BIGINT' },
    { name: 'Ptr', type: 'BIGINT', aliases: ['#Ptr'] },
    { name: 'Hnd', type: 'BIGINT', aliases: ['#Hnd'] },
    { name: 'Access', type: 'VARCHAR' },
  ],
  cmdscan: [
    { name: 'PID', type: 'BIGINT' },
    { name: 'Process', type: 'VARCHAR', aliases: ['CommandProcess'] },
    { name: 'CommandHistory', type: 'UBIGINT' },
    { name: 'Application', type: 'VARCHAR' },
    { name: 'Flags', type: 'VARCHAR' },
    { name: 'CommandCount', type: 'BIGINT' },
    { name: 'LastAdded', type: 'BIGINT' },
    { name: 'LastDisplayed', type: 'BIGINT' },
    { name: 'FirstCommand', type: 'BIGINT' },
    { name: 'CommandCountMax', type: 'BIGINT' },
    { name: 'ProcessHandle', type: 'UBIGINT' },
    { name: 'Commands', type: 'VARCHAR[]' },
  ],
  consoles: [
    { name: 'PID', type: 'BIGINT' },
    { name: 'Process', type: 'VARCHAR', aliases: ['ConsoleProcess'] },
    { name: 'Console', type: 'UBIGINT' },
    { name: 'CommandHistorySize', type: 'BIGINT' },
    { name: 'HistoryBufferCount', type: 'BIGINT' },
    { name: 'HistoryBufferMax', type: 'BIGINT' },
    { name: 'OriginalTitle', type: 'VARCHAR' },
    { name: 'Title', type: 'VARCHAR' },
    { name: 'AttachedProcesses', type: 'VARCHAR[]' },
    { name: 'Commands', type: 'VARCHAR[]' },
    { name: 'Screen', type: 'VARCHAR' },
  ],
};

/** Collapses case and whitespace so header names compare across versions. */
export function normalizeHeader(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

// Plugin name components (lowercased) that select a schema. Volatility 2 names the
// network plugins per Windows generation, and their rows map onto the netscan schema.
const KIND_BY_COMPONENT: Record<string, VolPluginKind> = {
  pslist: 'pslist',
  pstree: 'pstree',
  psscan: 'psscan',
  psxview: 'psxview',
  cmdline: 'cmdline',
  netscan: 'netscan',
  netstat: 'netscan',
  connscan: 'netscan',
  sockscan: 'netscan',
  connections: 'netscan',
  sockets: 'netscan',
  dlllist: 'dlllist',
  handles: 'handles',
  malfind: 'malfind',
  svcscan: 'svcscan',
  sessions: 'sessions',
  getsids: 'getsids',
  envars: 'envars',
  filescan: 'filescan',
  cmdscan: 'cmdscan',
  consoles: 'consoles',
};

/** Maps a plugin name such as `windows.pslist.PsList`, `windows.netstat` or `connscan` to its schema. */
export function kindOfPlugin(plugin: string): VolPluginKind {
  for (const component of plugin.toLowerCase().split('.')) {
    const kind = KIND_BY_COMPONENT[component];
    if (kind) return kind;
  }
  return 'generic';
}

interface HeaderSignature {
  plugin: string;
  version: 2 | 3;
  /** Plugin name when the same header comes from Volatility 2. */
  vol2Plugin?: string;
  /** Every listed header must be present. */
  all: string[];
}

// Ordered from the most specific signature to the least. The first full match wins.
const SIGNATURES: HeaderSignature[] = [
  { plugin: 'psxview', version: 2, all: ['offset(p)', 'name', 'pid', 'pslist', 'psscan', 'thrdproc'] },
  { plugin: 'windows.psxview.PsXView', version: 3, all: ['pid', 'pslist', 'psscan', 'thrdscan'] },
  { plugin: 'pslist', version: 2, all: ['offset(v)', 'name', 'pid', 'ppid', 'thds', 'hnds'] },
  { plugin: 'psscan', version: 2, all: ['offset(p)', 'name', 'pid', 'ppid', 'pdb'] },
  { plugin: 'pstree', version: 2, all: ['name', 'pid', 'ppid', 'thds', 'hnds', 'time'] },
  { plugin: 'connscan', version: 2, all: ['offset(p)', 'local address', 'remote address', 'pid'] },
  { plugin: 'connections', version: 2, all: ['offset(v)', 'local address', 'remote address', 'pid'] },
  { plugin: 'sockscan', version: 2, all: ['offset(p)', 'pid', 'port', 'proto', 'address', 'create time'] },
  { plugin: 'sockets', version: 2, all: ['offset(v)', 'pid', 'port', 'proto', 'address', 'create time'] },
  { plugin: 'netscan', version: 2, all: ['proto', 'local address', 'foreign address', 'state', 'pid'] },
  { plugin: 'filescan', version: 2, all: ['#ptr', '#hnd', 'access', 'name'] },
  { plugin: 'handles', version: 2, all: ['pid', 'handle', 'access', 'type', 'details'] },
  { plugin: 'windows.pslist.PsList', version: 3, all: ['pid', 'ppid', 'imagefilename', 'createtime', 'file output'] },
  { plugin: 'windows.pstree.PsTree', version: 3, all: ['pid', 'ppid', 'imagefilename', 'createtime'] },
  { plugin: 'windows.netscan.NetScan', version: 3, all: ['proto', 'localaddr', 'localport', 'foreignaddr', 'pid'] },
  { plugin: 'windows.malfind.Malfind', version: 3, all: ['pid', 'process', 'start vpn', 'end vpn', 'protection'] },
  { plugin: 'windows.dlllist.DllList', version: 3, all: ['pid', 'process', 'base', 'size', 'name', 'path'] },
  { plugin: 'windows.handles.Handles', version: 3, all: ['pid', 'process', 'handlevalue', 'type', 'grantedaccess'] },
  { plugin: 'windows.svcscan.SvcScan', version: 3, all: ['offset', 'order', 'pid', 'start', 'state', 'type', 'name', 'display', 'binary'] },
  { plugin: 'windows.sessions.Sessions', version: 3, all: ['session id', 'session type', 'process id', 'process'] },
  { plugin: 'windows.getsids.GetSIDs', version: 3, all: ['pid', 'process', 'sid', 'name'] },
  { plugin: 'windows.envars.Envars', vol2Plugin: 'envars', version: 3, all: ['pid', 'process', 'block', 'variable', 'value'] },
  { plugin: 'windows.cmdline.CmdLine', version: 3, all: ['pid', 'process', 'args'] },
  { plugin: 'windows.filescan.FileScan', version: 3, all: ['offset', 'name', 'size'] },
];

/** Infers the plugin from header names when the output does not name it. */
export function pluginFromHeader(headers: string[], version: 2 | 3): string | null {
  const present = new Set(headers.map(normalizeHeader));
  for (const signature of SIGNATURES) {
    if (!signature.all.every((name) => present.has(name))) continue;
    return version === 2 && signature.vol2Plugin ? signature.vol2Plugin : signature.plugin;
  }
  return null;
}

/** Version implied by a header signature, for output with no banner. */
export function versionFromHeader(headers: string[]): 2 | 3 | null {
  const present = new Set(headers.map(normalizeHeader));
  for (const signature of SIGNATURES) {
    if (signature.all.every((name) => present.has(name))) return signature.version;
  }
  return null;
}

/** Finds the schema column a header maps to, by canonical name first and then by alias. */
export function schemaColumnFor(kind: VolPluginKind, header: string): SchemaColumn | null {
  if (kind === 'generic') return null;
  const wanted = normalizeHeader(header);
  const columns = SCHEMAS[kind];
  return (
    columns.find((column) => normalizeHeader(column.name) === wanted) ??
    columns.find((column) => column.aliases?.some((alias) => normalizeHeader(alias) === wanted)) ??
    null
  );
}
