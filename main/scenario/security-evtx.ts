// A deterministic Windows Security log written as binary EVTX with the project's own
// writer: logons (4624), process creations (4688) and logoffs (4634) on one
// workstation. Record n depends only on the seed and n, so a log of more records
// starts with the same records as a shorter one, as a later copy of a live log does.
// Element and field names follow the Security auditing manifest for these events.

import { open } from 'node:fs/promises';
import { chunkHeaderCrc } from '../formats/evtx/chunk.ts';
import { crc32 } from '../formats/evtx/crc32.ts';
import { filetimeOf, template, v, type WRecord, type WValue, writeEvtx, xml } from '../formats/evtx/writer.ts';
import { SeededRandom } from './random.ts';

const { el, sub } = xml;

export interface SecurityLogOptions {
  seed: number;
  /** Number of records. */
  records: number;
  /** EventRecordID of the first record (default 1). */
  firstRecordId?: bigint;
  /** TimeCreated of the first record, ISO 8601 UTC (default 2024-03-01T08:00:00Z). */
  start?: string;
  computer?: string;
}

const SECURITY_PROVIDER = { Name: 'Microsoft-Windows-Security-Auditing', Guid: '{54849625-5478-4994-A5BA-3E3B0328C30D}' };

/** System values, in substitution order: time, record id, process id, thread id, event id, task, computer. */
function systemElement(): ReturnType<typeof el> {
  return el(
    'System',
    {},
    el('Provider', SECURITY_PROVIDER),
    el('EventID', {}, sub(4, 0x06)),
    el('Version', {}, '2'),
    el('Level', {}, '0'),
    el('Task', {}, sub(5, 0x06)),
    el('Opcode', {}, '0'),
    el('Keywords', {}, '0x8020000000000000'),
    el('TimeCreated', { SystemTime: sub(0, 0x11) }),
    el('EventRecordID', {}, sub(1, 0x0a)),
    el('Correlation', {}),
    el('Execution', { ProcessID: sub(2, 0x08), ThreadID: sub(3, 0x08) }),
    el('Channel', {}, 'Security'),
    el('Computer', {}, sub(6, 0x01)),
    el('Security', {}),
  );
}

const SYSTEM_VALUES = 7;

