// The export readers on inputs written here: tolerant XML, JSON shapes and duplicate
// keys, CSV dialects, encodings, chunked reading and strict times.

import { describe, expect, it } from 'vitest';
import { decodeExportBytes, ExportTextDecoder } from './decode.ts';
import { type JsonObject, JsonSplitter, parseJson } from './json.ts';
import { detectWinExport, readWinExport, WinExportReader } from './reader.ts';
import { parseEventViewerTime, parseWinTime } from './time.ts';
import type { WinExportEvent } from './types.ts';

const NS = "xmlns='http://schemas.microsoft.com/win/2004/08/events/event'";

function xmlEvent(id: number, record: number, data: string, time = '2024-03-01T10:00:00.5318770Z'): string {
  return (
    `<Event ${NS}><System><Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>${id}</EventID>` +
    `<TimeCreated SystemTime='${time}'/><EventRecordID>${record}</EventRecordID><Channel>Security</Channel>` +
    `<Computer>WKS01</Computer></System><EventData>${data}</EventData></Event>`
  );
}

function dataOf(event: WinExportEvent, name: string | null, index = 0): string | string[] | null | undefined {
  return event.eventData?.filter((item) => item.name === name)[index]?.value;
}

describe('parseWinTime', () => {
  it('keeps seven fraction digits as micros plus nanos', () => {
    const result = parseWinTime('2024-03-01T10:00:00.5318770Z');
    expect(result.ok && result.time).toEqual({ micros: 1709287200531877n, nanos: 0 });
    const seven = parseWinTime('2023-05-03T07:36:43.9116469Z');
    expect(seven.ok && seven.time).toEqual({ micros: 1683099403911646n, nanos: 900 });
  });

  it('reads a zone-less time as UTC with a no-zone note', () => {
    const result = parseWinTime('2023-05-03 07:36:43.9116468');
    expect(result.ok && result.time).toEqual({ micros: 1683099403911646n, nanos: 800, note: 'no-zone' });
  });

  it('applies an offset written after a space', () => {
    const result = parseWinTime('2023-05-03 16:36:43.911 +09:00');
    expect(result.ok && result.time).toEqual({ micros: 1683099403911000n, nanos: 0 });
  });

  it('flags times outside the EVTX range as implausible', () => {
    const early = parseWinTime('1601-05-06T23:42:21.278515Z');
    expect(early.ok && early.time.note).toBe('implausible');
    const late = parseWinTime('+67137-05-07T00:00:00.000000Z');
    expect(late.ok && late.time.note).toBe('implausible');
    expect(late.ok && late.time.micros).toBe(BigInt(Date.UTC(67137, 4, 7)) * 1000n);
  });

  it('rejects text that is not a whole time', () => {
    expect(parseWinTime('2022-11-10T05-07-28+00:00').ok).toBe(false);
    expect(parseWinTime('2024-02-30 10:00:00').ok).toBe(false);
    expect(parseWinTime('yesterday').ok).toBe(false);
  });

  it('reads Event Viewer CSV times in the en-US form', () => {
    const result = parseEventViewerTime('3/1/2024 1:05:09 PM');
    expect(result.ok && result.time).toEqual({ micros: BigInt(Date.UTC(2024, 2, 1, 13, 5, 9)) * 1000n, nanos: 0, note: 'no-zone' });
  });
});

