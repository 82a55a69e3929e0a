import { describe, expect, it } from 'vitest';
import { parseText, tsvLog } from '../formats/zeek/test-helpers.ts';
import type { ZeekRecord } from '../formats/zeek/types.ts';
import { formatBytes, formatDuration, normalizeZeek, zeekRecordJson } from './zeek.ts';

function one(text: string, fileName?: string): ZeekRecord {
  const { records, summary } = parseText(text, fileName === undefined ? {} : { fileName });
  expect(summary.errors).toBe(0);
  expect(records).toHaveLength(1);
  return records[0]!;
}

const ID_FIELDS = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p'];
const ID_TYPES = ['time', 'string', 'addr', 'port', 'addr', 'port'];

describe('normalizeZeek conn', () => {
  const text = tsvLog({
    path: 'conn',
    fields: [...ID_FIELDS, 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'community_id'],
    types: [...ID_TYPES, 'enum', 'string', 'interval', 'count', 'count', 'string', 'string'],
    rows: [
      [
        '1709287200.123456',
        'CAbc1',
        '10.0.0.1',
        '49152',
        '93.184.216.34',
        '443',
        'tcp',
        'ssl',
        '1.200000',
        '5000',
        '12000',
        'SF',
        '1:xyz=',
      ],
    ],
  });

  it('fills the network columns', () => {
    const event = normalizeZeek(one(text));
    expect(event.source).toBe('zeek');
    expect(event.log).toBe('conn');
    expect(event.locator).toBe('line 9');
    expect(event.category).toBe('network');
    expect(event.ts_micros).toBe(1709287200123456n);
    expect(event.ts_note).toBeNull();
    expect(event.zeek_uid).toBe('CAbc1');
    expect(event.community_id).toBe('1:xyz=');
    expect(event.src_ip).toBe('10.0.0.1');
    expect(event.src_port).toBe(49152);
    expect(event.dst_ip).toBe('93.184.216.34');
    expect(event.dst_port).toBe(443);
    expect(event.protocol).toBe('tcp');
    expect(event.message).toBe('tcp 10.0.0.1:49152 → 93.184.216.34:443 ssl 1.2 s 5 kB/12 kB SF');
  });

  it('writes the record as exact JSON', () => {
    const data = JSON.parse(normalizeZeek(one(text)).data) as Record<string, unknown>;
    expect(data).toEqual({
      ts: '2024-03-01T10:00:00.123456Z',
      uid: 'CAbc1',
      'id.orig_h': '10.0.0.1',
      'id.orig_p': 49152,
      'id.resp_h': '93.184.216.34',
      'id.resp_p': 443,
      proto: 'tcp',
      service: 'ssl',
      duration: 1.2,
      orig_bytes: '5000',
      resp_bytes: '12000',
      conn_state: 'SF',
      community_id: '1:xyz=',
    });
  });

  it('reads underscore scope names from JSON', () => {
    const line =
      '{"@stream":"conn","ts":1588205199.82437,"uid":"C1","id_orig_h":"10.0.1.6","id_orig_p":54243,"id_resp_h":"10.0.0.4","id_resp_p":53,"proto":"udp","service":"dns","duration":0.001528,"orig_bytes":39,"resp_bytes":55,"conn_state":"SF"}';
    const event = normalizeZeek(one(line));
    expect(event.ts_micros).toBe(1588205199824370n);
    expect(event.src_ip).toBe('10.0.1.6');
    expect(event.dst_port).toBe(53);
    expect(event.message).toBe('udp 10.0.1.6:54243 → 10.0.0.4:53 dns 2 ms 39 B/55 B SF');
  });

  it('ignores name fields that only start like an address', () => {
    const record = one(
      tsvLog({
        path: 'conn',
        fields: ['ts', 'id.orig_h_name.src', 'id.orig_h_name.vals', 'id.resp_h'],
        types: ['time', 'string', 'set[string]', 'addr'],
        rows: [['1', 'DNS', 'a.test', '192.0.2.1']],
      }),
    );
    const event = normalizeZeek(record);
    expect(event.src_ip).toBeNull();
    expect(event.dst_ip).toBe('192.0.2.1');
  });

  it('brackets IPv6 endpoints', () => {
    const record = one(
      tsvLog({
        path: 'conn',
        fields: [...ID_FIELDS, 'proto'],
        types: [...ID_TYPES, 'enum'],
        rows: [['1', 'C', '2001:db8::1', '1286', '2001:db8::68', '80', 'tcp']],
      }),
    );
    expect(normalizeZeek(record).message).toBe('tcp [2001:db8::1]:1286 → [2001:db8::68]:80');
  });
});

