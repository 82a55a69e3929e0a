// Maps a Windows event (binary EVTX or an export of it) to a unified event: channel,
// provider, event code and time for every record, and for the events investigators
// use (Sysmon, Security, System, PowerShell, Defender, WMI, Task Scheduler, Remote
// Desktop) the process, network, user, file and registry columns and a one-line message.
// Field names follow the providers' manifests; Sysmon's are from its schema
// (`sysmon -s`), Security's from the Windows security auditing event documentation.

import type { Category, UnifiedEvent } from '../../shared/events.ts';
import type { WinEvent } from '../formats/windows/event.ts';
import { accountText, baseName, cleanAddress, EventFields, splitAccount, strongestHash, windowsRecordJson } from './windows-fields.ts';

export interface NormalizeWindowsOptions {
  /** Prefix for the locator, such as the evidence file's path inside the bundle. */
  locatorPrefix?: string;
}

/** The event as the per-channel mappings fill it in. */
export type WindowsDraft = Omit<UnifiedEvent, 'locator' | 'source' | 'log' | 'ts_micros' | 'data'>;

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

type Mapping = (f: EventFields, draft: WindowsDraft) => void;

function setUser(draft: WindowsDraft, account: string | null): void {
  const { name, domain } = splitAccount(account);
  draft.user_name = name;
  draft.user_domain = domain;
}

function userOf(draft: WindowsDraft): string | null {
  return accountText(draft.user_name ?? null, draft.user_domain ?? null);
}

function joinParts(...parts: (string | null | undefined | false)[]): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join(', ');
}

function withDetails(head: string, ...parts: (string | null | undefined | false)[]): string {
  const details = joinParts(...parts);
  return details === '' ? head : `${head} (${details})`;
}

// ---------------------------------------------------------------------------------------
// Sysmon

function sysmonProcess(f: EventFields, draft: WindowsDraft): void {
  draft.process_guid = f.get('ProcessGuid');
  draft.process_pid = f.int('ProcessId');
  draft.process_image = f.get('Image');
  // The record's UserID is Sysmon's own account (SYSTEM); User is the process's account.
  draft.user_sid = null;
  setUser(draft, f.get('User'));
}

/** Sysmon 22 QueryResults: `type:  5 host.example;::ffff:192.0.2.1;` into the answers. */
export function sysmonDnsAnswers(results: string | null): string[] | null {
  if (results === null) return null;
  const answers = results
    .split(';')
    .map((part) => part.trim().replace(/^type:\s+\d+\s+/, ''))
    .filter((part) => part !== '' && part !== '-')
    .map((part) => cleanAddress(part) ?? part);
  return answers.length > 0 ? answers : null;
}

