// A small, deterministic network scenario written as Zeek TSV logs (conn, dns, http,
// ssl): office workstations browsing, resolving names and talking TLS, with one host
// beaconing to an outside address every 60 seconds. It gives the README's sample case
// and the tests evidence that the project makes itself.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SeededRandom } from './random.ts';

export interface ZeekSampleOptions {
  seed: number;
  /** Approximate number of events over all logs. */
  events: number;
  /** Start of the capture, seconds since the epoch. */
  start?: number;
}

export interface ZeekSampleSummary {
  files: Record<string, number>;
  events: number;
  /** The beaconing workstation and its destination, for tests and exercises. */
  beacon: { src: string; dst: string; connections: number };
}

const WORKSTATIONS = Array.from({ length: 24 }, (_, i) => `10.20.1.${11 + i}`);
const RESOLVER = '10.20.0.2';
const SITES = [
  ['www.example.com', '93.184.216.34'],
  ['updates.example.net', '198.51.100.20'],
  ['mail.example.org', '203.0.113.25'],
  ['intranet.corp.example', '10.20.0.80'],
  ['cdn.example.com', '192.0.2.77'],
  ['files.example.net', '198.51.100.61'],
] as const;
const BEACON_SRC = '10.20.1.23';
const BEACON_DST = '185.199.110.42';
const BEACON_HOST = 'cdn-sync.example-analytics.net';
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0',
  'Microsoft-CryptoAPI/10.0',
  'Windows-Update-Agent/10.0',
];

function header(pathName: string, fields: string[], types: string[], opened: string): string {
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    `#path\t${pathName}`,
    `#open\t${opened}`,
    `#fields\t${fields.join('\t')}`,
    `#types\t${types.join('\t')}`,
  ].join('\n');
}

function zeekTime(seconds: number): string {
  return seconds.toFixed(6);
}

function openStamp(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('T', '-').replace(/:/g, '-').slice(0, 19);
}

