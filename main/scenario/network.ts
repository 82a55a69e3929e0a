// Network emitters: DNS lookups through the domain controller and connections as Zeek
// (conn, ssl, x509, notice, http, files), Sysmon 3 and netscan see them, with one
// 5-tuple, one start time and DNS answers before the connections that use them.

import { isInternal } from './definition.ts';
import { newRef } from './evidence.ts';
import { SPECS } from './evtx/specs.ts';
import type { Host } from './host.ts';
import { accountText, type Endpoint, type Flow, type Proc } from './model.ts';
import type { World } from './world.ts';
import {
  certificateVisible,
  connRow,
  dnsRow,
  type HttpOptions,
  httpRow,
  idColumns,
  lookupConnection,
  type SslOptions,
  sslRow,
} from './zeek/rows.ts';

export type { Certificate, HttpOptions, SslOptions } from './zeek/rows.ts';

export interface ConnectOptions {
  proc: Proc | null;
  /** Source address when no local process starts the connection (an outside attacker). */
  srcIp?: string;
  dstIp: string;
  dstPort: number;
  proto?: 'tcp' | 'udp';
  service?: string | null;
  duration: number;
  bytesOut: number;
  bytesIn: number;
  dstName?: string | null;
  connState?: string;
  history?: string;
  ssl?: SslOptions;
  http?: HttpOptions;
  /** The connection is still open when memory is captured (netscan shows it ESTABLISHED). */
  openAtCapture?: boolean;
  step?: string;
  description?: string;
}

const PORT_NAMES: Record<number, string> = {
  53: 'domain',
  80: 'http',
  88: 'kerberos',
  135: 'epmap',
  389: 'ldap',
  443: 'https',
  445: 'microsoft-ds',
  3389: 'ms-wbt-server',
};

export class NetworkEvents {
  constructor(private readonly world: World) {}

  /**
   * Resolves a name for a process through the domain controller: Zeek's dns.log and a UDP
   * conn row, and Sysmon 22 on the host. A cached answer writes nothing. Returns the first
   * address and the time the answer arrived.
   */
  resolve(proc: Proc, at: number, name: string, step?: string): { address: string; time: number } {
    this.world.check(at);
    const host = proc.host;
    const record = this.world.dns.get(name);
    if (!record) throw new Error(`scenario ${this.world.def.name}: no DNS record for ${name}`);
    const cached = host.dnsCache.get(name);
    if (cached !== undefined && cached > at) return { address: record.addresses[0]!, time: at };
    const rtt = this.world.random.int(400, 30000);
    const uid = this.world.random.uid();
    const port = host.ephemeralPort();
    const resolver = this.world.resolver;
    const dnsRef = step ? newRef(this.world.zeek.dns.evidence) : undefined;
    const lookup = { transId: this.world.random.int(1, 65535), rtt, query: name, answers: record.addresses, ttl: record.ttl };
    const endpoints = { uid, srcIp: host.ip, srcPort: port, dstIp: resolver.ip, dstPort: 53 };
    this.world.zeek.dns.add(at, dnsRow(at, endpoints, lookup), dnsRef);
    this.world.keyEvent(
      dnsRef,
      step,
      at,
      host,
      'zeek',
      'dns',
      `DNS query for ${name} from ${host.name} answered ${record.addresses.join(', ')}`,
    );
    if (host !== resolver) this.world.zeek.conn.add(at, connRow(lookupConnection(at, endpoints, lookup)));
    const sysmonRef = this.world.evtxRef(host, 'sysmon', at, step);
    this.world.windows.sysmonEvent(
      proc,
      at,
      at + rtt + this.world.random.int(100, 2000),
      SPECS.sysmonDnsQuery,
      [name, '0', record.addresses.map((address) => `::ffff:${address};`).join(''), proc.image, accountText(proc.logon.account)],
      sysmonRef,
    );
    this.world.keyEvent(sysmonRef, step, at, host, 'evtx', '22', `Sysmon: ${proc.image} resolved ${name}`);
    host.dnsCache.set(name, at + record.ttl * 1_000_000);
    return { address: record.addresses[0]!, time: at + rtt };
  }