const SYSMON: Record<number, Mapping> = {
  1: (f, d) => {
    sysmonProcess(f, d);
    d.category = 'process';
    d.action = 'process-created';
    d.process_command_line = f.get('CommandLine');
    d.parent_guid = f.get('ParentProcessGuid');
    d.parent_pid = f.int('ParentProcessId');
    d.parent_image = f.get('ParentImage');
    d.logon_id = f.get('LogonId');
    d.file_hash = strongestHash(f.get('Hashes'));
    d.message = withDetails(
      `Process created: ${d.process_command_line ?? d.process_image ?? '?'}`,
      d.parent_image && `parent ${baseName(d.parent_image)}`,
      userOf(d) && `user ${userOf(d)}`,
    );
  },
  2: (f, d) => {
    sysmonProcess(f, d);
    d.category = 'file';
    d.action = 'file-creation-time-changed';
    d.file_path = f.get('TargetFilename');
    d.message = `File creation time changed: ${d.file_path ?? '?'} by ${baseName(d.process_image ?? null) ?? '?'}`;
  },
  3: (f, d) => {
    sysmonProcess(f, d);
    d.category = 'network';
    d.action = 'network-connection';
    d.protocol = f.get('Protocol');
    d.src_ip = cleanAddress(f.get('SourceIp'));
    d.src_port = f.int('SourcePort');
    d.dst_ip = cleanAddress(f.get('DestinationIp'));
    d.dst_port = f.int('DestinationPort');
    const host = f.get('DestinationHostname');
    d.message = withDetails(
      `Network connection: ${baseName(d.process_image ?? null) ?? '?'} ${d.protocol ?? ''} ${d.src_ip ?? '?'}:${d.src_port ?? '?'} -> ${d.dst_ip ?? '?'}:${d.dst_port ?? '?'}`.replace(
        '  ',
        ' ',
      ),
      host && `host ${host}`,
      f.get('Initiated') === 'true' ? 'outbound' : f.get('Initiated') === 'false' ? 'inbound' : null,
    );
  },
  5: (f, d) => {
    sysmonProcess(f, d);
    d.category = 'process';
    d.action = 'process-terminated';
    d.message = `Process terminated: ${d.process_image ?? '?'}`;
  },
  6: (f, d) => {
    d.category = 'file';
    d.action = 'driver-loaded';
    d.file_path = f.get('ImageLoaded');
    d.file_hash = strongestHash(f.get('Hashes'));
    d.message = withDetails(`Driver loaded: ${d.file_path ?? '?'}`, f.get('Signature') && `signed by ${f.get('Signature')}`);
  },
  7: (f, d) => {
    sysmonProcess(f, d);
    d.category = 'process';
    d.action = 'image-loaded';
    d.file_path = f.get('ImageLoaded');
    d.file_hash = strongestHash(f.get('Hashes'));
    d.message = withDetails(
      `Image loaded: ${d.file_path ?? '?'} into ${baseName(d.process_image ?? null) ?? '?'}`,
      f.get('Signed') === 'false' && 'unsigned',
    );
  },
  8: (f, d) => {
    d.category = 'process';
    d.action = 'remote-thread-created';
    d.process_guid = f.get('SourceProcessGuid');
    d.process_pid = f.int('SourceProcessId');
    d.process_image = f.get('SourceImage');
    setUser(d, f.get('SourceUser'));
    d.message = withDetails(
      `Remote thread created: ${d.process_image ?? '?'} -> ${f.get('TargetImage') ?? '?'}`,
      f.get('StartFunction') && `start ${f.get('StartFunction')}`,
    );
  },
  10: (f, d) => {
    d.category = 'process';
    d.action = 'process-accessed';
    d.process_guid = f.get('SourceProcessGUID', 'SourceProcessGuid');
    d.process_pid = f.int('SourceProcessId');
    d.process_image = f.get('SourceImage');
    setUser(d, f.get('SourceUser'));
    d.message = withDetails(
      `Process accessed: ${d.process_image ?? '?'} -> ${f.get('TargetImage') ?? '?'}`,
      f.get('GrantedAccess') && `access ${f.get('GrantedAccess')}`,
    );
  },
  11: (f, d) => {
    sysmonProcess(f, d);
    d.category = 'file';
    d.action = 'file-created';
    d.file_path = f.get('TargetFilename');
    d.message = `File created: ${d.file_path ?? '?'} by ${baseName(d.process_image ?? null) ?? '?'}`;
  },
  12: (f, d) => sysmonRegistry(f, d),
  13: (f, d) => sysmonRegistry(f, d),
  14: (f, d) => sysmonRegistry(f, d),
  15: (f, d) => {
    sysmonProcess(f, d);
    d.category = 'file';
    d.action = 'file-stream-created';
    d.file_path = f.get('TargetFilename');
    d.file_hash = strongestHash(f.get('Hash', 'Hashes'));
    d.message = `File stream created: ${d.file_path ?? '?'} by ${baseName(d.process_image ?? null) ?? '?'}`;
  },
  17: (f, d) => sysmonPipe(f, d, 'created'),
  18: (f, d) => sysmonPipe(f, d, 'connected'),
  22: (f, d) => {
    sysmonProcess(f, d);
    d.category = 'dns';
    d.action = 'dns-query';
    d.dns_query = f.get('QueryName');
    d.dns_answers = sysmonDnsAnswers(f.get('QueryResults'));
    d.message = withDetails(
      `DNS query: ${d.dns_query ?? '?'} by ${baseName(d.process_image ?? null) ?? '?'}`,
      d.dns_answers && `answers ${d.dns_answers.join(', ')}`,
      f.get('QueryStatus') !== '0' && f.get('QueryStatus') && `status ${f.get('QueryStatus')}`,
    );
  },
  23: (f, d) => sysmonDelete(f, d, 'file-deleted', 'File deleted (archived)'),
  25: (f, d) => {
    sysmonProcess(f, d);
    d.category = 'process';
    d.action = 'process-tampering';
    d.message = withDetails(`Process tampering: ${d.process_image ?? '?'}`, f.get('Type'));
  },
  26: (f, d) => sysmonDelete(f, d, 'file-delete-detected', 'File delete detected'),
};

