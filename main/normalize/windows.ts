// Maps a Windows event (binary EVTX or an export of it) to a unified event: channel,
// provider, event code and time for every record, and for the events investigators
// use (Sysmon, Security, System, PowerShell, Defender, WMI, Task Scheduler, Remote
// Desktop) the process, network, user, file and registry columns and a one-line message.
// Field names follow the providers' manifests; Sysmon's are from its schema
// (`sysmon -s`), Security's from the Windows security auditing event documentation.

import type { Category, UnifiedEvent } from '../../shared/events.ts';
import type { WinEvent } from '../formats/windows/event.ts';
import { contextValue, firstLine, type Mapping, setUser, userOf, type WindowsDraft, withDetails } from './windows-draft.ts';
import { accountText, cleanAddress, EventFields, windowsRecordJson } from './windows-fields.ts';
import type { ScriptBlockReference } from './windows-powershell.ts';
import { securityMapping } from './windows-security.ts';
import { SYSMON } from './windows-sysmon.ts';

export type { WindowsDraft } from './windows-draft.ts';
export { sysmonDnsAnswers } from './windows-sysmon.ts';

export interface NormalizeWindowsOptions {
  /** Prefix for the locator, such as the evidence file's path inside the bundle. */
  locatorPrefix?: string;
  /** For a part of a multi-part 4104 script block: the block it belongs to, stored in `data` as `ScriptBlock`. */
  scriptBlock?: ScriptBlockReference;
}

/** Characters of a script shown in a 4104 message; the whole script stays in `data`. */
const SCRIPT_PREVIEW = 1000;

/** Cut a script to the start shown in the one-line message; the free-text search looks in messages, not in `data`. */
function scriptPreview(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > SCRIPT_PREVIEW ? `${trimmed.slice(0, SCRIPT_PREVIEW)}…` : trimmed;
}

/** Build the message of the part that carries a reassembled script: the block's state and the start of the whole script. */
function reassembledMessage(block: ScriptBlockReference & { text: string }, number: string | null): string {
  const state = block.complete ? 'reassembled' : `reassembled, part ${block.missing.join(', ')} of ${block.total} missing`;
  return `Script block (part ${number ?? '?'} of ${block.total}, id ${block.id}, ${state}): ${scriptPreview(block.text)}`;
}

type Family =
  | 'sysmon'
  | 'security'
  | 'system'
  | 'powershell'
  | 'powershell-classic'
  | 'defender'
  | 'wmi'
  | 'task-scheduler'
  | 'rdp-session'
  | 'rdp-connection'
  | 'other';

function familyOf(event: WinEvent): Family {
  const provider = (event.system.provider ?? '').toLowerCase();
  const channel = (event.system.channel ?? '').toLowerCase();
  if (provider === 'microsoft-windows-sysmon' || channel === 'microsoft-windows-sysmon/operational') return 'sysmon';
  if (provider === 'microsoft-windows-powershell' || channel === 'microsoft-windows-powershell/operational') return 'powershell';
  if (channel === 'windows powershell' || provider === 'powershell') return 'powershell-classic';
  if (provider.includes('windows defender') || channel.startsWith('microsoft-windows-windows defender')) return 'defender';
  if (provider === 'microsoft-windows-wmi-activity' || channel.startsWith('microsoft-windows-wmi-activity')) return 'wmi';
  if (provider === 'microsoft-windows-taskscheduler' || channel.startsWith('microsoft-windows-taskscheduler')) return 'task-scheduler';
  if (provider.includes('terminalservices-localsessionmanager') || channel.includes('terminalservices-localsessionmanager'))
    return 'rdp-session';
  if (provider.includes('terminalservices-remoteconnectionmanager') || channel.includes('terminalservices-remoteconnectionmanager'))
    return 'rdp-connection';
  if (channel === 'security' || provider === 'microsoft-windows-security-auditing') return 'security';
  if (channel === 'system') return 'system';
  return 'other';
}

// ---------------------------------------------------------------------------------------
// System, PowerShell, Defender, WMI, Task Scheduler, Remote Desktop

const SYSTEM: Record<number, Mapping> = {
  7045: (f, d) => {
    d.category = 'service';
    d.action = 'service-installed';
    d.file_path = f.get('ImagePath');
    setUser(d, f.get('AccountName'));
    d.message = withDetails(
      `Service installed: ${f.get('ServiceName') ?? '?'}`,
      d.file_path,
      f.get('StartType') && `start ${f.get('StartType')}`,
      f.get('AccountName') && `account ${f.get('AccountName')}`,
    );
  },
  7036: (f, d) => {
    d.category = 'service';
    d.action = 'service-state-changed';
    d.message = `Service ${f.get('param1', 'Data[0]') ?? '?'} entered the ${f.get('param2', 'Data[1]') ?? '?'} state`;
  },
  104: (f, d) => {
    d.category = 'other';
    d.action = 'log-cleared';
    setUser(d, accountText(f.get('SubjectUserName'), f.get('SubjectDomainName')));
    d.message = `Event log ${f.get('Channel') ?? '?'} cleared by ${userOf(d) ?? '?'}`;
  },
};

