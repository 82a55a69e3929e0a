// A small, deterministic network sample written as Zeek TSV logs (conn, dns, http, ssl):
// office workstations looking up sites and fetching from them over HTTP or TLS, with one
// host beaconing to an outside address every 60 seconds. It gives the tests and the
// benchmark evidence that the project makes itself.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { EventCounter } from './evidence.ts';
import { SeededRandom } from './random.ts';
import { MICROS_PER_SECOND } from './time.ts';
import { OfficeTraffic } from './zeek/office-traffic.ts';
import { type Certificate, connRow, dnsRow, httpRow, lookupConnection, sslRow, type ZeekConnection } from './zeek/rows.ts';
import { ZEEK_SCHEMAS } from './zeek/schemas.ts';
import { ZeekSink } from './zeek/sink.ts';

export interface ZeekSampleOptions {
  seed: number;
  /** Number of events over all logs; the sample stops at the first visit or beacon that reaches it. */
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

const LOGS = ['conn', 'dns', 'http', 'ssl'] as const;
type SampleLog = (typeof LOGS)[number];

/** 2024-01-02T09:00:00Z. */
const DEFAULT_START_SECONDS = 1_704_186_000;
const BEACON_SRC = '10.20.1.23';
const BEACON_DST = '185.199.110.42';
const BEACON_HOST = 'cdn-sync.example-analytics.net';
const BEACON_INTERVAL = 60 * MICROS_PER_SECOND;
const BEACON_CERT: Certificate = {
  fingerprint: '4f0c4a7d1e2b9a3c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4',
  serial: '5A3D9C1E',
  subject: `CN=${BEACON_HOST}`,
  issuer: `CN=${BEACON_HOST}`,
  notBefore: 1_701_388_800 * MICROS_PER_SECOND,
  notAfter: 1_732_924_800 * MICROS_PER_SECOND,
  san: [BEACON_HOST],
  selfSigned: true,
};
/** Maximum step of the sample clock, milliseconds. */
const MAX_STEP_MS = 900;

/** Writes the sample logs into `dir` and returns what was written. */
export async function writeZeekSample(dir: string, options: ZeekSampleOptions): Promise<ZeekSampleSummary> {
  const random = new SeededRandom(options.seed);
  const traffic = new OfficeTraffic(random);
  const start = (options.start ?? DEFAULT_START_SECONDS) * MICROS_PER_SECOND;
  await mkdir(dir, { recursive: true });
  const counter = new EventCounter();
  const sinks = {} as Record<SampleLog, ZeekSink>;
  // Each sink gets its #close stamp when the sample ends.
  for (const log of LOGS) {
    sinks[log] = new ZeekSink(path.join(dir, `${log}.log`), `${log}.log`, ZEEK_SCHEMAS[log], start, start, counter);
  }

  let clock = start;
  let nextBeacon = start + 30 * MICROS_PER_SECOND;
  let beacons = 0;
  // Each visit writes one dns, two conn and one http or ssl row; each beacon writes conn and ssl.
  while (counter.count < options.events) {
    clock += random.int(1, MAX_STEP_MS) * 1000;
    // A beacon that fell due during the last step is the earliest row still to come, so
    // rows a whole step before the clock are final.
    for (const sink of Object.values(sinks)) sink.flushUntil(clock - MAX_STEP_MS * 1000 - 1);
    if (clock >= nextBeacon) {
      writeBeacon(sinks, random, nextBeacon);
      beacons += 1;
      nextBeacon += BEACON_INTERVAL;
      continue;
    }
    const client = traffic.workstation();
    const site = traffic.site();
    const { endpoints, lookup } = traffic.lookup(client, site);
    sinks.dns.add(clock, dnsRow(clock, endpoints, lookup));
    sinks.conn.add(clock, connRow(lookupConnection(clock, endpoints, lookup)));
    const request = traffic.request(client, site, clock + 10_000);
    sinks.conn.add(request.start, connRow(request));
    const answered = request.start + 20_000;
    if (request.service === 'ssl') sinks.ssl.add(answered, sslRow(answered, request, traffic.handshake(site)));
    else sinks.http.add(answered, httpRow(answered, request, traffic.page(site, request), null));
  }

  const files: Record<string, number> = {};
  for (const log of LOGS) {
    sinks[log].close(clock + 60 * MICROS_PER_SECOND);
    files[`${log}.log`] = sinks[log].records;
  }
  return { files, events: counter.count, beacon: { src: BEACON_SRC, dst: BEACON_DST, connections: beacons } };
}

/** Writes one beacon: a short TLS 1.2 connection whose self-signed certificate ssl.log shows. */
function writeBeacon(sinks: Record<SampleLog, ZeekSink>, random: SeededRandom, start: number): void {
  const beacon: ZeekConnection = {
    uid: random.uid(),
    srcIp: BEACON_SRC,
    srcPort: random.int(49152, 65535),
    dstIp: BEACON_DST,
    dstPort: 443,
    proto: 'tcp',
    start,
    duration: 412_003,
    bytesOut: 517,
    bytesIn: 4120,
    service: 'ssl',
  };
  sinks.conn.add(start, connRow(beacon));
  const handshake = start + 50_000;
  const ssl = {
    serverName: BEACON_HOST,
    version: 'TLSv12',
    cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    cert: BEACON_CERT,
    validation: 'self signed certificate',
  } as const;
  sinks.ssl.add(handshake, sslRow(handshake, beacon, ssl));
}
