// The Windows events the generator writes: provider, channel, the System values of each
// event id and the EventData (or UserData) fields in the order Windows writes them.
// Field names, versions, tasks and keywords follow Microsoft's audit event reference
// (learn.microsoft.com, "Audit ... events", Windows 10 and Server 2016), the Sysmon 15
// schema (`sysmon -s`) and the PowerShell and Service Control Manager manifests.

export type FieldType = 'string' | 'uint16' | 'uint32' | 'int32' | 'hex32' | 'hex64' | 'guid' | 'sid' | 'bool' | 'binary';

export interface FieldSpec {
  name: string;
  type: FieldType;
}

export interface Provider {
  name: string;
  guid: string;
  /** Classic event source name, written as Provider/@EventSourceName (Service Control Manager). */
  eventSourceName?: string;
}

export interface EventSpec {
  /** Unique key; also seeds the template GUID. */
  key: string;
  provider: Provider;
  channel: string;
  eventId: number;
  /** EventID/@Qualifiers of classic providers. */
  qualifiers?: number;
  version: number;
  level: number;
  task: number;
  opcode: number;
  keywords: bigint;
  fields: FieldSpec[];
  /** When set, the fields go into UserData/<element xmlns=...> instead of EventData. */
  userData?: { element: string; xmlns: string };
  /** EventData ends with a `<Binary>` element (classic providers such as 7036). */
  binary?: boolean;
}

export const CHANNELS = {
  security: 'Security',
  system: 'System',
  sysmon: 'Microsoft-Windows-Sysmon/Operational',
  powershell: 'Microsoft-Windows-PowerShell/Operational',
} as const;

const SECURITY_AUDITING: Provider = { name: 'Microsoft-Windows-Security-Auditing', guid: '{54849625-5478-4994-A5BA-3E3B0328C30D}' };
const EVENTLOG: Provider = { name: 'Microsoft-Windows-Eventlog', guid: '{FC65DDD8-D6EF-4962-83D5-6E5CFE9CE148}' };
const SYSMON: Provider = { name: 'Microsoft-Windows-Sysmon', guid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}' };
const POWERSHELL: Provider = { name: 'Microsoft-Windows-PowerShell', guid: '{A0C1853B-5C40-4B15-8766-3CF1C58F985A}' };
const SCM: Provider = {
  name: 'Service Control Manager',
  guid: '{555908D1-A6D7-4695-8E1E-26931D2012F4}',
  eventSourceName: 'Service Control Manager',
};

const AUDIT_SUCCESS = 0x8020000000000000n;
const AUDIT_FAILURE = 0x8010000000000000n;

function fields(spec: string): FieldSpec[] {
  // "Name:type" pairs separated by spaces; a bare name is a string.
  return spec
    .trim()
    .split(/\s+/)
    .map((item) => {
      const [name, type] = item.split(':') as [string, FieldType | undefined];
      return { name, type: type ?? 'string' };
    });
}

const SUBJECT = 'SubjectUserSid:sid SubjectUserName SubjectDomainName SubjectLogonId:hex64';

function security(eventId: number, version: number, task: number, fieldList: string, keywords = AUDIT_SUCCESS): EventSpec {
  return {
    key: `security-${eventId}`,
    provider: SECURITY_AUDITING,
    channel: CHANNELS.security,
    eventId,
    version,
    level: 0,
    task,
    opcode: 0,
    keywords,
    fields: fields(fieldList),
  };
}

function sysmon(eventId: number, version: number, fieldList: string): EventSpec {
  return {
    key: `sysmon-${eventId}`,
    provider: SYSMON,
    channel: CHANNELS.sysmon,
    eventId,
    version,
    level: 4,
    task: eventId,
    opcode: 0,
    keywords: 0x8000000000000000n,
    fields: fields(fieldList),
  };
}

