// Volatility rows mapped to unified events: process identity and start time, network
// endpoints, file paths, and the row kept as exact JSON.

import { describe, expect, it } from 'vitest';
import { parseVolatility } from '../formats/volatility/index.ts';
import { volatilityEvents, volatilityRowToEvent } from './volatility.ts';

const PSLIST = [
  '"C:\\vol\\vol.exe" -f "D:\\cases\\host1.raw" windows.pslist.PsList',
  'Volatility 3 Framework 2.5.0',
  'PID\tPPID\tImageFileName\tOffset(V)\tThreads\tHandles\tSessionId\tWow64\tCreateTime\tExitTime\tFile output',
  '4\t0\tSystem\t0xffffe0003a5b6080\t352\t-\tN/A\tFalse\t2024-05-16 10:21:52.000000 \tN/A\tDisabled',
  '2132\t768\tRuntimeBroker.\t0x9d082680\t21\t-\t1\tFalse\t2024-03-01 09:40:18.000000 UTC\tN/A\tDisabled',
  '',
].join('\r\n');

describe('volatilityRowToEvent', () => {
  const { runs } = parseVolatility(PSLIST, { name: 'pslist.txt' });
  const run = runs[0]!;

  it('maps a pslist row to a process start', () => {
    const event = volatilityRowToEvent(run, run.rows[1]!, { host: 'HOST1' });
    expect(event).toMatchObject({
      locator: 'windows.pslist.PsList row 2 line 5',
      source: 'memory',
      log: 'windows.pslist.PsList',
      category: 'process',
      host: 'HOST1',
      process_pid: 2132,
      parent_pid: 768,
      process_image: 'RuntimeBroker.',
      ts_micros: 1_709_286_018_000_000n,
      ts_kind: 'process start',
      ts_note: null,
    });
    expect(event.message).toBe('pslist: RuntimeBroker. pid 2132 ppid 768');
  });

  it('flags a naive create time and keeps 64-bit values exact in data', () => {
    const event = volatilityRowToEvent(run, run.rows[0]!);
    expect(event.ts_note).toBe('no-zone');
    expect(event.host).toBeNull();
    const data = JSON.parse(event.data);
    expect(data.values['Offset(V)']).toBe('0xffffe0003a5b6080');
    expect(data.values.CreateTime).toBe('2024-05-16T10:21:52.000000Z');
    expect(data.values.Threads).toBe('352');
    expect(data.values.Handles).toBeNull();
    expect(data.null_reasons).toEqual({ Handles: '-', SessionId: 'N/A', ExitTime: 'N/A', 'File output': 'Disabled' });
    expect(data.time_notes).toEqual({ CreateTime: 'no-zone' });
    expect(data.line).toBe(4);
  });

  it('maps netscan endpoints and the connection time', () => {
    const text = [
      'Volatility 3 Framework 2.7.0',
      'Offset\tProto\tLocalAddr\tLocalPort\tForeignAddr\tForeignPort\tState\tPID\tOwner\tCreated',
      '0xe785bdc63830\tTCPv4\t10.0.0.5\t49712\t93.184.216.34\t443\tESTABLISHED\t3244\tchrome.exe\t2024-05-16 10:34:40.000000 UTC',
      '0xe785bdc63ce0\tUDPv4\t0.0.0.0\t5353\t*\t0\t\t3244\tchrome.exe\tN/A',
    ].join('\n');
    const netscan = parseVolatility(text, { name: 'netscan.txt' }).runs[0]!;
    const [tcp, udp] = [...volatilityEvents([netscan])];
    expect(tcp).toMatchObject({
      category: 'network',
      src_ip: '10.0.0.5',
      src_port: 49712,
      dst_ip: '93.184.216.34',
      dst_port: 443,
      protocol: 'tcp',
      process_pid: 3244,
      process_image: 'chrome.exe',
      ts_micros: 1_715_855_680_000_000n,
      ts_kind: 'connection created',
    });
    expect(tcp!.message).toBe('TCPv4 10.0.0.5:49712 -> 93.184.216.34:443 ESTABLISHED chrome.exe pid 3244');
    expect(udp).toMatchObject({ dst_ip: null, dst_port: null, protocol: 'udp', ts_micros: null, ts_kind: null });
  });

  it('maps cmdline to the process command line', () => {
    const csv = 'TreeDepth,PID,Process,Args\r\n0,624,svchost.exe,C:\\\\Windows\\\\system32\\\\svchost.exe -k DcomLaunch\r\n';
    const cmdline = parseVolatility(csv, { name: 'cmdline.csv' }).runs[0]!;
    const event = volatilityRowToEvent(cmdline, cmdline.rows[0]!);
    expect(event).toMatchObject({
      category: 'process',
      process_pid: 624,
      process_command_line: 'C:\\Windows\\system32\\svchost.exe -k DcomLaunch',
      ts_micros: null,
    });
  });

  it('maps other plugins to category other with a readable message', () => {
    const text = 'Volatility 3 Framework 2.7.0\nIndex\tAddress\tModule\tSymbol\n0\t0xfffff8020fa92650\tntoskrnl\tNtAccessCheck\n';
    const ssdt = parseVolatility(text, { name: 'ssdt.txt' }).runs[0]!;
    const event = volatilityRowToEvent(ssdt, ssdt.rows[0]!);
    expect(event.category).toBe('other');
    expect(event.message).toBe('unknown: Index=0 Address=0xfffff8020fa92650 Module=ntoskrnl Symbol=NtAccessCheck');
    expect(event.ts_micros).toBeNull();
  });
});
