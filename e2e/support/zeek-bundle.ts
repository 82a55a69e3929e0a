// Writes a deterministic evidence bundle of Zeek TSV logs (conn, dns, http) plus a
// small zip of more logs, with records drawn from the project's office traffic model. It
// also returns what the timeline must show for it: the event total, the last event, and
// the events of one source address and of one search term.

import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventCounter, type EvidenceRef, newRef } from '../../main/scenario/evidence.ts';
import { SeededRandom } from '../../main/scenario/random.ts';
import { parseIsoMicros } from '../../main/scenario/time.ts';
import { OfficeTraffic, type Site } from '../../main/scenario/zeek/office-traffic.ts';
import { connRow, dnsRow, httpRow, type ZeekEndpoints } from '../../main/scenario/zeek/rows.ts';
import { ZEEK_SCHEMAS } from '../../main/scenario/zeek/schemas.ts';
import { ZeekSink } from '../../main/scenario/zeek/sink.ts';
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

/** Not in OFFICE_WORKSTATIONS, so only the records the schedule assigns to it (every 23rd) have it as source. */
const SUSPECT_IP = '10.20.1.77';
/** A site of its own, so its name occurs in no other record. */
const SEARCH_SITE: Site = { name: 'exfil-drop.example.test', address: '203.0.113.99' };
const START_MICROS = parseIsoMicros('2024-03-10T06:00:00Z');
const CLOSE_MICROS = parseIsoMicros('2024-03-10T23:59:59Z');

interface Counts {
  conn: number;
  dns: number;
  http: number;
}

/** One log file being written and its path inside the bundle. */
interface LogFile {
  log: LogName;
  file: string;
  evidencePath: string;
  sink: ZeekSink;
}

interface Written {
  record: Omit<GeneratedRecord, 'line'>;
  ref: EvidenceRef;
  hasSearchTerm: boolean;
}

/**
 * Writes `dir/conn.log`, `dns.log`, `http.log` with `main` records each and
 * `dir/extra.zip` holding `extra/conn.log` and `extra/dns.log` with `zipped` records.
 * Every record has its own time: main records at `i` ms plus `i mod 997` µs, zip
 * records at an odd 999 µs offset that no main record uses, so the time order is total.
 */
export async function writeZeekBundle(dir: string, main: Counts, zipped: Pick<Counts, 'conn' | 'dns'>): Promise<GeneratedBundle> {
  await mkdir(dir, { recursive: true });
  const staging = await mkdtemp(path.join(tmpdir(), 'casebook-zeek-zip-'));
  const random = new SeededRandom(20240310);
  const traffic = new OfficeTraffic(random);
  const counter = new EventCounter();
  const open = (log: LogName, folder: string, evidencePath: string): LogFile => {
    const file = path.join(folder, `${log}.log`);
    return { log, file, evidencePath, sink: new ZeekSink(file, evidencePath, ZEEK_SCHEMAS[log], START_MICROS, CLOSE_MICROS, counter) };
  };
  const written: Written[] = [];

  const emit = (target: LogFile, time: number, index: number): void => {
    const src = index % 23 === 0 ? SUSPECT_IP : traffic.workstation();
    const ref = newRef(target.evidencePath);
    let endpoints: ZeekEndpoints;
    let hasSearchTerm = false;
    if (target.log === 'conn') {
      const request = traffic.request(src, traffic.site(), time);
      target.sink.add(time, connRow(request), ref);
      endpoints = request;
    } else if (target.log === 'dns') {
      hasSearchTerm = index % 41 === 0;
      const { endpoints: query, lookup } = traffic.lookup(src, hasSearchTerm ? SEARCH_SITE : traffic.site());
      target.sink.add(time, dnsRow(time, query, lookup), ref);
      endpoints = query;
    } else {
      hasSearchTerm = index % 53 === 0;
      const site = hasSearchTerm ? SEARCH_SITE : traffic.site();
      const request = traffic.request(src, site, time, false);
      target.sink.add(time, httpRow(time, request, traffic.page(site, request), null), ref);
      endpoints = request;
    }
    const record = {
      log: target.log,
      evidencePath: target.evidencePath,
      tsMicros: BigInt(time),
      uid: endpoints.uid,
      src,
      srcPort: endpoints.srcPort,
      dst: endpoints.dstIp,
      dstPort: endpoints.dstPort,
    };
    written.push({ record, ref, hasSearchTerm });
  };

  const base = path.basename(dir);
  const folderLogs: Record<LogName, LogFile> = {
    conn: open('conn', dir, `${base}/conn.log`),
    dns: open('dns', dir, `${base}/dns.log`),
    http: open('http', dir, `${base}/http.log`),
  };
  const mainTotal = main.conn + main.dns + main.http;
  const remaining = { ...main };
  for (let index = 0; index < mainTotal; index += 1) {
    // Interleave the logs in proportion to their sizes, as a real capture would. Once a
    // log has all its records, the draw falls through to the next log that has room.
    let chosen: LogName = 'http';
    if (random.int(0, mainTotal - 1) < main.conn) chosen = 'conn';
    else if (random.int(0, main.dns + main.http - 1) < main.dns) chosen = 'dns';
    if (remaining[chosen] === 0) chosen = (['conn', 'dns', 'http'] as const).find((log) => remaining[log] > 0)!;
    remaining[chosen] -= 1;
    emit(folderLogs[chosen], START_MICROS + index * 1000 + (index % 997), index);
  }

  const zipLogs = {
    conn: open('conn', staging, `${base}/extra.zip/extra/conn.log`),
    dns: open('dns', staging, `${base}/extra.zip/extra/dns.log`),
  };
  const zippedTotal = zipped.conn + zipped.dns;
  for (let index = 0; index < zippedTotal; index += 1) {
    const target = index < zipped.conn ? zipLogs.conn : zipLogs.dns;
    // Spread across the capture, always before the last main record.
    const slot = Math.floor((index * (mainTotal - 2)) / zippedTotal);
    emit(target, START_MICROS + slot * 1000 + 999, mainTotal + index);
  }

  const sha256 = new Map<string, string>();
  const finish = async (target: LogFile): Promise<Buffer> => {
    target.sink.close();
    const content = await readFile(target.file);
    sha256.set(target.evidencePath, createHash('sha256').update(content).digest('hex'));
    return content;
  };
  for (const target of Object.values(folderLogs)) await finish(target);
  const zipEntries = [];
  for (const target of Object.values(zipLogs)) zipEntries.push({ name: `extra/${target.log}.log`, content: await finish(target) });
  await writeStoredZip(path.join(dir, 'extra.zip'), zipEntries);
  await rm(staging, { recursive: true });

  const records = written.map(({ record, ref }) => ({ ...record, line: ref.line! }));
  const searchRecords = records.filter((_, index) => written[index]!.hasSearchTerm);
  // Times are distinct, so this order is total.
  const byTime = [...records].sort((a, b) => Number(a.tsMicros - b.tsMicros));
  return {
    dir,
    total: records.length,
    records: byTime,
    sha256,
    last: byTime.at(-1)!,
    suspect: { ip: SUSPECT_IP, records: byTime.filter((record) => record.src === SUSPECT_IP) },
    searchTerm: { text: SEARCH_SITE.name, records: searchRecords },
  };
}

/** Display text of a time in UTC as the timeline shows it: `2024-03-10 06:00:00.000123`. */
export function utcDisplay(micros: bigint): string {
  const iso = new Date(Number(micros / 1000n)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
}