describe('normalizeZeek dns', () => {
  it('fills query and answers', () => {
    const text = tsvLog({
      path: 'dns',
      fields: [...ID_FIELDS, 'proto', 'query', 'qtype', 'qtype_name', 'rcode', 'rcode_name', 'answers', 'TTLs'],
      types: [...ID_TYPES, 'enum', 'string', 'count', 'string', 'count', 'string', 'vector[string]', 'vector[interval]'],
      rows: [
        [
          '1709287200.000001',
          'CDns1',
          '10.0.0.5',
          '53000',
          '192.0.2.53',
          '53',
          'udp',
          'www.example.test',
          '1',
          'A',
          '0',
          'NOERROR',
          'cdn.example.test,192.0.2.80',
          '300.000000,60.000000',
        ],
      ],
    });
    const event = normalizeZeek(one(text));
    expect(event.category).toBe('dns');
    expect(event.dns_query).toBe('www.example.test');
    expect(event.dns_answers).toEqual(['cdn.example.test', '192.0.2.80']);
    expect(event.protocol).toBe('udp');
    expect(event.outcome).toBe('NOERROR');
    expect(event.message).toBe('DNS www.example.test A NOERROR → cdn.example.test, 192.0.2.80');
    const data = JSON.parse(event.data) as Record<string, unknown>;
    expect(data.TTLs).toEqual([300, 60]);
    expect(data.qtype).toBe('1');
  });

  it('handles an unanswered query', () => {
    const text = tsvLog({
      path: 'dns',
      fields: [...ID_FIELDS, 'query', 'qtype_name', 'rcode_name', 'answers'],
      types: [...ID_TYPES, 'string', 'string', 'string', 'vector[string]'],
      rows: [['1', 'C', '10.0.0.5', '53000', '192.0.2.53', '53', 'nx.example.test', 'AAAA', 'NXDOMAIN', '-']],
    });
    const event = normalizeZeek(one(text));
    expect(event.dns_answers).toBeNull();
    expect(event.message).toBe('DNS nx.example.test AAAA NXDOMAIN');
  });
});

describe('normalizeZeek http', () => {
  it('builds the URL from host and URI', () => {
    const text = tsvLog({
      path: 'http',
      fields: [...ID_FIELDS, 'method', 'host', 'uri', 'user_agent', 'status_code', 'status_msg', 'username'],
      types: [...ID_TYPES, 'string', 'string', 'string', 'string', 'count', 'string', 'string'],
      rows: [
        [
          '1709287201.5',
          'CHttp1',
          '10.0.0.5',
          '49153',
          '192.0.2.10',
          '80',
          'GET',
          'www.example.test',
          '/a?b=1',
          'curl/8.4.0',
          '200',
          'OK',
          '-',
        ],
      ],
    });
    const event = normalizeZeek(one(text));
    expect(event.category).toBe('web');
    expect(event.url).toBe('http://www.example.test/a?b=1');
    expect(event.user_agent).toBe('curl/8.4.0');
    expect(event.action).toBe('GET');
    expect(event.outcome).toBe('200');
    expect(event.user_name).toBeNull();
    expect(event.protocol).toBe('http');
    expect(event.message).toBe('GET http://www.example.test/a?b=1 → 200 OK');
  });

  it('adds a port other than 80', () => {
    const line =
      '{"_path":"http","ts":1,"uid":"C","id.orig_h":"10.0.0.5","id.orig_p":5,"id.resp_h":"192.0.2.10","id.resp_p":8080,"method":"POST","host":"h.test","uri":"/up","status_code":404}';
    const event = normalizeZeek(one(line));
    expect(event.url).toBe('http://h.test:8080/up');
    expect(event.message).toBe('POST http://h.test:8080/up → 404');
  });
});

describe('normalizeZeek ssl', () => {
  it('shows server name, version and validation', () => {
    const text = tsvLog({
      path: 'ssl',
      fields: [...ID_FIELDS, 'version', 'cipher', 'server_name', 'established', 'validation_status'],
      types: [...ID_TYPES, 'string', 'string', 'string', 'bool', 'string'],
      rows: [
        [
          '1709287202',
          'CTls1',
          '10.0.0.9',
          '51000',
          '192.0.2.50',
          '443',
          'TLSv13',
          'TLS_AES_128_GCM_SHA256',
          'www.example.test',
          'T',
          'ok',
        ],
      ],
    });
    const event = normalizeZeek(one(text));
    expect(event.category).toBe('tls');
    expect(event.protocol).toBe('tls');
    expect(event.action).toBe('TLSv13');
    expect(event.outcome).toBe('ok');
    expect(event.message).toBe('TLSv13 10.0.0.9:51000 → 192.0.2.50:443 SNI www.example.test established validation: ok');
  });
});