/** Write the sample logs into `dir` and return what was written. */
export async function writeZeekSample(dir: string, options: ZeekSampleOptions): Promise<ZeekSampleSummary> {
  const random = new SeededRandom(options.seed);
  const start = options.start ?? 1_704_186_000; // 2024-01-02T09:00:00Z
  const conn: string[] = [];
  const dns: string[] = [];
  const http: string[] = [];
  const ssl: string[] = [];
  let clock = start;
  let nextBeacon = start + 30;
  let beacons = 0;
  // Each visit writes one dns, one conn and one http or ssl row; beacons write conn + ssl.
  while (conn.length + dns.length + http.length + ssl.length < options.events) {
    clock += random.int(1, 900) / 1000;
    if (clock >= nextBeacon) {
      const uid = random.uid();
      const port = random.int(49152, 65535);
      conn.push(
        [
          zeekTime(nextBeacon),
          uid,
          BEACON_SRC,
          port,
          BEACON_DST,
          443,
          'tcp',
          'ssl',
          '0.412003',
          517,
          4120,
          'SF',
          'T',
          'F',
          0,
          'ShADadFf',
          9,
          1001,
          8,
          4452,
          '(empty)',
        ].join('\t'),
      );
      ssl.push(
        [
          zeekTime(nextBeacon + 0.05),
          uid,
          BEACON_SRC,
          port,
          BEACON_DST,
          443,
          'TLSv12',
          'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
          BEACON_HOST,
          'F',
          'T',
          'self signed certificate',
        ].join('\t'),
      );
      beacons += 1;
      nextBeacon += 60;
      continue;
    }
    const client = random.pick(WORKSTATIONS);
    const [host, address] = random.pick(SITES);
    const dnsUid = random.uid();
    const dnsPort = random.int(49152, 65535);
    dns.push(
      [
        zeekTime(clock),
        dnsUid,
        client,
        dnsPort,
        RESOLVER,
        53,
        'udp',
        random.int(1, 65535),
        '0.001912',
        host,
        1,
        'C_INTERNET',
        1,
        'A',
        0,
        'NOERROR',
        'F',
        'F',
        'T',
        'T',
        0,
        address,
        '300.000000',
        'F',
      ].join('\t'),
    );
    conn.push(
      [
        zeekTime(clock),
        dnsUid,
        client,
        dnsPort,
        RESOLVER,
        53,
        'udp',
        'dns',
        '0.001912',
        36,
        52,
        'SF',
        'T',
        'T',
        0,
        'Dd',
        1,
        64,
        1,
        80,
        '(empty)',
      ].join('\t'),
    );
    const uid = random.uid();
    const port = random.int(49152, 65535);
    const tls = random.next() < 0.6;
    const bytesOut = random.int(300, 3000);
    const bytesIn = random.int(1000, 900_000);
    const at = clock + 0.01;
    conn.push(
      [
        zeekTime(at),
        uid,
        client,
        port,
        address,
        tls ? 443 : 80,
        'tcp',
        tls ? 'ssl' : 'http',
        (random.int(10, 9000) / 1000).toFixed(6),
        bytesOut,
        bytesIn,
        'SF',
        'T',
        address.startsWith('10.') ? 'T' : 'F',
        0,
        'ShADadFf',
        12,
        bytesOut + 500,
        40,
        bytesIn + 1600,
        '(empty)',
      ].join('\t'),
    );
    if (tls) {
      ssl.push([zeekTime(at + 0.02), uid, client, port, address, 443, 'TLSv13', 'TLS_AES_128_GCM_SHA256', host, 'F', 'T', 'ok'].join('\t'));
    } else {
      const uri = `/${random.pick(['index.html', 'news', 'api/v1/status', 'download/update.cab', 'images/logo.png'])}?id=${random.int(1, 99999)}`;
      http.push(
        [
          zeekTime(at + 0.02),
          uid,
          client,
          port,
          address,
          80,
          1,
          random.pick(['GET', 'GET', 'GET', 'POST']),
          host,
          uri,
          '-',
          '1.1',
          random.pick(AGENTS),
          0,
          bytesIn,
          200,
          'OK',
          '(empty)',
          '-',
          'text/html',
        ].join('\t'),
      );
    }
  }
  const opened = openStamp(start);
  const logs: Record<string, { fields: string[]; types: string[]; rows: string[] }> = {
    conn: {
      fields: [
        'ts',
        'uid',
        'id.orig_h',
        'id.orig_p',
        'id.resp_h',
        'id.resp_p',
        'proto',
        'service',
        'duration',
        'orig_bytes',
        'resp_bytes',
        'conn_state',
        'local_orig',
        'local_resp',
        'missed_bytes',
        'history',
        'orig_pkts',
        'orig_ip_bytes',
        'resp_pkts',
        'resp_ip_bytes',
        'tunnel_parents',
      ],
      types: [
        'time',
        'string',
        'addr',
        'port',
        'addr',
        'port',
        'enum',
        'string',
        'interval',
        'count',
        'count',
        'string',
        'bool',
        'bool',
        'count',
        'string',
        'count',
        'count',
        'count',
        'count',
        'set[string]',
      ],
      rows: conn,
    },
    dns: {
      fields: [
        'ts',
        'uid',
        'id.orig_h',
        'id.orig_p',
        'id.resp_h',
        'id.resp_p',
        'proto',
        'trans_id',
        'rtt',
        'query',
        'qclass',
        'qclass_name',
        'qtype',
        'qtype_name',
        'rcode',
        'rcode_name',
        'AA',
        'TC',
        'RD',
        'RA',
        'Z',
        'answers',
        'TTLs',
        'rejected',
      ],
      types: [
        'time',
        'string',
        'addr',
        'port',
        'addr',
        'port',
        'enum',
        'count',
        'interval',
        'string',
        'count',
        'string',
        'count',
        'string',
        'count',
        'string',
        'bool',
        'bool',
        'bool',
        'bool',
        'count',
        'vector[string]',
        'vector[interval]',
        'bool',
      ],
      rows: dns,
    },
    http: {
      fields: [
        'ts',
        'uid',
        'id.orig_h',
        'id.orig_p',
        'id.resp_h',
        'id.resp_p',
        'trans_depth',
        'method',
        'host',
        'uri',
        'referrer',
        'version',
        'user_agent',
        'request_body_len',
        'response_body_len',
        'status_code',
        'status_msg',
        'tags',
        'resp_fuids',
        'resp_mime_types',
      ],
      types: [
        'time',
        'string',
        'addr',
        'port',
        'addr',
        'port',
        'count',
        'string',
        'string',
        'string',
        'string',
        'string',
        'string',
        'count',
        'count',
        'count',
        'string',
        'set[enum]',
        'vector[string]',
        'vector[string]',
      ],
      rows: http,
    },
    ssl: {
      fields: [
        'ts',
        'uid',
        'id.orig_h',
        'id.orig_p',
        'id.resp_h',
        'id.resp_p',
        'version',
        'cipher',
        'server_name',
        'resumed',
        'established',
        'validation_status',
      ],
      types: ['time', 'string', 'addr', 'port', 'addr', 'port', 'string', 'string', 'string', 'bool', 'bool', 'string'],
      rows: ssl,
    },
  };
  await mkdir(dir, { recursive: true });
  const files: Record<string, number> = {};
  for (const [name, log] of Object.entries(logs)) {
    // Zeek writes rows in the order events finish; sorting by ts keeps the sample tidy.
    const rows = [...log.rows].sort((a, b) => Number(a.slice(0, a.indexOf('\t'))) - Number(b.slice(0, b.indexOf('\t'))));
    const text = `${header(name, log.fields, log.types, opened)}\n${rows.join('\n')}\n#close\t${openStamp(clock + 60)}\n`;
    await writeFile(path.join(dir, `${name}.log`), text);
    files[`${name}.log`] = rows.length;
  }
  const events = Object.values(files).reduce((sum, count) => sum + count, 0);
  return { files, events, beacon: { src: BEACON_SRC, dst: BEACON_DST, connections: beacons } };
}
