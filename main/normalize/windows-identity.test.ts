// Record identity: equal for the same record read from a binary log and from exports,
// different for a record that reuses a record id with other content.

import { describe, expect, it } from 'vitest';
import { readEvtx } from '../formats/evtx/reader.ts';
import { writeEvtx } from '../formats/evtx/writer.ts';
import { readWinExport } from '../formats/winexport/reader.ts';
import { securityLogRecords } from '../scenario/security-evtx.ts';
import { windowsRecordIdentity } from './windows-identity.ts';

const NS = "xmlns='http://schemas.microsoft.com/win/2004/08/events/event'";

interface Parts {
  computer?: string;
  record?: string;
  time?: string;
  guid?: string;
  image?: string;
}

function sysmonXml(parts: Parts = {}): string {
  const record = parts.record === undefined ? '<EventRecordID>67583</EventRecordID>' : parts.record;
  return (
    `<Event ${NS}><System><Provider Name='Microsoft-Windows-Sysmon'/><EventID>1</EventID>` +
    `<TimeCreated SystemTime='${parts.time ?? '2025-12-06T21:11:02.6491508Z'}'/>${record}` +
    `<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${parts.computer ?? 'WKS01'}</Computer></System>` +
    `<EventData><Data Name='ProcessGuid'>${parts.guid ?? '{0197231E-9BE6-6934-5301-000000000B00}'}</Data>` +
    `<Data Name='Image'>${parts.image ?? 'C:\\Windows\\System32\\cmd.exe'}</Data><Data Name='RuleName'/></EventData></Event>`
  );
}

function identityOf(xml: string) {
  return windowsRecordIdentity(readWinExport(xml).events[0]!);
}

describe('windowsRecordIdentity', () => {
  it('matches binary records and their XML rendering', async () => {
    const { records } = await readEvtx(writeEvtx(securityLogRecords({ seed: 5, records: 40 })), { workers: 0 });
    const exported = readWinExport(`<Events>${records.map((record) => record.xml()).join('')}</Events>`).events;
    expect(exported).toHaveLength(40);
    const binaryKeys = records.map((record) => windowsRecordIdentity(record.event)!.key);
    expect(exported.map((event) => windowsRecordIdentity(event)!.key)).toEqual(binaryKeys);
    expect(new Set(binaryKeys).size).toBe(40);
  });

  it('separates a reused record id with other content', () => {
    const base = identityOf(sysmonXml())!;
    expect(identityOf(sysmonXml({ time: '2025-12-07T08:00:00.0000000Z' }))!.key).not.toBe(base.key);
    expect(identityOf(sysmonXml({ image: 'C:\\Windows\\System32\\whoami.exe' }))!.key).not.toBe(base.key);
    expect(identityOf(sysmonXml({ record: '<EventRecordID>67584</EventRecordID>' }))!.key).not.toBe(base.key);
  });

  it('scopes by computer and channel without case', () => {
    const base = identityOf(sysmonXml())!;
    expect(base.scope).toBe('wks01\u0001microsoft-windows-sysmon/operational');
    expect(identityOf(sysmonXml({ computer: 'wks01' }))).toEqual(base);
    const other = identityOf(sysmonXml({ computer: 'WKS02' }))!;
    expect(other.key).not.toBe(base.key);
    expect(other.scope).not.toBe(base.scope);
  });

  it('reads GUIDs and times as evtx_dump writes them', () => {
    const base = identityOf(sysmonXml())!;
    const dumped = identityOf(sysmonXml({ time: '2025-12-06T21:11:02.649150Z', guid: '0197231e-9be6-6934-5301-000000000b00' }))!;
    expect(dumped.key).toBe(base.key);
  });

  it('gives no identity without a record id', () => {
    expect(identityOf(sysmonXml({ record: '' }))).toBeNull();
  });
});