describe('normalizeZeek other logs', () => {
  it('maps authentication logs', () => {
    const kerberos = normalizeZeek(
      one('{"_path":"kerberos","ts":1,"uid":"C","request_type":"TGS","client":"alice/CORP.TEST","service":"cifs/fs01","success":true}'),
    );
    expect(kerberos.category).toBe('authentication');
    expect(kerberos.user_name).toBe('alice');
    expect(kerberos.user_domain).toBe('CORP.TEST');
    expect(kerberos.outcome).toBe('success');
    expect(kerberos.message).toBe('Kerberos TGS alice/CORP.TEST for cifs/fs01 success');

    const ntlm = normalizeZeek(
      one('{"_path":"ntlm","ts":1,"uid":"C","username":"bob","domainname":"CORP","hostname":"WS1","success":false}'),
    );
    expect(ntlm.user_name).toBe('bob');
    expect(ntlm.user_domain).toBe('CORP');
    expect(ntlm.host).toBe('WS1');
    expect(ntlm.outcome).toBe('failure');
    expect(ntlm.message).toBe('NTLM CORP\\bob from WS1 failure');

    const ssh = normalizeZeek(
      one(
        '{"_path":"ssh","ts":1,"uid":"C","id.orig_h":"10.0.0.1","id.orig_p":5,"id.resp_h":"10.0.0.2","id.resp_p":22,"auth_success":true}',
      ),
    );
    expect(ssh.outcome).toBe('success');
    expect(ssh.message).toBe('SSH 10.0.0.1:5 → 10.0.0.2:22 auth success');

    const rdp = normalizeZeek(one('{"_path":"rdp","ts":1,"uid":"C","cookie":"admin","result":"Success"}'));
    expect(rdp.user_name).toBe('admin');
    expect(rdp.outcome).toBe('Success');
  });

  it('maps file logs', () => {
    const files = normalizeZeek(
      one(
        '{"_path":"files","ts":1,"fuid":"F1","tx_hosts":["192.0.2.10"],"rx_hosts":["10.0.0.5"],"filename":"a.exe","mime_type":"application/x-dosexec","total_bytes":2048,"md5":"m","sha1":"s1"}',
      ),
    );
    expect(files.category).toBe('file');
    expect(files.file_path).toBe('a.exe');
    expect(files.file_hash).toBe('s1');
    expect(files.src_ip).toBe('192.0.2.10');
    expect(files.dst_ip).toBe('10.0.0.5');
    expect(files.message).toBe('file a.exe application/x-dosexec 2 kB hash s1');

    const smb = normalizeZeek(
      one(
        tsvLog({
          path: 'smb_files',
          fields: ['ts', 'action', 'path', 'name'],
          types: ['time', 'enum', 'string', 'string'],
          rows: [['1', 'SMB::FILE_OPEN', '\\\\\\\\FS01\\\\share', 'report.pdf']],
        }),
      ),
    );
    expect(smb.file_path).toBe('\\\\FS01\\share\\report.pdf');
    expect(smb.action).toBe('SMB::FILE_OPEN');

    const mapping = normalizeZeek(one('{"_path":"smb_mapping","ts":1,"path":"\\\\\\\\FS01\\\\IPC$","share_type":"PIPE"}'));
    expect(mapping.file_path).toBe('\\\\FS01\\IPC$');
    expect(mapping.category).toBe('file');
  });

  it('maps x509, notice, weird and dhcp', () => {
    const x509 = normalizeZeek(
      one(
        tsvLog({
          path: 'x509',
          fields: ['ts', 'certificate.subject', 'certificate.issuer', 'certificate.not_valid_before', 'certificate.not_valid_after'],
          types: ['time', 'string', 'string', 'time', 'time'],
          rows: [['1', 'CN=a.test', 'CN=CA', '1521703357.000000', '2.53402318799e+11']],
        }),
      ),
    );
    expect(x509.category).toBe('tls');
    expect(x509.message).toBe('certificate CN=a.test issued by CN=CA valid 2018-03-22 to +010000-01-01');
    expect(JSON.parse(x509.data)['certificate.not_valid_after']).toBe('+010000-01-01T04:59:59.000000Z');

    const notice = normalizeZeek(
      one('{"_path":"notice","ts":1,"note":"Scan::Port_Scan","msg":"10.0.0.1 scanned 20 ports","src":"10.0.0.1"}'),
    );
    expect(notice.category).toBe('other');
    expect(notice.action).toBe('alert');
    expect(notice.src_ip).toBe('10.0.0.1');
    expect(notice.message).toBe('Scan::Port_Scan: 10.0.0.1 scanned 20 ports');

    const weird = normalizeZeek(one('{"_path":"weird","ts":1,"name":"bad_TCP_checksum"}'));
    expect(weird.category).toBe('network');
    expect(weird.message).toBe('weird bad_TCP_checksum');

    const dhcp = normalizeZeek(
      one('{"_path":"dhcp","ts":1,"host_name":"ws1","assigned_addr":"10.0.0.7","mac":"00:11:22:33:44:55","msg_types":["REQUEST","ACK"]}'),
    );
    expect(dhcp.host).toBe('ws1');
    expect(dhcp.message).toBe('DHCP REQUEST/ACK ws1 assigned 10.0.0.7 MAC 00:11:22:33:44:55');
  });

  it('lists a few fields for other logs', () => {
    const event = normalizeZeek(
      one(
        tsvLog({
          path: 'modbus',
          fields: [...ID_FIELDS, 'func', 'pdu_type', 'exception', 'tid'],
          types: [...ID_TYPES, 'string', 'string', 'string', 'count'],
          rows: [['1', 'C', '10.0.0.9', '3082', '10.0.0.3', '502', 'READ_COILS', 'REQ', '-', '1']],
        }),
      ),
    );
    expect(event.category).toBe('other');
    expect(event.message).toBe('modbus func=READ_COILS pdu_type=REQ tid=1');
    expect(event.protocol).toBeNull();
  });

  it('keeps control characters out of the message', () => {
    const event = normalizeZeek(one(tsvLog({ path: 'test', fields: ['s'], types: ['string'], rows: [['foo \\x0a\\x09 bar']] })));
    expect(event.message).toBe('test s=foo \\x0a\\x09 bar');
    expect(JSON.parse(event.data).s).toBe('foo \n\t bar');
  });
});

