// Sysmon (Microsoft-Windows-Sysmon/Operational) events mapped to unified columns.
// Field names are from Sysmon's schema (`sysmon -s`).

import { imageIfHidden, type Mapping, setUser, userOf, type WindowsDraft, withDetails } from './windows-draft.ts';
import { baseName, cleanAddress, type EventFields, strongestHash } from './windows-fields.ts';

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

export const SYSMON: Record<number, Mapping> = {
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
      imageIfHidden(d.process_command_line, d.process_image) && `image ${d.process_image}`,
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
  4: (f, d) => {
    d.category = 'service';
    d.action = 'sysmon-state-changed';
    d.message = withDetails(`Sysmon service state changed: ${f.get('State') ?? '?'}`, f.get('Version') && `version ${f.get('Version')}`);
  },
  9: (f, d) => {
    sysmonProcess(f, d);
    d.category = 'file';
    d.action = 'raw-access-read';
    d.file_path = f.get('Device');
    d.message = `Raw disk read: ${d.file_path ?? '?'} by ${baseName(d.process_image ?? null) ?? '?'}`;
  },
  16: (f, d) => {
    d.category = 'service';
    d.action = 'sysmon-config-changed';
    d.file_path = f.get('Configuration');
    d.file_hash = strongestHash(f.get('ConfigurationFileHash'));
    d.message = withDetails(`Sysmon configuration changed: ${d.file_path ?? '?'}`, f.get('ConfigurationFileHash'));
  },
  19: (f, d) => {
    sysmonWmi(f, d, 'wmi-filter');
    d.message = withDetails(
      `WMI event filter ${wmiOperation(f)}: ${wmiText(f.get('Name')) ?? '?'}`,
      f.get('EventNamespace') && `namespace ${wmiText(f.get('EventNamespace'))}`,
      f.get('Query') && `query ${wmiText(f.get('Query'))}`,
      userOf(d) && `by ${userOf(d)}`,
    );
  },
  20: (f, d) => {
    sysmonWmi(f, d, 'wmi-consumer');
    d.message = withDetails(
      `WMI event consumer ${wmiOperation(f)}: ${wmiText(f.get('Name')) ?? '?'}`,
      f.get('Type') && `type ${f.get('Type')}`,
      f.get('Destination') && `destination ${wmiText(f.get('Destination'))}`,
      userOf(d) && `by ${userOf(d)}`,
    );
  },
  21: (f, d) => {
    sysmonWmi(f, d, 'wmi-binding');
    d.message = withDetails(
      `WMI filter-to-consumer binding ${wmiOperation(f)}: consumer ${wmiText(f.get('Consumer')) ?? '?'}`,
      f.get('Filter') && `filter ${wmiText(f.get('Filter'))}`,
      userOf(d) && `by ${userOf(d)}`,
    );
  },
  24: (f, d) => {
    sysmonProcess(f, d);
    d.category = 'other';
    d.action = 'clipboard-changed';
    d.file_hash = strongestHash(f.get('Hashes'));
    d.message = withDetails(
      `Clipboard changed by ${baseName(d.process_image ?? null) ?? '?'}`,
      f.get('ClientInfo') && `client ${f.get('ClientInfo')}`,
      f.get('Archived') && `archived ${f.get('Archived')}`,
    );
  },
  27: (f, d) => sysmonDelete(f, d, 'file-block-executable', 'Executable file blocked'),
  28: (f, d) => sysmonDelete(f, d, 'file-block-shredding', 'File shredding blocked'),
  29: (f, d) => sysmonDelete(f, d, 'file-executable-detected', 'Executable file detected'),
};

/** Sysmon writes WMI names and queries with a leading space and in double quotes (` "root\\CimV2"`). */
function wmiText(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

function wmiOperation(f: EventFields): string {
  return (f.get('Operation') ?? 'changed').toLowerCase();
}

function sysmonWmi(f: EventFields, d: WindowsDraft, action: string): void {
  d.category = 'other';
  d.action = `${action}-${wmiOperation(f)}`;
  d.user_sid = null;
  setUser(d, f.get('User'));
}

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