export const SPECS = {
  logon: security(
    4624,
    2,
    12544,
    `${SUBJECT} TargetUserSid:sid TargetUserName TargetDomainName TargetLogonId:hex64 LogonType:uint32 LogonProcessName
     AuthenticationPackageName WorkstationName LogonGuid:guid TransmittedServices LmPackageName KeyLength:uint32 ProcessId:hex64
     ProcessName IpAddress IpPort ImpersonationLevel RestrictedAdminMode TargetOutboundUserName TargetOutboundDomainName
     VirtualAccount TargetLinkedLogonId:hex64 ElevatedToken`,
  ),
  logonFailed: security(
    4625,
    0,
    12544,
    `${SUBJECT} TargetUserSid:sid TargetUserName TargetDomainName Status:hex32 FailureReason SubStatus:hex32 LogonType:uint32
     LogonProcessName AuthenticationPackageName WorkstationName TransmittedServices LmPackageName KeyLength:uint32 ProcessId:hex64
     ProcessName IpAddress IpPort`,
    AUDIT_FAILURE,
  ),
  specialPrivileges: security(4672, 0, 12548, `${SUBJECT} PrivilegeList`),
  processCreated: security(
    4688,
    2,
    13312,
    `${SUBJECT} NewProcessId:hex64 NewProcessName TokenElevationType ProcessId:hex64 CommandLine TargetUserSid:sid TargetUserName
     TargetDomainName TargetLogonId:hex64 ParentProcessName MandatoryLabel:sid`,
  ),
  processExited: security(4689, 0, 13313, `${SUBJECT} Status:hex32 ProcessId:hex64 ProcessName`),
  serviceInstalledAudit: security(
    4697,
    0,
    12289,
    `${SUBJECT} ServiceName ServiceFileName ServiceType:hex32 ServiceStartType:uint32 ServiceAccount`,
  ),
  securityLogCleared: {
    key: 'eventlog-1102',
    provider: EVENTLOG,
    channel: CHANNELS.security,
    eventId: 1102,
    version: 0,
    level: 4,
    task: 104,
    opcode: 0,
    keywords: 0x4020000000000000n,
    fields: fields(SUBJECT),
    userData: { element: 'LogFileCleared', xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog' },
  } satisfies EventSpec,
  systemLogCleared: {
    key: 'eventlog-104',
    provider: EVENTLOG,
    channel: CHANNELS.system,
    eventId: 104,
    version: 1,
    level: 4,
    task: 104,
    opcode: 0,
    keywords: 0x8000000000000000n,
    fields: fields('SubjectUserName SubjectDomainName Channel BackupPath'),
    userData: { element: 'LogFileCleared', xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog' },
  } satisfies EventSpec,
  serviceInstalled: {
    key: 'scm-7045',
    provider: SCM,
    channel: CHANNELS.system,
    eventId: 7045,
    qualifiers: 16384,
    version: 0,
    level: 4,
    task: 0,
    opcode: 0,
    keywords: 0x8080000000000000n,
    fields: fields('ServiceName ImagePath ServiceType StartType AccountName'),
  } satisfies EventSpec,
  serviceState: {
    key: 'scm-7036',
    provider: SCM,
    channel: CHANNELS.system,
    eventId: 7036,
    qualifiers: 16384,
    version: 0,
    level: 4,
    task: 0,
    opcode: 0,
    keywords: 0x8080000000000000n,
    fields: fields('param1 param2'),
    binary: true,
  } satisfies EventSpec,
  sysmonProcessCreated: sysmon(
    1,
    5,
    `RuleName UtcTime ProcessGuid:guid ProcessId:uint32 Image FileVersion Description Product Company OriginalFileName CommandLine
     CurrentDirectory User LogonGuid:guid LogonId:hex64 TerminalSessionId:uint32 IntegrityLevel Hashes ParentProcessGuid:guid
     ParentProcessId:uint32 ParentImage ParentCommandLine ParentUser`,
  ),
  sysmonNetwork: sysmon(
    3,
    5,
    `RuleName UtcTime ProcessGuid:guid ProcessId:uint32 Image User Protocol Initiated:bool SourceIsIpv6:bool SourceIp SourceHostname
     SourcePort:uint16 SourcePortName DestinationIsIpv6:bool DestinationIp DestinationHostname DestinationPort:uint16 DestinationPortName`,
  ),
  sysmonProcessTerminated: sysmon(5, 3, 'RuleName UtcTime ProcessGuid:guid ProcessId:uint32 Image User'),
  sysmonProcessAccess: sysmon(
    10,
    3,
    `RuleName UtcTime SourceProcessGUID:guid SourceProcessId:uint32 SourceThreadId:uint32 SourceImage TargetProcessGUID:guid
     TargetProcessId:uint32 TargetImage GrantedAccess CallTrace SourceUser TargetUser`,
  ),
  sysmonFileCreated: sysmon(11, 2, 'RuleName UtcTime ProcessGuid:guid ProcessId:uint32 Image TargetFilename CreationUtcTime User'),
  sysmonDnsQuery: sysmon(22, 5, 'RuleName UtcTime ProcessGuid:guid ProcessId:uint32 QueryName QueryStatus QueryResults Image User'),
  scriptBlock: {
    key: 'powershell-4104',
    provider: POWERSHELL,
    channel: CHANNELS.powershell,
    eventId: 4104,
    version: 1,
    level: 5,
    task: 2,
    opcode: 15,
    keywords: 0n,
    fields: fields('MessageNumber:int32 MessageTotal:int32 ScriptBlockText ScriptBlockId Path'),
  } satisfies EventSpec,
} satisfies Record<string, EventSpec>;

export type SpecName = keyof typeof SPECS;