describe('tolerant XML', () => {
  const text =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Events>\n' +
    xmlEvent(4739, 5040, "<Data Name='A'>\u0003</Data><Data Name='B'>IKE&#x1B;</Data>") +
    '\n' +
    xmlEvent(4624, 5041, "<Data Name='W'>line1&#xD;\nline2</Data><Data Name='U'>a&b&amp;c</Data><Data Name='L'>x < y</Data>") +
    '\n</Events>\n';

  it('repairs forbidden characters and stray markup', () => {
    const result = readWinExport(text);
    expect(result.kind).toBe('xml');
    expect(result.events).toHaveLength(2);
    const [first, second] = result.events as [WinExportEvent, WinExportEvent];
    expect(dataOf(first, 'A')).toBe('\u0003');
    expect(dataOf(first, 'B')).toBe('IKE\u001b');
    expect(dataOf(second, 'W')).toBe('line1\r\nline2');
    expect(dataOf(second, 'U')).toBe('a&b&c');
    expect(dataOf(second, 'L')).toBe('x < y');
  });

  it('reports each repair with line and column', () => {
    const result = readWinExport(text);
    const repairs = result.issues.filter((issue) => issue.column !== undefined);
    expect(repairs.map((issue) => [issue.line, issue.message.split(',')[0]])).toEqual([
      [3, 'raw character U+0003'],
      [3, 'character reference &#x1B; to U+001B'],
      [5, "unescaped '&' kept as a literal '&'"],
      [5, "unescaped '<' kept as a literal '<'"],
    ]);
    const column = text.split('\n')[2]!.indexOf('\u0003') + 1;
    expect(repairs[0]!.column).toBe(column);
    expect(result.issues.some((issue) => issue.message.startsWith('the file is not well-formed XML: 4 repair(s)'))).toBe(true);
  });

  it('keeps unnamed and empty Data by position', () => {
    const event = readWinExport(xmlEvent(1, 1, '<Data>a</Data><Data></Data><Data/><Data>d</Data>')).events[0]!;
    expect(event.eventData).toEqual([
      { name: null, value: 'a' },
      { name: null, value: '' },
      { name: null, value: '' },
      { name: null, value: 'd' },
    ]);
  });

  it('reads RenderingInfo, UserData and qualifiers', () => {
    const xml =
      `<Event ${NS}><System><Provider Name='Microsoft-Windows-Eventlog'/><EventID Qualifiers='16384'>1102</EventID>` +
      "<TimeCreated SystemTime='2024-03-01T10:00:00Z'/><Channel>Security</Channel></System>" +
      "<UserData><LogFileCleared xmlns='http://manifests.microsoft.com/win/2004/08/windows/eventlog'><SubjectUserName>alice</SubjectUserName></LogFileCleared></UserData>" +
      "<RenderingInfo Culture='en-US'><Message>The audit log was cleared.</Message><Level>Information</Level><Task>Log clear</Task></RenderingInfo></Event>";
    const event = readWinExport(xml).events[0]!;
    expect(event.system.eventId).toBe(1102);
    expect(event.system.qualifiers).toBe(16384);
    expect(event.userData?.name).toBe('LogFileCleared');
    expect(event.userData?.children).toEqual([{ name: 'SubjectUserName', attributes: {}, children: ['alice'] }]);
    expect(event.rendering).toEqual({ message: 'The audit log was cleared.', level: 'Information', task: 'Log clear', opcode: null });
  });

  it('streams events split across chunks', () => {
    const many = Array.from({ length: 5 }, (_, index) => xmlEvent(4624, 100 + index, `<Data Name='N'>${index}</Data>`)).join('\r\n');
    const reader = new WinExportReader('xml');
    const events: WinExportEvent[] = [];
    for (let offset = 0; offset < many.length; offset += 37) events.push(...reader.push(many.slice(offset, offset + 37)));
    events.push(...reader.end());
    expect(events.map((event) => event.system.recordId)).toEqual([100n, 101n, 102n, 103n, 104n]);
    expect(events.map((event) => event.locator)).toEqual(['line=1', 'line=2', 'line=3', 'line=4', 'line=5']);
    expect(reader.issues).toEqual([]);
  });

  it('reports a last event without its close tag', () => {
    const result = readWinExport(`${xmlEvent(1, 1, '')}\n${xmlEvent(2, 2, "<Data Name='x'>cut").slice(0, -30)}`);
    expect(result.events).toHaveLength(2);
    expect(result.issues.some((issue) => issue.severity === 'error' && issue.line === 2)).toBe(true);
  });

  it('reports a TimeCreated that is not a time', () => {
    const result = readWinExport(xmlEvent(1, 1, '', '2024-03-01T25:00:00Z'));
    expect(result.events[0]!.system.timeCreated).toBeNull();
    expect(result.issues).toEqual([expect.objectContaining({ severity: 'error', line: 1 })]);
  });
});

describe('encodings', () => {
  const xml = xmlEvent(4624, 7, "<Data Name='TargetUserName'>Zoë</Data>");

  it('decodes UTF-16 LE and BE with a BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    expect(decodeExportBytes(le)).toEqual({ text: xml, encoding: 'utf-16le' });
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeExportBytes(be)).toEqual({ text: xml, encoding: 'utf-16be' });
  });

  it('decodes UTF-8 with a BOM and UTF-16 without one', () => {
    expect(decodeExportBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)])).text).toBe(xml);
    expect(decodeExportBytes(Buffer.from(xml, 'utf16le')).encoding).toBe('utf-16le');
  });

  it('joins characters split across chunks', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    const decoder = new ExportTextDecoder();
    let text = '';
    for (let offset = 0; offset < bytes.length; offset += 7) text += decoder.decode(bytes.subarray(offset, offset + 7));
    expect(text + decoder.end()).toBe(xml);
  });
});