function sysmonRegistry(f: EventFields, d: WindowsDraft): void {
  sysmonProcess(f, d);
  d.category = 'registry';
  d.registry_key = f.get('TargetObject');
  const eventType = f.get('EventType');
  d.action = eventType ? `registry-${eventType.toLowerCase()}` : 'registry';
  const newName = f.get('NewName');
  const details = f.get('Details');
  d.message = withDetails(
    `Registry ${eventType ?? 'event'}: ${d.registry_key ?? '?'}`,
    details && `value ${details}`,
    newName && `new name ${newName}`,
    d.process_image && `by ${baseName(d.process_image)}`,
  );
}

function sysmonPipe(f: EventFields, d: WindowsDraft, verb: string): void {
  sysmonProcess(f, d);
  d.category = 'file';
  d.action = `pipe-${verb}`;
  d.file_path = f.get('PipeName');
  d.message = `Pipe ${verb}: ${d.file_path ?? '?'} by ${baseName(d.process_image ?? null) ?? '?'}`;
}

function sysmonDelete(f: EventFields, d: WindowsDraft, action: string, title: string): void {
  sysmonProcess(f, d);
  d.category = 'file';
  d.action = action;
  d.file_path = f.get('TargetFilename');
  d.file_hash = strongestHash(f.get('Hashes'));
  d.message = `${title}: ${d.file_path ?? '?'} by ${baseName(d.process_image ?? null) ?? '?'}`;
}

// ---------------------------------------------------------------------------------------
// Security

/** Logon types from the 4624 documentation. */
const LOGON_TYPES: Record<string, string> = {
  '0': 'System',
  '2': 'Interactive',
  '3': 'Network',
  '4': 'Batch',
  '5': 'Service',
  '7': 'Unlock',
  '8': 'NetworkCleartext',
  '9': 'NewCredentials',
  '10': 'RemoteInteractive',
  '11': 'CachedInteractive',
  '12': 'CachedRemoteInteractive',
  '13': 'CachedUnlock',
};

function subject(f: EventFields): string | null {
  return accountText(f.get('SubjectUserName'), f.get('SubjectDomainName'));
}

function setTargetUser(f: EventFields, d: WindowsDraft): void {
  d.user_name = f.get('TargetUserName');
  d.user_domain = f.get('TargetDomainName');
  d.user_sid = f.get('TargetUserSid', 'TargetSid');
}

function setSubjectUser(f: EventFields, d: WindowsDraft): void {
  d.user_name = f.get('SubjectUserName');
  d.user_domain = f.get('SubjectDomainName');
  d.user_sid = f.get('SubjectUserSid');
  d.logon_id = f.get('SubjectLogonId');
}