/** The `Name = value` lines of a 4103 ContextInfo (`        Host Application = powershell.exe`). */
function powershellPlain(action: string, message: string): Mapping {
  return (_f, d) => {
    d.category = 'script';
    d.action = action;
    d.message = message;
  };
}

const POWERSHELL: Record<number, Mapping> = {
  4100: (f, d) => {
    d.category = 'script';
    d.action = 'pipeline-error';
    const context = f.get('ContextInfo');
    d.process_command_line = contextValue(context, 'Host Application');
    setUser(d, contextValue(context, 'User'));
    d.message = withDetails(
      `PowerShell error: ${firstLine(f.get('Payload', 'Message')) ?? '?'}`,
      contextValue(context, 'Command Name') && `command ${contextValue(context, 'Command Name')}`,
      d.process_command_line && `host ${d.process_command_line}`,
    );
  },
  4105: (f, d) => {
    d.category = 'script';
    d.action = 'script-block-started';
    d.message = `Script block started: id ${f.get('ScriptBlockId') ?? '?'}`;
  },
  4106: (f, d) => {
    d.category = 'script';
    d.action = 'script-block-completed';
    d.message = `Script block completed: id ${f.get('ScriptBlockId') ?? '?'}`;
  },
  40961: powershellPlain('console-starting', 'PowerShell console is starting up'),
  40962: powershellPlain('console-ready', 'PowerShell console is ready for user input'),
  53504: (f, d) => {
    d.category = 'script';
    d.action = 'ipc-listener-started';
    d.process_pid = f.int('param1');
    d.message = withDetails(
      `PowerShell IPC listening thread started in process ${f.get('param1') ?? '?'}`,
      f.get('param2') && `AppDomain ${f.get('param2')}`,
    );
  },
  4103: (f, d) => {
    d.category = 'script';
    d.action = 'pipeline-executed';
    const context = f.get('ContextInfo');
    d.process_command_line = contextValue(context, 'Host Application');
    setUser(d, contextValue(context, 'User'));
    const command = contextValue(context, 'Command Name');
    d.message = withDetails(
      `PowerShell module logging: ${command ?? firstLine(f.get('Payload')) ?? '?'}`,
      d.process_command_line && `host ${d.process_command_line}`,
    );
  },
  4104: (f, d) => {
    d.category = 'script';
    d.action = 'script-block';
    d.file_path = f.get('Path');
    const number = f.get('MessageNumber');
    const total = f.get('MessageTotal');
    const part = total !== null && total !== '1' ? `part ${number ?? '?'} of ${total}, ` : '';
    d.message = `Script block (${part}id ${f.get('ScriptBlockId') ?? '?'}): ${scriptPreview(f.raw('ScriptBlockText') ?? '')}`;
  },
};

const POWERSHELL_CLASSIC: Record<number, Mapping> = {
  400: (f, d) => classicEngine(f, d, 'engine-started', 'PowerShell engine started'),
  403: (f, d) => classicEngine(f, d, 'engine-stopped', 'PowerShell engine stopped'),
  600: (f, d) => {
    classicEngine(f, d, 'provider-started', 'PowerShell provider started');
    const provider = f.keyValue('ProviderName');
    if (provider)
      d.message = withDetails(`PowerShell provider ${provider} started`, d.process_command_line && `host ${d.process_command_line}`);
  },
  800: (f, d) => {
    classicEngine(f, d, 'pipeline-executed', 'PowerShell pipeline executed');
    const command = f.keyValue('CommandLine');
    if (command)
      d.message = withDetails(
        `PowerShell pipeline executed: ${firstLine(command)}`,
        d.process_command_line && `host ${d.process_command_line}`,
      );
  },
};

function classicEngine(f: EventFields, d: WindowsDraft, action: string, title: string): void {
  d.category = 'script';
  d.action = action;
  d.process_command_line = f.keyValue('HostApplication');
  setUser(d, f.keyValue('UserId'));
  d.message = withDetails(title, d.process_command_line && `host ${d.process_command_line}`);
}