describe('JSON tokenizer', () => {
  it('keeps every value of a repeated key in order', () => {
    const value = parseJson('{"Data":"a","Data":"","Data":"c","x":1}') as JsonObject;
    expect(value.duplicates.has('Data')).toBe(true);
    expect(value.get('Data')).toEqual(['a', '', 'c']);
    expect(value.keys).toEqual(['Data', 'x']);
  });

  it('keeps 64-bit numbers exact', () => {
    const value = parseJson('{"Keywords":-9223372036854775808}') as JsonObject;
    expect(String(value.get('Keywords'))).toBe('-9223372036854775808');
  });

  it('splits arrays, lines and pretty objects', () => {
    const splitter = new JsonSplitter();
    const text = '[\n {"a": "}"},\n {"b": [1, {"c": 2}]}\n]\n{\n "d": 3\n}\n';
    const pieces = [...splitter.push(text.slice(0, 9)), ...splitter.push(text.slice(9)), ...splitter.end()];
    expect(pieces).toEqual([
      { text: '{"a": "}"}', line: 2 },
      { text: '{"b": [1, {"c": 2}]}', line: 3 },
      { text: '{\n "d": 3\n}', line: 5 },
    ]);
  });
});

describe('JSON shapes', () => {
  it('reads duplicate Data keys as unnamed items with a warning', () => {
    const line =
      '{"Timestamp":"2024-03-01 10:05:00.123 +00:00","Computer":"WKS01","Channel":"PwShClassic","EventID":400,"RecordID":711,"RuleTitle":"PwSh Engine Started","ExtraFieldInfo":{"Data":"Available","Data":"None","Data":"\\tHostApplication=powershell.exe -enc SQBFAFgA\\r\\n"}}\n';
    const result = readWinExport(line);
    expect(result.kind).toBe('json-lines');
    const event = result.events[0]!;
    expect(event.shape).toBe('hayabusa');
    expect(event.system.channel).toBe('Windows PowerShell');
    expect(event.eventData).toEqual([
      { name: null, value: 'Available' },
      { name: null, value: 'None' },
      { name: null, value: '\tHostApplication=powershell.exe -enc SQBFAFgA\r\n' },
    ]);
    expect(result.issues).toEqual([
      { severity: 'warning', line: 1, message: 'key "Data" appears 3 times in one object; all values kept in order' },
    ]);
  });

  it('normalises every evtx_dump EventID form', () => {
    const lines = [
      '{"Event":{"System":{"EventID":{"#attributes":{"Qualifiers":"16384"},"#text":"1"}},"EventData":{"Data":{"#text":["a","",""]}}}}',
      '{"Event":{"System":{"EventID":{"#attributes":{"Qualifiers":32768},"#text":6009}},"EventData":{"Data":{"#text":"only"}}}}',
      '{"Event":{"System":{"EventID":4688},"EventData":{"TokenElevationType":"%%1936","CommandLine":""}}}',
      '{"Event":{"System":{"EventID":"400"},"EventData":null}}',
    ].join('\n');
    const events = readWinExport(lines).events;
    expect(events.map((event) => [event.system.eventId, event.system.qualifiers])).toEqual([
      [1, 16384],
      [6009, 32768],
      [4688, null],
      [400, null],
    ]);
    expect(events[0]!.eventData).toEqual([
      { name: null, value: 'a' },
      { name: null, value: '' },
      { name: null, value: '' },
    ]);
    expect(events[1]!.eventData).toEqual([{ name: null, value: 'only' }]);
    expect(events[2]!.eventData).toEqual([
      { name: 'TokenElevationType', value: '%%1936' },
      { name: 'CommandLine', value: '' },
    ]);
    expect(events[3]!.eventData).toEqual([]);
  });

  it('takes the NXLog UTC offset from the receipt times', () => {
    const line =
      '{"EventID":13,"Channel":"Microsoft-Windows-Sysmon/Operational","Hostname":"WKS5","SourceName":"Microsoft-Windows-Sysmon","EventTime":"2020-09-22 14:53:01","EventReceivedTime":"2020-09-22 14:53:04","@timestamp":"2020-09-22T18:53:04.182Z","Keywords":-9223372036854775808,"EventType":"SetValue","EventTypeOrignal":"INFO","TargetObject":"HKU\\\\x"}';
    const event = readWinExport(line).events[0]!;
    expect(event.shape).toBe('nxlog');
    expect(event.system.timeCreated).toEqual({ micros: BigInt(Date.UTC(2020, 8, 22, 18, 53, 1)) * 1000n, nanos: 0 });
    expect(event.system.keywords).toBe('0x8000000000000000');
    expect(event.eventData).toEqual([
      { name: 'EventType', value: 'SetValue' },
      { name: 'TargetObject', value: 'HKU\\x' },
    ]);
  });

  it('reads Sentinel events with embedded XML EventData', () => {
    const line = JSON.stringify({
      TimeGenerated: '2022-05-13T08:54:05.21Z',
      Computer: 'WKS5',
      EventSourceName: 'Microsoft-Windows-Security-Auditing',
      Channel: 'Security',
      EventData:
        '<EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event">\r\n  <Data Name="ProcessID">3936</Data>\r\n  <Data Name="Direction">%%14592</Data>\r\n</EventData>',
      EventID: 5156,
      Type: 'SecurityEvent',
    });
    const event = readWinExport(line).events[0]!;
    expect(event.shape).toBe('sentinel');
    expect(event.system.provider).toBe('Microsoft-Windows-Security-Auditing');
    expect(event.eventData).toEqual([
      { name: 'ProcessID', value: '3936' },
      { name: 'Direction', value: '%%14592' },
    ]);
  });

  it('reports a broken line and reads the next', () => {
    const result = readWinExport('{"Event":{"System":{"EventID":1}}}\n{"Event":{"System":\n{"Event":{"System":{"EventID":3}}}\n', {
      kind: 'json-lines',
    });
    expect(result.events.map((event) => event.system.eventId)).toEqual([1, 3]);
    expect(result.skipped).toBe(1);
    expect(result.issues[0]).toMatchObject({ severity: 'error', line: 2, column: 20 });
  });
});