  /** One connection as every source sees it; returns the flow with the references the key needs. */
  connect(at: number, options: ConnectOptions): Flow {
    this.world.check(at);
    const proto = options.proto ?? 'tcp';
    const proc = options.proc;
    const host = proc?.host ?? null;
    const srcIp = host?.ip ?? options.srcIp;
    if (!srcIp) throw new Error('connect: a connection needs a process or a source address');
    const srcPort = host ? host.ephemeralPort() : this.world.random.int(49152, 65535);
    const uid = this.world.random.uid();
    const step = options.step;
    const flow: Flow = {
      uid,
      proto,
      srcIp,
      srcPort,
      dstIp: options.dstIp,
      dstPort: options.dstPort,
      start: at,
      duration: options.duration,
      bytesOut: options.bytesOut,
      bytesIn: options.bytesIn,
      service: options.service ?? null,
      proc,
      dstName: options.dstName ?? null,
    };
    flow.connRef = step ? newRef(this.world.zeek.conn.evidence) : undefined;
    this.world.zeek.conn.add(at, connRow(flow, options.connState, options.history), flow.connRef);
    const where = `${srcIp}:${srcPort} -> ${options.dstIp}:${options.dstPort}`;
    this.world.keyEvent(flow.connRef, step, at, host, 'zeek', 'conn', options.description ?? `Connection ${where}`);
    if (proc && host) {
      flow.sysmonRef = this.world.evtxRef(host, 'sysmon', at, step);
      this.world.windows.sysmonEvent(
        proc,
        at,
        at + this.world.random.int(1000, 900000),
        SPECS.sysmonNetwork,
        [
          proc.image,
          accountText(proc.logon.account),
          proto,
          true,
          false,
          srcIp,
          host.fqdn,
          srcPort,
          '-',
          false,
          options.dstIp,
          options.dstName ?? '-',
          options.dstPort,
          PORT_NAMES[options.dstPort] ?? '-',
        ],
        flow.sysmonRef,
      );
      this.world.keyEvent(flow.sysmonRef, step, at, host, 'evtx', '3', `Sysmon: ${proc.image} connected ${where}`);
      if (proto === 'tcp') {
        const endpoint: Endpoint = {
          proto: 'TCPv4',
          localAddr: srcIp,
          localPort: srcPort,
          foreignAddr: options.dstIp,
          foreignPort: options.dstPort,
          state: options.openAtCapture ? 'ESTABLISHED' : 'CLOSED',
          proc,
          created: at,
          offset: host.eprocessOffset() + 0x10,
          flow,
          ...(step ? { step } : {}),
        };
        if (options.openAtCapture) host.open.add(endpoint);
        else host.rememberClosed(endpoint);
      }
    }
    if (step) this.world.key.flow(flow);
    if (options.ssl) this.tls(at, flow, options.ssl, step, host);
    if (options.http) this.http(at, flow, options.http, step, host);
    return flow;
  }