function defender(f: EventFields, d: WindowsDraft, id: number): boolean {
  if (![1006, 1007, 1008, 1015, 1116, 1117, 1118, 1119, 5001].includes(id)) return false;
  d.category = 'file';
  d.action = id === 5001 ? 'realtime-protection-disabled' : id === 1117 || id === 1007 ? 'malware-action-taken' : 'malware-detected';
  const path = f.get('Path');
  d.file_path = path === null ? null : path.replace(/^file:_/, '').split(';')[0]!;
  d.process_image = f.get('Process Name');
  setUser(d, f.get('Detection User'));
  if (id === 5001) d.message = 'Defender real-time protection disabled';
  else
    d.message = withDetails(
      `Defender ${d.action === 'malware-action-taken' ? 'action' : 'detection'}: ${f.get('Threat Name') ?? '?'}`,
      d.file_path,
      f.get('Severity Name') && `severity ${f.get('Severity Name')}`,
      f.get('Action Name') && `action ${f.get('Action Name')}`,
    );
  return true;
}

const WMI: Record<number, Mapping> = {
  5857: (f, d) => {
    d.category = 'other';
    d.action = 'wmi-provider-loaded';
    d.process_pid = f.int('ProcessID');
    d.file_path = f.get('ProviderPath');
    d.message = withDetails(`WMI provider loaded: ${f.get('ProviderName') ?? '?'}`, d.file_path);
  },
  5858: (f, d) => {
    d.category = 'other';
    d.action = 'wmi-error';
    setUser(d, f.get('User'));
    d.message = withDetails(
      `WMI operation failed: ${f.get('Operation') ?? '?'}`,
      f.get('ResultCode') && `result ${f.get('ResultCode')}`,
      f.get('ClientMachine') && `client ${f.get('ClientMachine')}`,
    );
  },
  5859: (f, d) => wmiSubscription(f, d, 'wmi-subscription', 'WMI event filter activity'),
  5860: (f, d) => wmiSubscription(f, d, 'wmi-temporary-subscription', 'WMI temporary event consumer registered'),
  5861: (f, d) => {
    d.category = 'other';
    d.action = 'wmi-permanent-subscription';
    d.message = withDetails(
      `WMI permanent event consumer bound: ${firstLine(f.get('CONSUMER', 'Consumer')) ?? '?'}`,
      f.get('Namespace') && `namespace ${f.get('Namespace')}`,
      firstLine(f.get('PossibleCause')),
    );
  },
};

function wmiSubscription(f: EventFields, d: WindowsDraft, action: string, title: string): void {
  d.category = 'other';
  d.action = action;
  setUser(d, f.get('User'));
  d.process_pid = f.int('Processid', 'ProcessID');
  d.message = withDetails(`${title}: ${f.get('Query') ?? '?'}`, f.get('NamespaceName') && `namespace ${f.get('NamespaceName')}`);
}

const TASK_SCHEDULER: Record<number, Mapping> = {
  106: (f, d) => task(f, d, 'task-registered', 'Scheduled task registered', f.get('UserContext')),
  140: (f, d) => task(f, d, 'task-updated', 'Scheduled task updated', f.get('UserName')),
  141: (f, d) => task(f, d, 'task-deleted', 'Scheduled task deleted', f.get('UserName')),
  200: (f, d) => {
    task(f, d, 'task-action-started', 'Scheduled task action started', null);
    d.process_image = f.get('ActionName');
    d.message = withDetails(`Scheduled task action started: ${f.get('TaskName') ?? '?'}`, d.process_image);
  },
  201: (f, d) => {
    task(f, d, 'task-action-completed', 'Scheduled task action completed', null);
    d.process_image = f.get('ActionName');
    d.message = withDetails(
      `Scheduled task action completed: ${f.get('TaskName') ?? '?'}`,
      d.process_image,
      f.get('ResultCode') && `result ${f.get('ResultCode')}`,
    );
  },
};

function task(f: EventFields, d: WindowsDraft, action: string, title: string, account: string | null): void {
  d.category = 'service';
  d.action = action;
  setUser(d, account);
  d.message = withDetails(`${title}: ${f.get('TaskName') ?? '?'}`, account && `by ${account}`);
}

const RDP_SESSION: Record<number, [string, string]> = {
  21: ['rdp-logon', 'Remote Desktop logon'],
  22: ['rdp-shell-start', 'Remote Desktop shell started'],
  23: ['rdp-logoff', 'Remote Desktop logoff'],
  24: ['rdp-disconnect', 'Remote Desktop session disconnected'],
  25: ['rdp-reconnect', 'Remote Desktop session reconnected'],
};

function rdpSession(f: EventFields, d: WindowsDraft, id: number): boolean {
  const entry = RDP_SESSION[id];
  if (!entry) return false;
  d.category = 'authentication';
  d.action = entry[0];
  setUser(d, f.get('User'));
  d.src_ip = cleanAddress(f.get('Address'));
  d.message = withDetails(
    `${entry[1]}: ${userOf(d) ?? '?'}`,
    d.src_ip && `from ${d.src_ip}`,
    f.get('SessionID') && `session ${f.get('SessionID')}`,
  );
  return true;
}