describe('CSV dialects', () => {
  it('reads EvtxECmd rows with a multi-line field and JSON payload', () => {
    const csv =
      'RecordNumber,EventRecordId,TimeCreated,EventId,Level,Provider,Channel,ProcessId,ThreadId,Computer,UserId,MapDescription,PayloadData1,ExecutableInfo,Payload\r\n' +
      '7,7,2023-05-03 07:36:43.9116468,4688,LogAlways,Microsoft-Windows-Security-Auditing,Security,4,5512,WKS01,,A new process,"ParentProcess: x","""cmd.exe"" /c ""a & b""\r\nline2","{""EventData"":{""Data"":[{""@Name"":""NewProcessName"",""#text"":""C:\\\\cmd.exe""},{""@Name"":""CommandLine""}]}}"\r\n';
    const result = readWinExport(csv);
    expect(result.kind).toBe('csv');
    const event = result.events[0]!;
    expect(event.shape).toBe('csv-evtxecmd');
    expect(event.system.timeCreated).toEqual({ micros: 1683099403911646n, nanos: 800, note: 'no-zone' });
    expect(event.envelope.find((field) => field.name === 'ExecutableInfo')?.value).toBe('"cmd.exe" /c "a & b"\r\nline2');
    expect(event.eventData).toEqual([
      { name: 'NewProcessName', value: 'C:\\cmd.exe' },
      { name: 'CommandLine', value: '' },
    ]);
  });

  it('reads Event Viewer CSV with the unnamed message column', () => {
    const csv =
      'Level,Date and Time,Source,Event ID,Task Category\r\nInformation,3/1/2024 1:05:09 PM,Service Control Manager,7036,None,"The Windows Update service entered the running state."\r\n';
    const result = readWinExport(csv, { channel: 'System' });
    const event = result.events[0]!;
    expect(event.system).toMatchObject({ provider: 'Service Control Manager', eventId: 7036, channel: 'System' });
    expect(event.rendering?.message).toBe('The Windows Update service entered the running state.');
    expect(event.system.timeCreated?.note).toBe('no-zone');
  });
});

describe('detectWinExport', () => {
  it('claims Windows exports and leaves other files', () => {
    expect(detectWinExport(xmlEvent(1, 1, ''), 'a.xml')).toBe('xml');
    expect(detectWinExport('{"Event":{"System":{"EventID":1}}}\n', 'a.jsonl')).toBe('json-lines');
    expect(detectWinExport('[\n  {\n    "winlog": {\n      "channel": "Security"\n', 'a.json')).toBe('json');
    expect(detectWinExport('RecordNumber,EventRecordId,TimeCreated,EventId,Channel,Computer,Payload\n', 'a.csv')).toBe('csv');
    expect(detectWinExport('{"ts":1.5,"uid":"C1","_path":"conn"}\n', 'conn.log')).toBeNull();
    expect(detectWinExport('\n[\n  {\n    "CreateTime": "2023-05-03T07:36:43",\n    "PID": 4\n  }\n]\n', 'pslist.json')).toBeNull();
    expect(detectWinExport('ElfFile\u0000', 'Security.evtx')).toBeNull();
    expect(detectWinExport('message,timestamp,datetime,timestamp_desc\n', 'timeline.csv')).toBeNull();
  });
});
