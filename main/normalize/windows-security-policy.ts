// Security log events about objects, policy and the system: object access (4656, 4663
// and related), audit and firewall policy changes, group enumeration, session
// reconnects and service start and stop. Field names follow Microsoft's security
// auditing event reference for each event id. Access rights stay as the record writes
// them (AccessMask in hex); the `%%nnnn` message-table codes are kept in `data`.

import { type Mapping, setSubjectUser, setTargetUser, setUser, subject, userOf, type WindowsDraft, withDetails } from './windows-draft.ts';
import { baseName, cleanAddress, type EventFields, protocolName } from './windows-fields.ts';

/** Pick the category of an object-access event by its ObjectType. */
function objectCategory(type: string | null): WindowsDraft['category'] {
  if (type === 'File') return 'file';
  if (type === 'Key') return 'registry';
  return 'other';
}

function setProcess(f: EventFields, d: WindowsDraft): void {
  d.process_image = f.get('ProcessName');
  d.process_pid = f.int('ProcessId');
}

/** Put the object an event names into `file_path` or `registry_key` by its type, and return its name. */
function setObject(f: EventFields, d: WindowsDraft): string | null {
  const type = f.get('ObjectType');
  const name = f.get('ObjectName');
  d.category = objectCategory(type);
  if (type === 'File') d.file_path = name;
  if (type === 'Key') d.registry_key = name;
  return name;
}

function objectEvent(action: string, title: string): Mapping {
  return (f, d) => {
    d.action = action;
    setSubjectUser(f, d);
    setProcess(f, d);
    const name = setObject(f, d);
    const mask = f.get('AccessMask');
    d.message = withDetails(
      `${title}: ${f.get('ObjectType') ?? '?'} ${name ?? '?'}`,
      d.process_image && `by ${baseName(d.process_image)}`,
      userOf(d) && `user ${userOf(d)}`,
      mask && `access ${mask}`,
    );
  };
}

function handleEvent(action: string, title: string): Mapping {
  return (f, d) => {
    d.category = 'other';
    d.action = action;
    setSubjectUser(f, d);
    setProcess(f, d);
    d.message = withDetails(`${title} by ${baseName(d.process_image ?? null) ?? '?'}`, f.get('HandleId') && `handle ${f.get('HandleId')}`);
  };
}

function groupEnumeration(title: string): Mapping {
  return (f, d) => {
    d.category = 'account';
    d.action = 'group-membership-enumerated';
    const target = `${f.get('TargetDomainName') ?? '?'}\\${f.get('TargetUserName') ?? '?'}`;
    setSubjectUser(f, d);
    d.process_image = f.get('CallerProcessName');
    d.process_pid = f.int('CallerProcessId');
    d.message = withDetails(
      `${title}: ${target}`,
      userOf(d) && `by ${userOf(d)}`,
      d.process_image && `process ${baseName(d.process_image)}`,
    );
  };
}

function session(action: string, title: string): Mapping {
  return (f, d) => {
    d.category = 'authentication';
    d.action = action;
    d.user_name = f.get('AccountName');
    d.user_domain = f.get('AccountDomain');
    d.logon_id = f.get('LogonID');
    d.src_ip = cleanAddress(f.get('ClientAddress'));
    d.message = withDetails(
      `${title}: ${userOf(d) ?? '?'}`,
      f.get('ClientName') && `client ${f.get('ClientName')}`,
      d.src_ip && `from ${d.src_ip}`,
      f.get('SessionName') && `session ${f.get('SessionName')}`,
    );
  };
}

function firewallRule(action: string, title: string): Mapping {
  return (f, d) => {
    d.category = 'network';
    d.action = action;
    d.message = withDetails(
      `${title}: ${f.get('RuleName') ?? '?'}`,
      f.get('RuleId') && `id ${f.get('RuleId')}`,
      f.get('ProfileChanged') && `profile ${f.get('ProfileChanged')}`,
    );
  };
}

function plain(action: string, message: string): Mapping {
  return (_f, d) => {
    d.category = 'other';
    d.action = action;
    d.message = message;
  };
}