// ---------------------------------------------------------------------------------------

function genericMessage(event: WinEvent, f: EventFields): string {
  const provider = event.system.provider ?? event.system.channel ?? 'Event';
  const head = `${provider} ${event.system.eventId ?? '?'}`;
  const pairs: string[] = [];
  for (const item of event.eventData ?? []) {
    const value = item.value === null ? '' : Array.isArray(item.value) ? item.value.join(', ') : item.value;
    pairs.push(`${item.name ?? `Data[${pairs.length}]`}=${value.replace(/[\t\r\n ]+/g, ' ').trim()}`);
  }
  if (pairs.length === 0 && f.unnamed.length === 0 && event.rendering?.message) return `${head}: ${firstLine(event.rendering.message)}`;
  const text = pairs.join(' ');
  return text === '' ? head : `${head}: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}

/** The grid shows one line: line breaks as `\n`, other control characters as `\xNN`. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to make visible
  return text.replace(/\r?\n|\r|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g, (c) => {
    if (c === '\r\n' || c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

function applyMapping(event: WinEvent, f: EventFields, draft: WindowsDraft): void {
  const id = event.system.eventId;
  if (id === null) return;
  const family = familyOf(event);
  let mapping: Mapping | undefined;
  if (family === 'sysmon') mapping = SYSMON[id];
  else if (family === 'security') mapping = securityMapping(id);
  else if (family === 'system') mapping = SYSTEM[id];
  else if (family === 'powershell') mapping = POWERSHELL[id];
  else if (family === 'powershell-classic') mapping = POWERSHELL_CLASSIC[id];
  else if (family === 'wmi') mapping = WMI[id];
  else if (family === 'task-scheduler') mapping = TASK_SCHEDULER[id];
  else if (family === 'defender') {
    defender(f, draft, id);
    return;
  } else if (family === 'rdp-session') {
    rdpSession(f, draft, id);
    return;
  } else if (family === 'rdp-connection' && id === 1149) {
    mapping = (fields, d) => {
      d.category = 'authentication';
      d.action = 'rdp-connection';
      d.user_name = fields.get('Param1');
      d.user_domain = fields.get('Param2');
      d.src_ip = cleanAddress(fields.get('Param3'));
      d.message = withDetails(`Remote Desktop connection: ${userOf(d) ?? '?'}`, d.src_ip && `from ${d.src_ip}`);
    };
  }
  if (family === 'system' && id === 104) mapping = SYSTEM[104];
  mapping?.(f, draft);
}

function scriptBlockJson(block: ScriptBlockReference): Record<string, unknown> {
  return {
    Id: block.id,
    Total: block.total,
    Complete: block.complete,
    Missing: block.missing,
    Parts: block.parts.map((part) => ({ Number: part.number, EventRecordID: part.recordId, Locator: part.locator })),
    ...(block.warnings ? { Warnings: block.warnings } : {}),
    ...(block.text !== undefined ? { Text: block.text } : {}),
  };
}

/**
 * Maps one Windows event to a unified event. `source` is `evtx`, `log` the channel
 * (or the provider when the channel is unknown), `event_code` the EventID as text,
 * `ts` TimeCreated with its 100 ns digits, `host` the Computer. `data` keeps the whole
 * record as JSON.
 */
export function normalizeWindows(event: WinEvent, options: NormalizeWindowsOptions = {}): UnifiedEvent {
  const fields = new EventFields(event);
  const s = event.system;
  const draft: WindowsDraft = {
    provider: s.provider,
    event_code: s.eventId === null ? null : String(s.eventId),
    ts_nanos: s.timeCreated?.nanos ?? 0,
    ts_kind: 'created',
    ts_note: s.timeCreated?.note ?? (s.timeCreated ? null : 'invalid'),
    category: 'other' satisfies Category,
    host: s.computer,
    user_sid: s.userSid,
    message: '',
  };
  applyMapping(event, fields, draft);
  const block = options.scriptBlock;
  if (block?.text !== undefined) draft.message = reassembledMessage({ ...block, text: block.text }, fields.get('MessageNumber'));
  if (draft.message === '') draft.message = genericMessage(event, fields);
  draft.message = oneLine(draft.message);
  return {
    ...draft,
    locator: options.locatorPrefix ? `${options.locatorPrefix} ${event.locator}` : event.locator,
    source: 'evtx',
    log: s.channel ?? s.provider ?? 'unknown',
    ts_micros: s.timeCreated?.micros ?? null,
    data: windowsRecordJson(event, block ? { ScriptBlock: scriptBlockJson(block) } : undefined),
  };
}