function logon(f: EventFields, d: WindowsDraft, success: boolean): void {
  d.category = 'authentication';
  d.action = success ? 'logon' : 'logon-failed';
  d.outcome = success ? 'success' : 'failure';
  setTargetUser(f, d);
  d.logon_id = f.get('TargetLogonId');
  d.src_ip = cleanAddress(f.get('IpAddress'));
  d.src_port = f.int('IpPort');
  d.process_image = f.get('ProcessName');
  d.process_pid = f.int('ProcessId');
  const type = f.get('LogonType');
  const typeText = type === null ? '?' : LOGON_TYPES[type] ? `${type} (${LOGON_TYPES[type]})` : type;
  const failure = success
    ? null
    : joinParts(f.get('Status') && `status ${f.get('Status')}`, f.get('SubStatus') && `sub-status ${f.get('SubStatus')}`);
  d.message = withDetails(
    `${success ? 'Logon' : 'Failed logon'} type ${typeText}: ${userOf(d) ?? '?'}`,
    d.src_ip && `from ${d.src_ip}`,
    f.get('WorkstationName') && `workstation ${f.get('WorkstationName')}`,
    f.get('AuthenticationPackageName'),
    failure,
  );
}

const ACCOUNT_ACTIONS: Record<number, [string, string]> = {
  4720: ['account-created', 'User account created'],
  4722: ['account-enabled', 'User account enabled'],
  4723: ['password-change', 'Password change attempted'],
  4724: ['password-reset', 'Password reset attempted'],
  4725: ['account-disabled', 'User account disabled'],
  4726: ['account-deleted', 'User account deleted'],
  4727: ['group-created', 'Security group created'],
  4728: ['group-member-added', 'Member added to global group'],
  4729: ['group-member-removed', 'Member removed from global group'],
  4730: ['group-deleted', 'Security group deleted'],
  4731: ['group-created', 'Local group created'],
  4732: ['group-member-added', 'Member added to local group'],
  4733: ['group-member-removed', 'Member removed from local group'],
  4734: ['group-deleted', 'Local group deleted'],
  4735: ['group-changed', 'Local group changed'],
  4737: ['group-changed', 'Global group changed'],
  4738: ['account-changed', 'User account changed'],
};

const TASK_ACTIONS: Record<number, [string, string]> = {
  4698: ['task-created', 'Scheduled task created'],
  4699: ['task-deleted', 'Scheduled task deleted'],
  4700: ['task-enabled', 'Scheduled task enabled'],
  4701: ['task-disabled', 'Scheduled task disabled'],
  4702: ['task-updated', 'Scheduled task updated'],
};

/** Kerberos and NTLM result codes: 0x0 is success. */
function statusOutcome(status: string | null): string | null {
  if (status === null) return null;
  return /^0x0+$/i.test(status.trim()) || status.trim() === '0' ? 'success' : 'failure';
}

function securityMapping(id: number): Mapping | undefined {
  if (ACCOUNT_ACTIONS[id]) {
    const [action, title] = ACCOUNT_ACTIONS[id];
    return (f, d) => {
      d.category = 'account';
      d.action = action;
      setTargetUser(f, d);
      const member = f.get('MemberName', 'MemberSid');
      d.message = withDetails(
        `${title}: ${accountText(d.user_name ?? null, d.user_domain ?? null) ?? '?'}`,
        member && `member ${member}`,
        subject(f) && `by ${subject(f)}`,
      );
    };
  }
  if (TASK_ACTIONS[id]) {
    const [action, title] = TASK_ACTIONS[id];
    return (f, d) => {
      d.category = 'service';
      d.action = action;
      setSubjectUser(f, d);
      d.message = withDetails(`${title}: ${f.get('TaskName') ?? '?'}`, subject(f) && `by ${subject(f)}`);
    };
  }
  return SECURITY[id];
}