  private tls(at: number, flow: Flow, ssl: SslOptions, step: string | undefined, host: Host | null): void {
    const time = at + this.world.random.int(20000, 120000);
    const visibleCert = certificateVisible(ssl);
    const ref = step ? newRef(this.world.zeek.ssl.evidence) : undefined;
    this.world.zeek.ssl.add(time, sslRow(time, flow, ssl), ref);
    this.world.keyEvent(
      ref,
      step,
      time,
      host,
      'zeek',
      'ssl',
      `TLS to ${ssl.serverName} (${flow.dstIp})${visibleCert && ssl.cert!.selfSigned ? ' with a self-signed certificate' : ''}`,
    );
    if (!visibleCert) return;
    const cert = ssl.cert!;
    if (!this.world.seenCerts.has(cert.fingerprint)) {
      this.world.seenCerts.add(cert.fingerprint);
      const x509Ref = step ? newRef(this.world.zeek.x509.evidence) : undefined;
      this.world.zeek.x509.add(
        time,
        [
          { time },
          cert.fingerprint,
          3,
          cert.serial,
          cert.subject,
          cert.issuer,
          { time: cert.notBefore },
          { time: cert.notAfter },
          'rsaEncryption',
          'sha256WithRSAEncryption',
          'rsa',
          2048,
          '65537',
          null,
          cert.san,
          null,
          null,
          null,
          cert.selfSigned ? null : false,
          null,
          true,
          false,
        ],
        x509Ref,
      );
      this.world.keyEvent(x509Ref, step, time, host, 'zeek', 'x509', `Certificate ${cert.subject} issued by ${cert.issuer}`);
    }
    if (ssl.validation !== 'ok' && ssl.validation !== null && !this.world.noticedCerts.has(cert.fingerprint)) {
      this.world.noticedCerts.add(cert.fingerprint);
      const noticeRef = step ? newRef(this.world.zeek.notice.evidence) : undefined;
      this.world.zeek.notice.add(
        time,
        [
          ...idColumns(time, flow),
          null,
          null,
          null,
          'tcp',
          'SSL::Invalid_Server_Cert',
          `SSL certificate validation failed with (${ssl.validation})`,
          cert.subject,
          flow.srcIp,
          flow.dstIp,
          flow.dstPort,
          null,
          null,
          ['Notice::ACTION_LOG'],
          null,
          { interval: 3600 * 1_000_000 },
          null,
          null,
          null,
          null,
          null,
        ],
        noticeRef,
      );
      this.world.keyEvent(noticeRef, step, time, host, 'zeek', 'notice', `Zeek notice SSL::Invalid_Server_Cert for ${ssl.serverName}`);
    }
  }

  private http(at: number, flow: Flow, http: HttpOptions, step: string | undefined, host: Host | null): void {
    const time = at + this.world.random.int(5000, 80000);
    const fuid = http.responseBytes > 0 && http.mime ? this.world.random.uid('F') : null;
    const ref = step ? newRef(this.world.zeek.http.evidence) : undefined;
    this.world.zeek.http.add(time, httpRow(time, flow, http, fuid), ref);
    this.world.keyEvent(ref, step, time, host, 'zeek', 'http', `HTTP ${http.method} http://${http.host}${http.uri}`);
    if (!fuid) return;
    const fileTime = time + this.world.random.int(1000, 20000);
    const digest = (algorithm: 'md5' | 'sha1' | 'sha256') =>
      this.world.random.hex(algorithm === 'md5' ? 32 : algorithm === 'sha1' ? 40 : 64);
    const filesRef = step ? newRef(this.world.zeek.files.evidence) : undefined;
    this.world.zeek.files.add(
      fileTime,
      [
        { time: fileTime },
        fuid,
        flow.uid,
        flow.srcIp,
        flow.srcPort,
        flow.dstIp,
        flow.dstPort,
        'HTTP',
        0,
        ['MD5', 'SHA1', 'SHA256'],
        http.mime,
        http.filename ?? null,
        { interval: Math.min(flow.duration, this.world.random.int(1000, 900000)) },
        isInternal(flow.dstIp),
        false,
        http.responseBytes,
        http.responseBytes,
        0,
        0,
        false,
        null,
        digest('md5'),
        digest('sha1'),
        digest('sha256'),
        null,
        null,
        null,
      ],
      filesRef,
    );
    this.world.keyEvent(
      filesRef,
      step,
      fileTime,
      host,
      'zeek',
      'files',
      `File ${http.filename ?? http.uri} (${http.mime}) transferred over HTTP`,
    );
  }
}