export const SECURITY_POLICY: Record<number, Mapping> = {
  1100: plain('log-service-shutdown', 'Event logging service shut down'),
  4608: plain('system-startup', 'Windows is starting up'),
  4616: (f, d) => {
    d.category = 'other';
    d.action = 'system-time-changed';
    setSubjectUser(f, d);
    setProcess(f, d);
    d.message = withDetails(
      `System time changed from ${f.get('PreviousTime') ?? '?'} to ${f.get('NewTime') ?? '?'}`,
      subject(f) && `by ${subject(f)}`,
      d.process_image && `process ${baseName(d.process_image)}`,
    );
  },
  4656: objectEvent('object-handle-requested', 'Handle to an object requested'),
  4657: (f, d) => {
    d.category = 'registry';
    d.action = 'registry-value-modified';
    setSubjectUser(f, d);
    setProcess(f, d);
    const key = f.get('ObjectName');
    const value = f.get('ObjectValueName');
    d.registry_key = key && value ? `${key}\\${value}` : key;
    d.message = withDetails(
      `Registry value modified: ${d.registry_key ?? '?'}`,
      f.get('NewValue') && `new value ${f.get('NewValue')}`,
      d.process_image && `by ${baseName(d.process_image)}`,
    );
  },
  4658: handleEvent('object-handle-closed', 'Handle to an object closed'),
  4660: handleEvent('object-deleted', 'Object deleted'),
  4662: (f, d) => {
    d.category = 'other';
    d.action = 'directory-object-operation';
    setSubjectUser(f, d);
    const properties = (f.get('Properties') ?? '').replace(/\s+/g, ' ').trim();
    d.message = withDetails(
      `Operation on a directory object: ${f.get('ObjectName') ?? '?'}`,
      f.get('ObjectType') && `type ${f.get('ObjectType')}`,
      f.get('AccessMask') && `access ${f.get('AccessMask')}`,
      properties !== '' && `properties ${properties.length > 300 ? `${properties.slice(0, 300)}…` : properties}`,
      userOf(d) && `by ${userOf(d)}`,
    );
  },
  4663: objectEvent('object-accessed', 'Object access attempted'),
  4670: objectEvent('permissions-changed', 'Permissions on an object changed'),
  4690: (f, d) => {
    d.category = 'process';
    d.action = 'handle-duplicated';
    setSubjectUser(f, d);
    d.process_pid = f.int('SourceProcessId');
    d.message = withDetails(
      `Handle duplicated from process ${f.get('SourceProcessId') ?? '?'} into process ${f.get('TargetProcessId') ?? '?'}`,
      userOf(d) && `by ${userOf(d)}`,
    );
  },
  4719: (f, d) => {
    d.category = 'other';
    d.action = 'audit-policy-changed';
    setSubjectUser(f, d);
    d.message = withDetails(
      `System audit policy changed: subcategory ${f.get('SubcategoryGuid') ?? f.get('SubcategoryId') ?? '?'}`,
      f.get('AuditPolicyChanges') && `changes ${f.get('AuditPolicyChanges')}`,
      subject(f) && `by ${subject(f)}`,
    );
  },
  4740: (f, d) => {
    d.category = 'account';
    d.action = 'account-locked-out';
    setTargetUser(f, d);
    // 4740 writes the caller computer's name in TargetDomainName.
    d.user_domain = null;
    d.message = withDetails(
      `User account locked out: ${d.user_name ?? '?'}`,
      f.get('TargetDomainName') && `caller ${f.get('TargetDomainName')}`,
    );
  },
  4767: (f, d) => {
    d.category = 'account';
    d.action = 'account-unlocked';
    setTargetUser(f, d);
    d.message = withDetails(`User account unlocked: ${userOf(d) ?? '?'}`, subject(f) && `by ${subject(f)}`);
  },
  4778: session('session-reconnected', 'Session reconnected'),
  4779: session('session-disconnected', 'Session disconnected'),
  4781: (f, d) => {
    d.category = 'account';
    d.action = 'account-renamed';
    d.user_name = f.get('NewTargetUserName');
    d.user_domain = f.get('TargetDomainName');
    d.user_sid = f.get('TargetSid');
    d.message = withDetails(
      `Account name changed: ${f.get('OldTargetUserName') ?? '?'} to ${f.get('NewTargetUserName') ?? '?'}`,
      subject(f) && `by ${subject(f)}`,
    );
  },
  4798: groupEnumeration("A user's local group membership enumerated"),
  4799: groupEnumeration('Local group membership enumerated'),
  4907: objectEvent('audit-settings-changed', 'Auditing settings on an object changed'),
  4946: firewallRule('firewall-rule-added', 'Firewall rule added'),
  4947: firewallRule('firewall-rule-modified', 'Firewall rule modified'),
  4948: firewallRule('firewall-rule-deleted', 'Firewall rule deleted'),
  4950: (f, d) => {
    d.category = 'network';
    d.action = 'firewall-setting-changed';
    d.message = withDetails(
      `Windows Firewall setting changed: ${f.get('SettingType') ?? '?'} = ${f.get('SettingValue') ?? '?'}`,
      f.get('ProfileChanged') && `profile ${f.get('ProfileChanged')}`,
    );
  },
  5024: plain('firewall-service-started', 'Windows Firewall service started'),
  5025: plain('firewall-service-stopped', 'Windows Firewall service stopped'),
  5033: plain('firewall-driver-started', 'Windows Firewall driver started'),
  5158: (f, d) => {
    d.category = 'network';
    d.action = 'bind-permitted';
    d.process_pid = f.int('ProcessID', 'ProcessId');
    d.process_image = f.get('Application');
    d.src_ip = cleanAddress(f.get('SourceAddress'));
    d.src_port = f.int('SourcePort');
    d.protocol = protocolName(f.get('Protocol'));
    d.message = `Bind permitted: ${baseName(d.process_image ?? null) ?? '?'} ${d.protocol ?? '?'} ${d.src_ip ?? '?'}:${d.src_port ?? '?'}`;
  },
  5447: (f, d) => {
    d.category = 'network';
    d.action = 'filtering-platform-filter-changed';
    d.process_pid = f.int('ProcessId');
    setUser(d, f.get('UserName'));
    d.user_sid = f.get('UserSid');
    d.message = withDetails(
      `Filtering platform filter changed: ${f.get('FilterName') ?? '?'}`,
      f.get('LayerName') && `layer ${f.get('LayerName')}`,
      f.get('ProviderName') && `provider ${f.get('ProviderName')}`,
    );
  },
};
