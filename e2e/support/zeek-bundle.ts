// Writes a deterministic evidence bundle of Zeek TSV logs (conn, dns, http) plus a
// small zip of more logs. It also returns what the timeline must show for it: the event
// total, the last event, and the events of one source address and of one search term.

import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeStoredZip } from './zip.ts';

type LogName = 'conn' | 'dns' | 'http';

/** One generated record and where it sits. */
export interface GeneratedRecord {
  log: LogName;
  /** Path inside the bundle, as the evidence list names it (archive members as `extra.zip/member`). */
  evidencePath: string;
  /** 1-based line number in its log file. */
  line: number;
  tsMicros: bigint;
  uid: string;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
}

export interface GeneratedBundle {
  /** The folder to import. */
  dir: string;
  /** Records over all files, the zip's members included. */
  total: number;
  /** Every record in time order, which is the timeline's order. */
  records: GeneratedRecord[];
  /** SHA-256 of each evidence file by its path inside the bundle. */
  sha256: Map<string, string>;
  /** The record with the latest time. */
  last: GeneratedRecord;
  /** Source address of the suspect workstation and the records it originates. */
  suspect: { ip: string; records: GeneratedRecord[] };
  /** A domain that occurs only in some DNS queries and HTTP hosts, and the records that contain it. */
  searchTerm: { text: string; records: GeneratedRecord[] };
}

const LOG_HEADERS: Record<LogName, { fields: string[]; types: string[] }> = {
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
    ],
    types: ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'interval', 'count', 'count', 'string'],
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
      'query',
      'qtype_name',
      'rcode_name',
      'answers',
    ],
    types: ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'count', 'string', 'string', 'string', 'vector[string]'],
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
      'user_agent',
      'status_code',
    ],
    types: ['time', 'string', 'addr', 'port', 'addr', 'port', 'count', 'string', 'string', 'string', 'string', 'count'],
  },
};

/** Lines before the first record: #separator, #set_separator, #empty_field, #unset_field, #path, #open, #fields, #types. */
const HEADER_LINES = 8;

const SUSPECT_IP = '10.30.0.77';
const SEARCH_DOMAIN = 'exfil-drop.example.test';
const WORKSTATIONS = Array.from({ length: 60 }, (_, index) => `10.30.0.${10 + index}`);
const SERVERS = ['93.184.216.34', '198.51.100.20', '203.0.113.25', '192.0.2.77'];
const DOMAINS = ['www.example.com', 'updates.example.net', 'mail.example.org', 'cdn.example.com'];
const RESOLVER = '10.30.0.2';
/** 2024-03-10T06:00:00Z in microseconds. */
const START_MICROS = 1_710_050_400_000_000n;

/** xorshift32: small, fast and the same on every machine. */
class Xorshift {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  below(limit: number): number {
    return this.next() % limit;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

function zeekTime(micros: bigint): string {
  const seconds = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, '0');
  return `${seconds}.${fraction}`;
}

function header(log: LogName): string {
  const { fields, types } = LOG_HEADERS[log];
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    `#path\t${log}`,
    '#open\t2024-03-10-06-00-00',
    `#fields\t${fields.join('\t')}`,
    `#types\t${types.join('\t')}`,
  ].join('\n');
}

