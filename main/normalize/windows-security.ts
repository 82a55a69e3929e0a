// Security log events (Microsoft-Windows-Security-Auditing) mapped to unified
// columns. Field names follow the Windows security auditing event documentation.

import {
  imageIfHidden,
  joinParts,
  type Mapping,
  setSubjectUser,
  setTargetUser,
  subject,
  userOf,
  type WindowsDraft,
  withDetails,
} from './windows-draft.ts';
import { accountText, baseName, cleanAddress, type EventFields, protocolName } from './windows-fields.ts';
import { SECURITY_POLICY } from './windows-security-policy.ts';

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

export function securityMapping(id: number): Mapping | undefined {
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
  return SECURITY[id] ?? SECURITY_POLICY[id];
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
      imageIfHidden(d.process_command_line, d.process_image) && `image ${d.process_image}`,
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
    // Some exports (nxlog) drop UserData and keep only the rendered message.
    const rendered = f.event.rendering?.message ?? null;
    if (d.user_name === null && rendered !== null) {
      d.user_name = /Account Name:\s*([^\r\n]+)/.exec(rendered)?.[1]?.trim() ?? null;
      d.user_domain = /Domain Name:\s*([^\r\n]+)/.exec(rendered)?.[1]?.trim() ?? null;
      d.user_sid = /Security ID:\s*([^\r\n]+)/.exec(rendered)?.[1]?.trim() ?? null;
    }
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

function filtering(f: EventFields, d: WindowsDraft, action: string, title: string): void {
  d.category = 'network';
  d.action = action;
  d.process_pid = f.int('ProcessID', 'ProcessId');
  d.process_image = f.get('Application');
  d.src_ip = cleanAddress(f.get('SourceAddress'));
  d.src_port = f.int('SourcePort');
  d.dst_ip = cleanAddress(f.get('DestAddress'));
  d.dst_port = f.int('DestPort');
  d.protocol = protocolName(f.get('Protocol'));
  d.message = `${title}: ${baseName(d.process_image ?? null) ?? '?'} ${d.protocol ?? '?'} ${d.src_ip ?? '?'}:${d.src_port ?? '?'} -> ${d.dst_ip ?? '?'}:${d.dst_port ?? '?'}`;
}
