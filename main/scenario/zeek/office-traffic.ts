// Sampled web traffic of a small office: workstations look up a site through the office
// resolver, then fetch from it over HTTP or TLS. The sample bundle and the end-to-end
// bundle draw their Zeek records from this model, each on its own schedule, and build
// the rows with rows.ts.

import type { SeededRandom } from '../random.ts';
import type { DnsLookup, HttpOptions, SslOptions, ZeekConnection, ZeekEndpoints } from './rows.ts';

export interface Site {
  name: string;
  address: string;
}

export const OFFICE_WORKSTATIONS = Array.from({ length: 24 }, (_, i) => `10.20.1.${11 + i}`);
export const OFFICE_RESOLVER = '10.20.0.2';
export const OFFICE_SITES: readonly Site[] = [
  { name: 'www.example.com', address: '93.184.216.34' },
  { name: 'updates.example.net', address: '198.51.100.20' },
  { name: 'mail.example.org', address: '203.0.113.25' },
  { name: 'intranet.corp.example', address: '10.20.0.80' },
  { name: 'cdn.example.com', address: '192.0.2.77' },
  { name: 'files.example.net', address: '198.51.100.61' },
];

const PAGES = ['index.html', 'news', 'api/v1/status', 'download/update.cab', 'images/logo.png'];
/** Three GETs to one POST. */
const METHODS = ['GET', 'GET', 'GET', 'POST'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0',
  'Microsoft-CryptoAPI/10.0',
  'Windows-Update-Agent/10.0',
];
/** Round trip of a lookup to the office resolver, microseconds. */
const RESOLVER_RTT = 1912;
const ANSWER_TTL = 300;
/** Share of requests that use TLS. */
const TLS_SHARE = 0.6;

/** A DNS lookup: its uid and endpoints, and the query with its answers. */
export interface SampledLookup {
  endpoints: ZeekEndpoints;
  lookup: DnsLookup;
}

/** Draws record values from one SeededRandom, so the same seed and the same sequence of calls give the same traffic. */
export class OfficeTraffic {
  constructor(private readonly random: SeededRandom) {}

  workstation(): string {
    return this.random.pick(OFFICE_WORKSTATIONS);
  }

  site(): Site {
    return this.random.pick(OFFICE_SITES);
  }

  /** Draws an A lookup of `site` by `client` through the office resolver. */
  lookup(client: string, site: Site): SampledLookup {
    const endpoints = this.endpoints(client, OFFICE_RESOLVER, 53);
    const transId = this.random.int(1, 65535);
    return {
      endpoints,
      lookup: { transId, rtt: RESOLVER_RTT, query: site.name, answers: [site.address], ttl: ANSWER_TTL },
    };
  }

  /** Draws a web request from `client` to `site` that starts at `start`, over TLS when `tls` is true or, when it is absent, by chance. */
  request(client: string, site: Site, start: number, tls?: boolean): ZeekConnection {
    const uid = this.random.uid();
    const srcPort = this.random.int(49152, 65535);
    const secure = tls ?? this.random.chance(TLS_SHARE);
    const bytesOut = this.random.int(300, 3000);
    const bytesIn = this.random.int(1000, 900_000);
    const duration = this.random.int(10, 9000) * 1000;
    return {
      uid,
      srcIp: client,
      srcPort,
      dstIp: site.address,
      dstPort: secure ? 443 : 80,
      proto: 'tcp',
      start,
      duration,
      bytesOut,
      bytesIn,
      service: secure ? 'ssl' : 'http',
    };
  }

  /** Draws the HTTP exchange of a plain-text `request` to `site`: one page with status 200 and the connection's inbound bytes as its body. */
  page(site: Site, request: ZeekConnection): HttpOptions {
    const uri = `/${this.random.pick(PAGES)}?id=${this.random.int(1, 99999)}`;
    return {
      method: this.random.pick(METHODS),
      host: site.name,
      uri,
      userAgent: this.random.pick(AGENTS),
      status: 200,
      statusMessage: 'OK',
      requestBytes: 0,
      responseBytes: request.bytesIn,
      mime: 'text/html',
    };
  }

  /** Returns the TLS 1.3 handshake of a request to `site`. It draws nothing, because TLS 1.3 encrypts the certificate that ssl.log would record. */
  handshake(site: Site): SslOptions {
    return { serverName: site.name, version: 'TLSv13', cipher: 'TLS_AES_128_GCM_SHA256', cert: null, validation: null };
  }

  /** Draws a connection uid and an ephemeral source port. */
  private endpoints(client: string, dstIp: string, dstPort: number): ZeekEndpoints {
    const uid = this.random.uid();
    const srcPort = this.random.int(49152, 65535);
    return { uid, srcIp: client, srcPort, dstIp, dstPort };
  }
}