/** Display text of a time in UTC as the timeline shows it: `2024-03-10 06:00:00.000123`. */
export function utcDisplay(micros: bigint): string {
  const iso = new Date(Number(micros / 1000n)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
}

class LogWriter {
  readonly lines: string[] = [];
  constructor(
    readonly log: LogName,
    readonly evidencePath: string,
  ) {}
  add(values: string[]): number {
    this.lines.push(values.join('\t'));
    return HEADER_LINES + this.lines.length;
  }
  content(): Buffer {
    return Buffer.from(`${header(this.log)}\n${this.lines.join('\n')}\n#close\t2024-03-10-23-59-59\n`, 'utf8');
  }
}

interface Counts {
  conn: number;
  dns: number;
  http: number;
}

/**
 * Writes `dir/conn.log`, `dns.log`, `http.log` with `main` records each and
 * `dir/extra.zip` holding `extra/conn.log` and `extra/dns.log` with `zipped` records.
 * Every record has its own time: main records at `i` ms plus `i mod 997` µs, zip
 * records at an odd 999 µs offset that no main record uses, so the time order is total.
 */
export async function writeZeekBundle(dir: string, main: Counts, zipped: Pick<Counts, 'conn' | 'dns'>): Promise<GeneratedBundle> {
  await mkdir(dir, { recursive: true });
  const random = new Xorshift(20240310);
  const all: GeneratedRecord[] = [];
  const searchRecords: GeneratedRecord[] = [];

  const emit = (writer: LogWriter, tsMicros: bigint, index: number): void => {
    const uid = `C${index.toString(36).padStart(8, '0')}${random.below(1 << 20).toString(36)}`;
    const src = index % 23 === 0 ? SUSPECT_IP : random.pick(WORKSTATIONS);
    const srcPort = 49152 + random.below(16000);
    const common = [zeekTime(tsMicros), uid, src, String(srcPort)];
    let dst: string;
    let dstPort: number;
    let hasSearchTerm = false;
    if (writer.log === 'conn') {
      dst = random.pick(SERVERS);
      dstPort = random.pick([443, 80, 8443]);
      const duration = `${random.below(30)}.${String(random.below(1_000_000)).padStart(6, '0')}`;
      writer.add([
        ...common,
        dst,
        String(dstPort),
        'tcp',
        dstPort === 80 ? 'http' : 'ssl',
        duration,
        String(random.below(90_000)),
        String(random.below(900_000)),
        'SF',
      ]);
    } else if (writer.log === 'dns') {
      dst = RESOLVER;
      dstPort = 53;
      hasSearchTerm = index % 41 === 0;
      const query = hasSearchTerm ? SEARCH_DOMAIN : random.pick(DOMAINS);
      writer.add([...common, dst, '53', 'udp', String(random.below(65536)), query, 'A', 'NOERROR', random.pick(SERVERS)]);
    } else {
      dst = random.pick(SERVERS);
      dstPort = 80;
      hasSearchTerm = index % 53 === 0;
      const host = hasSearchTerm ? SEARCH_DOMAIN : random.pick(DOMAINS);
      writer.add([...common, dst, '80', '1', 'GET', host, `/files/${index}.bin`, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', '200']);
    }
    const record: GeneratedRecord = {
      log: writer.log,
      evidencePath: writer.evidencePath,
      line: HEADER_LINES + writer.lines.length,
      tsMicros,
      uid,
      src,
      srcPort,
      dst,
      dstPort,
    };
    all.push(record);
    if (hasSearchTerm) searchRecords.push(record);
  };

  const base = path.basename(dir);
  const writers: Record<LogName, LogWriter> = {
    conn: new LogWriter('conn', `${base}/conn.log`),
    dns: new LogWriter('dns', `${base}/dns.log`),
    http: new LogWriter('http', `${base}/http.log`),
  };
  const mainTotal = main.conn + main.dns + main.http;
  const remaining = { ...main };
  for (let index = 0; index < mainTotal; index += 1) {
    // Interleave the logs in proportion to their sizes, as a real capture would. Once a
    // log has all its records, the draw falls through to the next log that has room.
    let chosen: LogName = 'http';
    if (random.below(mainTotal) < main.conn) chosen = 'conn';
    else if (random.below(main.dns + main.http) < main.dns) chosen = 'dns';
    if (remaining[chosen] === 0) chosen = (['conn', 'dns', 'http'] as const).find((log) => remaining[log] > 0)!;
    remaining[chosen] -= 1;
    emit(writers[chosen], START_MICROS + BigInt(index) * 1000n + BigInt(index % 997), index);
  }

  const zippedWriters = {
    conn: new LogWriter('conn', `${base}/extra.zip/extra/conn.log`),
    dns: new LogWriter('dns', `${base}/extra.zip/extra/dns.log`),
  };
  const zippedTotal = zipped.conn + zipped.dns;
  for (let index = 0; index < zippedTotal; index += 1) {
    const writer = index < zipped.conn ? zippedWriters.conn : zippedWriters.dns;
    // Spread across the capture, always before the last main record.
    const slot = BigInt(Math.floor((index * (mainTotal - 2)) / zippedTotal));
    emit(writer, START_MICROS + slot * 1000n + 999n, mainTotal + index);
  }

  const sha256 = new Map<string, string>();
  for (const writer of Object.values(writers)) {
    const content = writer.content();
    await writeFile(path.join(dir, path.basename(writer.evidencePath)), content);
    sha256.set(writer.evidencePath, createHash('sha256').update(content).digest('hex'));
  }
  const zipEntries = Object.values(zippedWriters).map((writer) => {
    const content = writer.content();
    sha256.set(writer.evidencePath, createHash('sha256').update(content).digest('hex'));
    return { name: writer.evidencePath.slice(`${base}/extra.zip/`.length), content };
  });
  await writeStoredZip(path.join(dir, 'extra.zip'), zipEntries);

  // Times are distinct, so this order is total.
  const byTime = [...all].sort((a, b) => Number(a.tsMicros - b.tsMicros));
  return {
    dir,
    total: all.length,
    records: byTime,
    sha256,
    last: byTime.at(-1)!,
    suspect: { ip: SUSPECT_IP, records: byTime.filter((record) => record.src === SUSPECT_IP) },
    searchTerm: { text: SEARCH_DOMAIN, records: searchRecords },
  };
}