const SECURITY: Record<number, Mapping> = {
  4624: (f, d) => logon(f, d, true),
  4625: (f, d) => logon(f, d, false),
  4634: (f, d) => {
    d.category = 'authentication';
    d.action = 'logoff';
    setTargetUser(f, d);
    d.logon_id = f.get('TargetLogonId');
    d.message = withDetails(`Logoff: ${userOf(d) ?? '?'}`, f.get('LogonType') && `type ${f.get('LogonType')}`);
  },
  4647: (f, d) => {
    d.category = 'authentication';
    d.action = 'logoff';
    setTargetUser(f, d);
    d.logon_id = f.get('TargetLogonId');
    d.message = `User-initiated logoff: ${userOf(d) ?? '?'}`;
  },
  4648: (f, d) => {
    d.category = 'authentication';
    d.action = 'explicit-credentials';
    setSubjectUser(f, d);
    d.process_image = f.get('ProcessName');
    d.process_pid = f.int('ProcessId');
    d.dst_ip = cleanAddress(f.get('IpAddress'));
    d.dst_port = f.int('IpPort');
    const target = accountText(f.get('TargetUserName'), f.get('TargetDomainName'));
    d.message = withDetails(
      `Logon with explicit credentials: ${userOf(d) ?? '?'} as ${target ?? '?'}`,
      f.get('TargetServerName') && `server ${f.get('TargetServerName')}`,
      d.process_image && `by ${baseName(d.process_image)}`,
    );
  },
  4672: (f, d) => {
    d.category = 'authentication';
    d.action = 'special-privileges';
    setSubjectUser(f, d);
    const privileges = (f.get('PrivilegeList') ?? '').split(/\s+/).filter(Boolean);
    d.message = `Special privileges assigned: ${userOf(d) ?? '?'} (${privileges.join(' ')})`;
  },
  4688: (f, d) => {
    d.category = 'process';
    d.action = 'process-created';
    d.process_pid = f.int('NewProcessId');
    d.process_image = f.get('NewProcessName');
    d.process_command_line = f.get('CommandLine');
    d.parent_pid = f.int('ProcessId');
    d.parent_image = f.get('ParentProcessName');
    // Version 2 names the new process's account in Target*; the creator is the Subject.
    const targetName = f.get('TargetUserName');
    if (targetName !== null) {
      d.user_name = targetName;
      d.user_domain = f.get('TargetDomainName');
      d.user_sid = f.get('TargetUserSid');
      d.logon_id = f.get('TargetLogonId');
    } else {
      setSubjectUser(f, d);
    }
    d.message = withDetails(
      `Process created: ${d.process_command_line ?? d.process_image ?? '?'}`,
      d.parent_image && `parent ${baseName(d.parent_image)}`,
      userOf(d) && `user ${userOf(d)}`,
      targetName !== null && subject(f) && `creator ${subject(f)}`,
    );
  },
  4689: (f, d) => {
    d.category = 'process';
    d.action = 'process-terminated';
    setSubjectUser(f, d);
    d.process_pid = f.int('ProcessId');
    d.process_image = f.get('ProcessName');
    d.message = withDetails(`Process exited: ${d.process_image ?? '?'}`, f.get('Status') && `status ${f.get('Status')}`);
  },
  4697: (f, d) => {
    d.category = 'service';
    d.action = 'service-installed';
    setSubjectUser(f, d);
    d.file_path = f.get('ServiceFileName');
    d.message = withDetails(
      `Service installed: ${f.get('ServiceName') ?? '?'}`,
      d.file_path,
      f.get('ServiceAccount') && `account ${f.get('ServiceAccount')}`,
    );
  },
  4768: (f, d) => kerberos(f, d, 'kerberos-tgt-request', 'Kerberos TGT requested'),
  4769: (f, d) => kerberos(f, d, 'kerberos-service-ticket', 'Kerberos service ticket requested'),
  4771: (f, d) => kerberos(f, d, 'kerberos-preauth-failed', 'Kerberos pre-authentication failed'),
  4776: (f, d) => {
    d.category = 'authentication';
    d.action = 'ntlm-validation';
    d.user_name = f.get('TargetUserName');
    d.outcome = statusOutcome(f.get('Status'));
    d.message = withDetails(
      `NTLM credential validation: ${d.user_name ?? '?'}`,
      f.get('Workstation') && `workstation ${f.get('Workstation')}`,
      f.get('Status') && `status ${f.get('Status')}`,
    );
  },
  5140: (f, d) => share(f, d, 'share-accessed', 'Network share accessed'),
  5145: (f, d) => share(f, d, 'share-object-checked', 'Network share object checked'),
  5156: (f, d) => filtering(f, d, 'connection-allowed', 'Connection allowed'),
  5157: (f, d) => filtering(f, d, 'connection-blocked', 'Connection blocked'),
  1102: (f, d) => {
    d.category = 'other';
    d.action = 'log-cleared';
    setSubjectUser(f, d);
    d.message = `Security log cleared by ${userOf(d) ?? '?'}`;
  },
};

