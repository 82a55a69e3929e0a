// The conn, dns, ssl and http rows of one connection, in the column order of
// ZEEK_SCHEMAS, with the values Zeek 6.0 derives from the traffic (packet counts,
// local_orig, which TLS fields are visible). The scenario emitters and the sampled office
// traffic both build their rows here.

import { isInternal } from '../definition.ts';
import type { ZeekValue } from './sink.ts';

/** Zeek's connection uid and the `id` 4-tuple. */
export interface ZeekEndpoints {
  uid: string;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
}

/** The connection summary that conn.log records; times in scenario microseconds. */
export interface ZeekConnection extends ZeekEndpoints {
  proto: 'tcp' | 'udp';
  start: number;
  duration: number;
  bytesOut: number;
  bytesIn: number;
  service: string | null;
}

export interface Certificate {
  fingerprint: string;
  serial: string;
  subject: string;
  issuer: string;
  notBefore: number;
  notAfter: number;
  san: string[];
  selfSigned: boolean;
}

export interface SslOptions {
  serverName: string;
  version: 'TLSv12' | 'TLSv13';
  cipher: string;
  cert: Certificate | null;
  validation: string | null;
  resumed?: boolean;
}

export interface HttpOptions {
  method: string;
  host: string;
  uri: string;
  userAgent: string;
  status: number;
  statusMessage: string;
  requestBytes: number;
  responseBytes: number;
  mime: string | null;
  filename?: string | null;
}

/** One DNS A lookup: the query, its answers and their TTL in seconds, and the round trip in microseconds. */
export interface DnsLookup {
  transId: number;
  rtt: number;
  query: string;
  answers: string[];
  ttl: number;
}

/** `ts`, `uid` and the `id.*` columns, which lead the conn, dns, ssl, http and notice rows. */
export function idColumns(time: number, flow: ZeekEndpoints): ZeekValue[] {
  return [{ time }, flow.uid, flow.srcIp, flow.srcPort, flow.dstIp, flow.dstPort];
}

/** Builds the conn.log row of `flow`. S0 and REJ connections get no duration or byte counts, because Zeek leaves them unset. */
export function connRow(flow: ZeekConnection, connState = 'SF', history?: string): ZeekValue[] {
  const tcp = flow.proto === 'tcp';
  const segment = tcp ? 1380 : 1450;
  const origPkts = Math.ceil(flow.bytesOut / segment) + (tcp ? 3 : 0);
  const respPkts = Math.ceil(flow.bytesIn / segment) + (tcp && connState !== 'S0' ? 2 : 0);
  const overhead = tcp ? 52 : 28;
  const unanswered = connState === 'S0' || connState === 'REJ';
  return [
    ...idColumns(flow.start, flow),
    flow.proto,
    flow.service,
    unanswered ? null : { interval: flow.duration },
    unanswered ? null : flow.bytesOut,
    unanswered ? null : flow.bytesIn,
    connState,
    isInternal(flow.srcIp),
    isInternal(flow.dstIp),
    0,
    history ?? defaultHistory(flow.proto, connState),
    origPkts,
    flow.bytesOut + origPkts * overhead,
    respPkts,
    flow.bytesIn + respPkts * overhead,
    null,
  ];
}

/** Zeek's `history` of a connection that ends in `connState` with no unusual packets. */
function defaultHistory(proto: 'tcp' | 'udp', connState: string): string {
  if (proto === 'udp') return 'Dd';
  if (connState === 'REJ') return 'Sr';
  if (connState === 'S0') return 'S';
  return 'ShADadFf';
}

/** Returns the UDP connection that carries `lookup`, as conn.log records it. */
export function lookupConnection(time: number, flow: ZeekEndpoints, lookup: DnsLookup): ZeekConnection {
  // A one-question A query, and an answer that repeats it plus 16 bytes per address record.
  const queryBytes = 17 + lookup.query.length + 1;
  return {
    uid: flow.uid,
    srcIp: flow.srcIp,
    srcPort: flow.srcPort,
    dstIp: flow.dstIp,
    dstPort: flow.dstPort,
    proto: 'udp',
    start: time,
    duration: lookup.rtt,
    bytesOut: queryBytes,
    bytesIn: queryBytes + 16 * lookup.answers.length,
    service: 'dns',
  };
}

/** Builds the dns.log row of an A lookup that succeeded (NOERROR) with recursion. */
export function dnsRow(time: number, flow: ZeekEndpoints, lookup: DnsLookup): ZeekValue[] {
  return [
    ...idColumns(time, flow),
    'udp',
    lookup.transId,
    { interval: lookup.rtt },
    lookup.query,
    1,
    'C_INTERNET',
    1,
    'A',
    0,
    'NOERROR',
    false,
    false,
    true,
    true,
    0,
    lookup.answers,
    lookup.answers.map(() => `${lookup.ttl}.000000`),
    false,
  ];
}

/** Returns true when ssl.log shows the server certificate: TLS 1.2 sends it in clear unless the session is resumed, TLS 1.3 encrypts it. */
export function certificateVisible(ssl: SslOptions): boolean {
  return ssl.version === 'TLSv12' && ssl.cert !== null && !ssl.resumed;
}

/** Builds the ssl.log row of a TLS handshake on `flow`. */
export function sslRow(time: number, flow: ZeekEndpoints, ssl: SslOptions): ZeekValue[] {
  const visibleCert = certificateVisible(ssl);
  return [
    ...idColumns(time, flow),
    ssl.version,
    ssl.cipher,
    'x25519',
    ssl.serverName,
    ssl.resumed ?? false,
    null,
    ssl.version === 'TLSv13' ? 'h2' : null,
    true,
    visibleCert ? 'CsxknGIi' : 'CsiI',
    visibleCert ? [ssl.cert!.fingerprint] : null,
    null,
    visibleCert ? ssl.cert!.san.includes(ssl.serverName) : null,
    visibleCert ? ssl.validation : null,
  ];
}

/** Builds the http.log row of one request; `fuid` names the files.log entry of the response body, if one is logged. */
export function httpRow(time: number, flow: ZeekEndpoints, http: HttpOptions, fuid: string | null): ZeekValue[] {
  return [
    ...idColumns(time, flow),
    1,
    http.method,
    http.host,
    http.uri,
    null,
    '1.1',
    http.userAgent,
    null,
    http.requestBytes,
    http.responseBytes,
    http.status,
    http.statusMessage,
    null,
    null,
    [],
    null,
    null,
    null,
    null,
    null,
    null,
    fuid ? [fuid] : null,
    http.filename ? [http.filename] : null,
    http.mime ? [http.mime] : null,
  ];
}