describe('normalizeZeek time notes', () => {
  it('passes the ts flag on', () => {
    const record = one(tsvLog({ path: 'x', fields: ['ts'], types: ['time'], rows: [['-1.16444736e+10']] }));
    expect(normalizeZeek(record).ts_note).toBe('sentinel');
  });

  it('marks an unreadable ts invalid', () => {
    const { records } = parseText(tsvLog({ path: 'x', fields: ['ts', 'a'], types: ['time', 'count'], rows: [['XXXXXXXXXX.XXXXXX', '1']] }));
    const event = normalizeZeek(records[0]!);
    expect(event.ts_micros).toBeNull();
    expect(event.ts_note).toBe('invalid');
  });
});

describe('zeekRecordJson', () => {
  it('writes duplicate names with a suffix', () => {
    const record = one('{"ts":1,"x":1,"x":2}');
    expect(zeekRecordJson(record)).toBe('{"ts":"1970-01-01T00:00:01.000000Z","x":"1","x#2":"2"}');
  });

  it('writes special doubles as strings', () => {
    const record = one(tsvLog({ fields: ['d', 'b', 'v'], types: ['double', 'bool', 'set[count]'], rows: [['inf', 'T', '1,-']] }));
    expect(zeekRecordJson(record)).toBe('{"d":"Infinity","b":true,"v":["1",null]}');
  });
});

describe('message formatting', () => {
  it('formats durations', () => {
    expect(formatDuration(357n)).toBe('357 µs');
    expect(formatDuration(12_400n)).toBe('12 ms');
    expect(formatDuration(1_250_000n)).toBe('1.3 s');
    expect(formatDuration(303_000_000n)).toBe('5 min 3 s');
    expect(formatDuration(7_380_000_000n)).toBe('2 h 3 min');
  });

  it('formats byte counts', () => {
    expect(formatBytes(517n)).toBe('517 B');
    expect(formatBytes(4096n)).toBe('4 kB');
    expect(formatBytes(12_000n)).toBe('12 kB');
    expect(formatBytes(1_234_567n)).toBe('1.2 MB');
  });
});