function kerberos(f: EventFields, d: WindowsDraft, action: string, title: string): void {
  d.category = 'authentication';
  d.action = action;
  d.user_name = f.get('TargetUserName');
  d.user_domain = f.get('TargetDomainName');
  d.user_sid = f.get('TargetSid');
  d.src_ip = cleanAddress(f.get('IpAddress'));
  d.src_port = f.int('IpPort');
  d.outcome = statusOutcome(f.get('Status'));
  d.message = withDetails(
    `${title}: ${userOf(d) ?? '?'}`,
    f.get('ServiceName') && `service ${f.get('ServiceName')}`,
    d.src_ip && `from ${d.src_ip}`,
    f.get('TicketEncryptionType') && `encryption ${f.get('TicketEncryptionType')}`,
    f.get('Status') && `status ${f.get('Status')}`,
  );
}

function share(f: EventFields, d: WindowsDraft, action: string, title: string): void {
  d.category = 'file';
  d.action = action;
  setSubjectUser(f, d);
  d.src_ip = cleanAddress(f.get('IpAddress'));
  d.src_port = f.int('IpPort');
  const name = f.get('ShareName');
  const relative = f.get('RelativeTargetName');
  d.file_path = relative ? `${name ?? ''}\\${relative}` : name;
  d.message = withDetails(`${title}: ${d.file_path ?? '?'}`, userOf(d) && `by ${userOf(d)}`, d.src_ip && `from ${d.src_ip}`);
}

/** IANA protocol numbers that Windows Filtering Platform events write. */
const PROTOCOLS: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp' };

function filtering(f: EventFields, d: WindowsDraft, action: string, title: string): void {
  d.category = 'network';
  d.action = action;
  d.process_pid = f.int('ProcessID', 'ProcessId');
  d.process_image = f.get('Application');
  d.src_ip = cleanAddress(f.get('SourceAddress'));
  d.src_port = f.int('SourcePort');
  d.dst_ip = cleanAddress(f.get('DestAddress'));
  d.dst_port = f.int('DestPort');
  const protocol = f.get('Protocol');
  d.protocol = protocol === null ? null : (PROTOCOLS[protocol] ?? protocol);
  d.message = `${title}: ${baseName(d.process_image ?? null) ?? '?'} ${d.protocol ?? '?'} ${d.src_ip ?? '?'}:${d.src_port ?? '?'} -> ${d.dst_ip ?? '?'}:${d.dst_port ?? '?'}`;
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
function contextValue(context: string | null, key: string): string | null {
  if (context === null) return null;
  const match = new RegExp(`(?:^|[\\r\\n])\\s*${key}\\s*=\\s*([^\\r\\n]*)`).exec(context);
  return match && match[1]!.trim() !== '' ? match[1]!.trim() : null;
}

function firstLine(text: string | null, limit = 200): string | null {
  if (text === null) return null;
  const line = text.trim().split(/\r?\n/, 1)[0] ?? '';
  return line.length > limit ? `${line.slice(0, limit)}…` : line;
}

const POWERSHELL: Record<number, Mapping> = {
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
    d.message = `Script block (${part}id ${f.get('ScriptBlockId') ?? '?'}): ${firstLine(f.raw('ScriptBlockText')) ?? ''}`;
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
  if (draft.message === '') draft.message = genericMessage(event, fields);
  draft.message = oneLine(draft.message);
  return {
    ...draft,
    locator: options.locatorPrefix ? `${options.locatorPrefix} ${event.locator}` : event.locator,
    source: 'evtx',
    log: s.channel ?? s.provider ?? 'unknown',
    ts_micros: s.timeCreated?.micros ?? null,
    data: windowsRecordJson(event),
  };
}