function eventTemplate(fields: [string, number][]) {
  return template(
    el(
      'Event',
      { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      systemElement(),
      el('EventData', {}, ...fields.map(([name, type], i) => el('Data', { Name: name }, sub(SYSTEM_VALUES + i, type)))),
    ),
  );
}

const LOGON_FIELDS: [string, number][] = [
  ['SubjectUserSid', 0x13],
  ['SubjectUserName', 0x01],
  ['SubjectDomainName', 0x01],
  ['SubjectLogonId', 0x15],
  ['TargetUserSid', 0x13],
  ['TargetUserName', 0x01],
  ['TargetDomainName', 0x01],
  ['TargetLogonId', 0x15],
  ['LogonType', 0x08],
  ['LogonProcessName', 0x01],
  ['AuthenticationPackageName', 0x01],
  ['WorkstationName', 0x01],
  ['LogonGuid', 0x0f],
  ['ProcessId', 0x15],
  ['ProcessName', 0x01],
  ['IpAddress', 0x01],
  ['IpPort', 0x01],
];

const PROCESS_FIELDS: [string, number][] = [
  ['SubjectUserSid', 0x13],
  ['SubjectUserName', 0x01],
  ['SubjectDomainName', 0x01],
  ['SubjectLogonId', 0x15],
  ['NewProcessId', 0x15],
  ['NewProcessName', 0x01],
  ['TokenElevationType', 0x01],
  ['ProcessId', 0x15],
  ['CommandLine', 0x01],
  ['ParentProcessName', 0x01],
];

const LOGOFF_FIELDS: [string, number][] = [
  ['TargetUserSid', 0x13],
  ['TargetUserName', 0x01],
  ['TargetDomainName', 0x01],
  ['TargetLogonId', 0x15],
  ['LogonType', 0x08],
];

const TEMPLATES = {
  logon: eventTemplate(LOGON_FIELDS),
  process: eventTemplate(PROCESS_FIELDS),
  logoff: eventTemplate(LOGOFF_FIELDS),
};

const USERS = [
  ['alice', 'S-1-5-21-1004336348-1177238915-682003330-1104'],
  ['bob', 'S-1-5-21-1004336348-1177238915-682003330-1105'],
  ['carol', 'S-1-5-21-1004336348-1177238915-682003330-1106'],
  ['svc_backup', 'S-1-5-21-1004336348-1177238915-682003330-1201'],
] as const;
const PROGRAMS = [
  ['C:\\Windows\\System32\\cmd.exe', 'cmd.exe /c whoami /all'],
  ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell.exe -NoProfile -Command Get-Process'],
  ['C:\\Windows\\System32\\net.exe', 'net.exe use \\\\fileserver01\\share'],
  ['C:\\Program Files\\Mozilla Firefox\\firefox.exe', '"C:\\Program Files\\Mozilla Firefox\\firefox.exe" -contentproc'],
  ['C:\\Windows\\System32\\schtasks.exe', 'schtasks.exe /query /fo LIST'],
] as const;
const SOURCES = ['10.20.1.15', '10.20.1.23', '10.20.0.5', '-'] as const;

function guidOf(random: SeededRandom): string {
  const hex = (digits: number) =>
    Array.from({ length: digits }, () => random.int(0, 15).toString(16))
      .join('')
      .toUpperCase();
  return `{${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}}`;
}

/** Build the records of a Security log in record id order. */
export function securityLogRecords(options: SecurityLogOptions): WRecord[] {
  const out: WRecord[] = [];
  for (const record of securityLogStream(options)) out.push(record);
  return out;
}

/** Yield the records one at a time, so a large log never has to be held in memory. */
export function* securityLogStream(options: SecurityLogOptions): Generator<WRecord> {
  const random = new SeededRandom(options.seed);
  const computer = options.computer ?? 'WKS07.corp.example';
  let ticks = filetimeOf(options.start ?? '2024-03-01T08:00:00Z');
  const firstId = options.firstRecordId ?? 1n;
  for (let n = 0; n < options.records; n++) {
    const id = firstId + BigInt(n);
    // Between 0.1 ms and 3 s apart, with all seven FILETIME fraction digits in use.
    ticks += BigInt(random.int(1_000, 30_000_000));
    const [user, sid] = random.pick(USERS);
    const logonId = BigInt(random.int(0x10000, 0xffffff));
    const kind = random.next();
    const system = (eventId: number, task: number): WValue[] => [
      v.filetime(ticks),
      v.uint64(id),
      v.uint32(636),
      v.uint32(random.int(600, 9000)),
      v.uint16(eventId),
      v.uint16(task),
      v.string(computer),
    ];
    if (kind < 0.3) {
      const source = random.pick(SOURCES);
      const values = [
        ...system(4624, 12544),
        v.sid('S-1-5-18'),
        v.string('WKS07$'),
        v.string('CORP'),
        v.hex64(0x3e7n),
        v.sid(sid),
        v.string(user),
        v.string('CORP'),
        v.hex64(logonId),
        v.uint32(source === '-' ? 2 : random.pick([3, 10])),
        v.string('User32 '),
        v.string('Negotiate'),
        v.string('WKS07'),
        v.guid(guidOf(random)),
        v.hex64(BigInt(random.int(0x200, 0x2000))),
        v.string('C:\\Windows\\System32\\svchost.exe'),
        v.string(source),
        v.string(source === '-' ? '-' : String(random.int(49152, 65535))),
      ];
      yield { id, written: ticks, template: TEMPLATES.logon, values };
    } else if (kind < 0.9) {
      const [image, command] = random.pick(PROGRAMS);
      const values = [
        ...system(4688, 13312),
        v.sid(sid),
        v.string(user),
        v.string('CORP'),
        v.hex64(logonId),
        v.hex64(BigInt(random.int(0x100, 0x4000) * 4)),
        v.string(image),
        v.string('%%1938'),
        v.hex64(BigInt(random.int(0x100, 0x4000) * 4)),
        v.string(`${command} ${random.int(1, 99999)}`),
        v.string('C:\\Windows\\explorer.exe'),
      ];
      yield { id, written: ticks, template: TEMPLATES.process, values };
    } else {
      const values = [...system(4634, 12545), v.sid(sid), v.string(user), v.string('CORP'), v.hex64(logonId), v.uint32(3)];
      yield { id, written: ticks, template: TEMPLATES.logoff, values };
    }
  }
}

/** Write a complete Security.evtx in memory. */
export function writeSecurityLog(options: SecurityLogOptions): Uint8Array {
  return writeEvtx(securityLogRecords(options));
}

const FILE_HEADER_SIZE = 4096;
const CHUNK_SIZE = 65536;
const BATCH_RECORDS = 20_000;

/**
 * Writes a Security.evtx of at least `minBytes` to `file` in batches of `batchRecords`
 * (default 20,000, which is also the size granularity), so memory stays
 * flat for logs of hundreds of megabytes. Each batch is written by `writeEvtx`, and
 * its chunks are renumbered with the file-wide record numbers. The file header is
 * rewritten for the whole file at the end. Returns the number of records and bytes written.
 */
export async function writeLargeSecurityLog(
  file: string,
  options: { seed: number; minBytes: number; computer?: string; batchRecords?: number },
): Promise<{ records: number; bytes: number }> {
  const handle = await open(file, 'w');
  try {
    const stream = securityLogStream({ seed: options.seed, records: Number.MAX_SAFE_INTEGER, computer: options.computer });
    let header: Uint8Array | null = null;
    let chunks = 0;
    let records = 0;
    let bytes = FILE_HEADER_SIZE;
    await handle.write(new Uint8Array(FILE_HEADER_SIZE), 0, FILE_HEADER_SIZE, 0);
    while (bytes < options.minBytes) {
      const batch: WRecord[] = [];
      for (let i = 0; i < (options.batchRecords ?? BATCH_RECORDS); i++) batch.push(stream.next().value as WRecord);
      const written = writeEvtx(batch);
      header ??= written.slice(0, FILE_HEADER_SIZE);
      for (let offset = FILE_HEADER_SIZE; offset < written.length; offset += CHUNK_SIZE) {
        const chunk = written.subarray(offset, offset + CHUNK_SIZE);
        const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        const count = view.getBigUint64(16, true) - view.getBigUint64(8, true);
        view.setBigUint64(8, BigInt(records) + 1n, true);
        view.setBigUint64(16, BigInt(records) + 1n + count, true);
        view.setUint32(124, chunkHeaderCrc(chunk), true);
        records += Number(count) + 1;
        await handle.write(chunk, 0, chunk.length, bytes);
        bytes += chunk.length;
        chunks += 1;
      }
    }
    if (!header)
      throw new Error(`minBytes ${options.minBytes} is no larger than the ${FILE_HEADER_SIZE}-byte file header: request more bytes`);
    if (chunks > 0xffff) throw new Error(`${chunks} chunks do not fit the 16-bit chunk count of the file header: lower minBytes`);
    const view = new DataView(header.buffer);
    view.setBigUint64(16, BigInt(chunks - 1), true);
    view.setBigUint64(24, BigInt(records) + 1n, true);
    view.setUint16(42, chunks, true);
    view.setUint32(124, crc32(header, 0, 120), true);
    await handle.write(header, 0, FILE_HEADER_SIZE, 0);
    return { records, bytes };
  } finally {
    await handle.close();
  }
}
