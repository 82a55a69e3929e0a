// The running scenario: a clock, a queue of scheduled tasks and the emitters that turn
// what happens (a process starts, a user logs on, a host connects out) into records in
// every source that would see it. Each emitter writes the same PID, GUID, address, port
// and time into Sysmon, the Security log and Zeek, so the sources agree.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ScenarioDefinition } from './definition.ts';
import { isInternal } from './definition.ts';
import { EventCounter, type EvidenceRef, newRef } from './evidence.ts';
import { SPECS } from './evtx/specs.ts';
import { TimeHeap } from './heap.ts';
import { Host, type LogName } from './host.ts';
import { imageInfo, sysmonHashes } from './images.ts';
import { KeyRecorder } from './key.ts';
import { type Account, accountText, type Endpoint, type Flow, INTEGRITY_SID, type Integrity, type Logon, type Proc } from './model.ts';
import { SeededRandom } from './random.ts';
import { MICROS_PER_HOUR, parseIsoMicros, sysmonTime } from './time.ts';
import { ZEEK_LOG_NAMES, ZEEK_SCHEMAS, type ZeekLogName } from './zeek/schemas.ts';
import { ZeekSink } from './zeek/sink.ts';

export const SYSTEM_ACCOUNT: Account = { name: 'SYSTEM', domain: 'NT AUTHORITY', sid: 'S-1-5-18' };
export const LOCAL_SERVICE: Account = { name: 'LOCAL SERVICE', domain: 'NT AUTHORITY', sid: 'S-1-5-19' };
export const NETWORK_SERVICE: Account = { name: 'NETWORK SERVICE', domain: 'NT AUTHORITY', sid: 'S-1-5-20' };
const NULL_SID = 'S-1-0-0';
const NULL_GUID = '{00000000-0000-0000-0000-000000000000}';

export interface StartOptions {
  parent: Proc;
  image: string;
  commandLine: string;
  /** Logon session of the new process; default the parent's. */
  logon?: Logon;
  integrity?: Integrity;
  cwd?: string;
  /** Microseconds until the process exits; null keeps it running past the capture. */
  lifetime: number | null;
  hidden?: boolean;
  /** Answer-key step: the process and its start records go into the key. */
  step?: string;
  description?: string;
  pid?: number;
}

export interface LogonOptions {
  account: Account;
  type: number;
  sourceIp?: string;
  sourcePort?: number;
  workstation?: string;
  /** NTLM or Kerberos for network logons; interactive logons use Negotiate. */
  package?: 'NTLM' | 'Kerberos' | 'Negotiate';
  elevated?: boolean;
  session?: number | null;
  /** Also write 4672, as Windows does for accounts with administrative privileges. */
  privileged?: boolean;
  step?: string;
  description?: string;
}

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

const PRIVILEGES = [
  'SeSecurityPrivilege',
  'SeBackupPrivilege',
  'SeRestorePrivilege',
  'SeTakeOwnershipPrivilege',
  'SeDebugPrivilege',
  'SeSystemEnvironmentPrivilege',
  'SeLoadDriverPrivilege',
  'SeImpersonatePrivilege',
  'SeDelegateSessionUserImpersonatePrivilege',
].join('\n\t\t\t');

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

/** TokenElevationType of 4688: %%1936 full token (no split), %%1937 elevated, %%1938 limited. */
const TOKEN_ELEVATION: Record<Integrity, string> = { System: '%%1936', High: '%%1937', Medium: '%%1938', Low: '%%1938' };

/** LogonProcessName as 4624 writes it, trailing spaces included. */
function logonProcessName(type: number, authenticationPackage: string): string {
  if (type === 3) return authenticationPackage === 'Kerberos' ? 'Kerberos' : 'NtLmSsp ';
  if (type === 5) return 'Advapi  ';
  return 'User32 ';
}

/** IpPort of 4624: the client port for network logons when known, `-` otherwise, `0` for local logons. */
function sourcePortText(port: number | undefined, network: boolean): string {
  if (port !== undefined) return String(port);
  return network ? '-' : '0';
}

type Task = (time: number) => void;

export class World {
  readonly random: SeededRandom;
  readonly counter = new EventCounter();
  readonly key = new KeyRecorder();
  readonly start: number;
  readonly end: number;
  readonly hosts: Host[];
  readonly zeek: Record<ZeekLogName, ZeekSink>;
  readonly dns = new Map<string, { addresses: string[]; ttl: number }>();
  private readonly tasks = new TimeHeap<Task>();
  private readonly users = new Map<string, Account>();
  private readonly seenCerts = new Set<string>();
  private readonly noticedCerts = new Set<string>();
  private readonly resolver: Host;
  now: number;

  constructor(
    readonly def: ScenarioDefinition,
    readonly seed: number,
    readonly bundleDir: string,
  ) {
    this.random = new SeededRandom(seed);
    this.start = parseIsoMicros(def.start);
    this.end = this.start + Math.round(def.hours * MICROS_PER_HOUR);
    this.now = this.start;
    for (const user of def.users) {
      this.users.set(user.name, { name: user.name, domain: def.domain.netbios, sid: `${def.domain.sid}-${user.rid}` });
    }
    this.hosts = def.hosts.map(
      (host, index) =>
        new Host(host, def.domain.dnsName, def.domain.netbios, `${def.domain.sid}-${1601 + index}`, bundleDir, this.counter, this.random),
    );
    this.resolver = this.hosts.find((host) => host.role === 'dc')!;
    const zeekDir = path.join(bundleDir, 'network', 'zeek');
    mkdirSync(zeekDir, { recursive: true });
    const sinks = {} as Record<ZeekLogName, ZeekSink>;
    for (const name of ZEEK_LOG_NAMES) {
      sinks[name] = new ZeekSink(
        path.join(zeekDir, `${name}.log`),
        `network/zeek/${name}.log`,
        ZEEK_SCHEMAS[name],
        this.start,
        this.end,
        this.counter,
      );
    }
    this.zeek = sinks;
    for (const site of [...def.sites, def.updateServer]) this.addDns(site.name, [site.ip], 300);
    for (const host of this.hosts) this.addDns(host.fqdn, [host.ip], 1200);
  }

  addDns(name: string, addresses: string[], ttl: number): void {
    this.dns.set(name, { addresses, ttl });
  }

  user(name: string): Account {
    const account = this.users.get(name);
    if (!account) throw new Error(`scenario ${this.def.name}: user ${name} is not defined`);
    return account;
  }

  host(name: string): Host {
    const host = this.hosts.find((candidate) => candidate.name === name);
    if (!host) throw new Error(`scenario ${this.def.name}: host ${name} is not defined`);
    return host;
  }

  // ---- Scheduling ----------------------------------------------------------------------

  schedule(time: number, task: Task): void {
    this.tasks.push(Math.max(time, this.now), task);
  }

  /** Runs every task due before the end of the logged period, writing records as the clock passes them. */
  run(): void {
    while (this.tasks.peekTime() < this.end) {
      const { time, item } = this.tasks.pop()!;
      this.now = time;
      this.flushUntil(time - 1);
      item(time);
    }
    this.now = this.end;
  }

  private flushUntil(time: number): void {
    for (const host of this.hosts) for (const sink of Object.values(host.logs)) sink.flushUntil(time);
    for (const sink of Object.values(this.zeek)) sink.flushUntil(time);
  }

  close(): void {
    for (const host of this.hosts) host.closeLogs();
    for (const sink of Object.values(this.zeek)) sink.close();
  }

  private check(time: number): void {
    if (time < this.now) throw new Error(`record at ${time} is earlier than the scenario clock ${this.now}`);
  }

  // ---- Accounts --------------------------------------------------------------------------

  /** Account fields as the Security log writes a subject: SYSTEM appears as the computer account. */
  private subject(host: Host, logon: Logon): { sid: string; name: string; domain: string; logonId: bigint } {
    const sid = logon.account.sid;
    if (sid === SYSTEM_ACCOUNT.sid) return { sid, name: host.computer.name, domain: host.computer.domain, logonId: 0x3e7n };
    return { sid, name: logon.account.name, domain: logon.account.domain, logonId: logon.id };
  }

  private keyEvent(
    ref: EvidenceRef | undefined,
    step: string | undefined,
    time: number,
    host: Host | null,
    source: 'evtx' | 'zeek',
    code: string,
    description: string,
  ): void {
    if (ref && step) this.key.event(ref, { step, time, host: host?.name ?? null, source, code, description });
  }

  private evtxRef(host: Host, log: LogName, time: number, step: string | undefined): EvidenceRef | undefined {
    if (!step) return undefined;
    let clearedAt: number | null = null;
    if (log === 'security') clearedAt = host.securityClearedAt;
    if (log === 'system') clearedAt = host.systemClearedAt;
    if (clearedAt !== null && time < clearedAt) return undefined;
    return newRef(host.logs[log].evidence);
  }

  private sysmonSystem(host: Host) {
    return {
      processId: host.known.sysmon!.pid,
      threadId: host.known.sysmon!.threads * 4 + 3000,
      computer: host.fqdn,
      userSid: SYSTEM_ACCOUNT.sid,
    };
  }

  private securitySystem(host: Host) {
    return { processId: host.known.lsass!.pid, threadId: this.random.int(180, 260) * 4, computer: host.fqdn, userSid: null };
  }

  // ---- Processes -------------------------------------------------------------------------

  /** Creates a process record without writing any event, for processes that predate the logs. */
  bootProcess(
    host: Host,
    options: Omit<StartOptions, 'lifetime' | 'parent'> & {
      parent: Proc | null;
      ppid?: number;
      at: number;
      logon: Logon;
      session?: number | null;
    },
  ): Proc {
    const pid = options.pid ?? host.allocatePid();
    const proc: Proc = {
      host,
      pid,
      ppid: options.ppid ?? options.parent?.pid ?? 0,
      parent: options.parent,
      guid: host.processGuid(options.at),
      image: options.image,
      commandLine: options.commandLine,
      cwd: options.cwd ?? 'C:\\Windows\\system32\\',
      logon: options.logon,
      integrity: options.integrity ?? host.integrityOf(options.logon),
      start: options.at,
      end: null,
      threads: this.random.int(1, 40),
      handles: this.random.int(80, 1800),
      offset: host.eprocessOffset(),
      hidden: false,
    };
    host.live.set(pid, proc);
    return proc;
  }

  startProcess(at: number, options: StartOptions): Proc {
    this.check(at);
    const host = options.parent.host;
    const logon = options.logon ?? options.parent.logon;
    const pid = options.pid ?? host.allocatePid();
    const proc: Proc = {
      host,
      pid,
      ppid: options.parent.pid,
      parent: options.parent,
      guid: host.processGuid(at),
      image: options.image,
      commandLine: options.commandLine,
      cwd: options.cwd ?? options.parent.cwd,
      logon,
      integrity: options.integrity ?? host.integrityOf(logon),
      start: at,
      end: null,
      threads: this.random.int(2, 24),
      handles: this.random.int(60, 900),
      offset: host.eprocessOffset(),
      hidden: options.hidden ?? false,
      ...(options.step ? { step: options.step } : {}),
    };
    host.live.set(pid, proc);
    if (options.step) {
      host.reserved.add(pid);
      this.key.process(proc);
    }
    const description = options.description ?? `${proc.image} started: ${proc.commandLine}`;
    const parent = options.parent;
    const info = imageInfo(proc.image);
    const sysmonRef = this.evtxRef(host, 'sysmon', at, options.step);
    host.logs.sysmon.add(
      at + this.random.int(200, 4000),
      SPECS.sysmonProcessCreated,
      this.sysmonSystem(host),
      [
        '-',
        sysmonTime(at),
        proc.guid,
        proc.pid,
        proc.image,
        info.fileVersion,
        info.description,
        info.product,
        info.company,
        info.originalFileName,
        proc.commandLine,
        proc.cwd,
        accountText(logon.account),
        logon.guid,
        logon.id,
        logon.session ?? 0,
        proc.integrity,
        sysmonHashes(proc.image),
        parent.guid,
        parent.pid,
        parent.image,
        parent.commandLine,
        accountText(parent.logon.account),
      ],
      sysmonRef,
    );
    this.keyEvent(sysmonRef, options.step, at, host, 'evtx', '1', `Sysmon: ${description}`);
    const creator = this.subject(host, parent.logon);
    const sameAccount = parent.logon.account.sid === logon.account.sid;
    const target = sameAccount ? null : this.subject(host, logon);
    const elevation = TOKEN_ELEVATION[proc.integrity];
    const securityRef = this.evtxRef(host, 'security', at, options.step);
    host.logs.security.add(
      at,
      SPECS.processCreated,
      this.securitySystem(host),
      [
        creator.sid,
        creator.name,
        creator.domain,
        creator.logonId,
        BigInt(proc.pid),
        proc.image,
        elevation,
        BigInt(parent.pid),
        proc.commandLine,
        target?.sid ?? NULL_SID,
        target?.name ?? '-',
        target?.domain ?? '-',
        target?.logonId ?? 0n,
        parent.image,
        INTEGRITY_SID[proc.integrity],
      ],
      securityRef,
    );
    this.keyEvent(securityRef, options.step, at, host, 'evtx', '4688', `Security: ${description}`);
    if (options.lifetime !== null) {
      const end = at + Math.max(options.lifetime, 1000);
      this.schedule(end, (time) => this.exitProcess(proc, time));
    }
    return proc;
  }

  exitProcess(proc: Proc, at: number): void {
    if (proc.end !== null) return;
    this.check(at);
    const host = proc.host;
    proc.end = at;
    host.live.delete(proc.pid);
    host.rememberExited(proc);
    host.logs.sysmon.add(at + this.random.int(100, 2000), SPECS.sysmonProcessTerminated, this.sysmonSystem(host), [
      '-',
      sysmonTime(at),
      proc.guid,
      proc.pid,
      proc.image,
      accountText(proc.logon.account),
    ]);
    const subject = this.subject(host, proc.logon);
    host.logs.security.add(at, SPECS.processExited, this.securitySystem(host), [
      subject.sid,
      subject.name,
      subject.domain,
      subject.logonId,
      0,
      BigInt(proc.pid),
      proc.image,
    ]);
  }

  fileCreated(proc: Proc, at: number, file: string, step?: string, description?: string): void {
    this.check(at);
    const host = proc.host;
    const ref = this.evtxRef(host, 'sysmon', at, step);
    host.logs.sysmon.add(
      at + this.random.int(100, 3000),
      SPECS.sysmonFileCreated,
      this.sysmonSystem(host),
      ['-', sysmonTime(at), proc.guid, proc.pid, proc.image, file, sysmonTime(at), accountText(proc.logon.account)],
      ref,
    );
    this.keyEvent(ref, step, at, host, 'evtx', '11', description ?? `Sysmon: ${proc.image} created ${file}`);
  }

  processAccess(source: Proc, target: Proc, at: number, access: string, callTrace: string, step?: string, description?: string): void {
    this.check(at);
    const host = source.host;
    const ref = this.evtxRef(host, 'sysmon', at, step);
    host.logs.sysmon.add(
      at + this.random.int(100, 3000),
      SPECS.sysmonProcessAccess,
      this.sysmonSystem(host),
      [
        '-',
        sysmonTime(at),
        source.guid,
        source.pid,
        this.random.int(300, 2000) * 4,
        source.image,
        target.guid,
        target.pid,
        target.image,
        access,
        callTrace,
        accountText(source.logon.account),
        accountText(target.logon.account),
      ],
      ref,
    );
    this.keyEvent(ref, step, at, host, 'evtx', '10', description ?? `Sysmon: ${source.image} opened ${target.image}`);
  }

  /** Writes a PowerShell script block as 4104 events, split into parts of at most `partSize` characters. */
  scriptBlock(
    proc: Proc,
    at: number,
    text: string,
    options: { suspicious?: boolean; path?: string; step?: string; description?: string; partSize?: number } = {},
  ): void {
    this.check(at);
    const host = proc.host;
    const partSize = options.partSize ?? 16000;
    const parts: string[] = [];
    for (let offset = 0; offset < text.length; offset += partSize) parts.push(text.slice(offset, offset + partSize));
    if (parts.length === 0) parts.push('');
    const blockId = this.random.guid().slice(1, -1).toLowerCase();
    const activityId = this.random.guid();
    parts.forEach((part, index) => {
      const time = at + index * this.random.int(200, 900);
      const ref = this.evtxRef(host, 'powershell', time, options.step);
      host.logs.powershell.add(
        time,
        SPECS.scriptBlock,
        {
          processId: proc.pid,
          threadId: this.random.int(500, 3000) * 4,
          computer: host.fqdn,
          userSid: proc.logon.account.sid,
          activityId,
          level: options.suspicious ? 3 : 5,
        },
        [index + 1, parts.length, part, blockId, options.path ?? ''],
        ref,
      );
      this.keyEvent(
        ref,
        options.step,
        time,
        host,
        'evtx',
        '4104',
        `${options.description ?? 'PowerShell script block'} (part ${index + 1} of ${parts.length})`,
      );
    });
  }

  // ---- Logons and services -----------------------------------------------------------------

  logon(host: Host, at: number, options: LogonOptions): Logon {
    this.check(at);
    const network = options.type === 3;
    const logon: Logon = {
      id: host.newLogonId(),
      guid: options.package === 'Kerberos' ? host.logonGuid() : NULL_GUID,
      account: options.account,
      type: options.type,
      session: options.session ?? (network ? 0 : 1),
      elevated: options.elevated ?? false,
    };
    const viaSystem = !network;
    const subject = viaSystem ? this.subject(host, host.systemLogon) : { sid: NULL_SID, name: '-', domain: '-', logonId: 0n };
    const pkg = options.package ?? (network ? 'NTLM' : 'Negotiate');
    const processName =
      options.type === 2 || options.type === 10 || options.type === 7
        ? 'C:\\Windows\\System32\\svchost.exe'
        : options.type === 5
          ? 'C:\\Windows\\System32\\services.exe'
          : '-';
    const processId =
      processName === '-' ? 0n : BigInt(processName.endsWith('services.exe') ? host.known.services!.pid : host.known.winlogonHost!.pid);
    const logonProcess = logonProcessName(options.type, pkg);
    const ref = this.evtxRef(host, 'security', at, options.step);
    host.logs.security.add(
      at,
      SPECS.logon,
      this.securitySystem(host),
      [
        subject.sid,
        subject.name,
        subject.domain,
        subject.logonId,
        options.account.sid,
        options.account.name,
        options.account.domain,
        logon.id,
        options.type,
        logonProcess,
        pkg,
        options.workstation ?? (network ? '-' : host.name),
        logon.guid,
        '-',
        pkg === 'NTLM' ? 'NTLM V2' : '-',
        pkg === 'NTLM' ? 128 : 0,
        processId,
        processName,
        options.sourceIp ?? (network ? '-' : '127.0.0.1'),
        sourcePortText(options.sourcePort, network),
        '%%1833',
        options.type === 10 ? '%%1843' : '-',
        '-',
        '-',
        '%%1843',
        0n,
        options.privileged || options.elevated ? '%%1842' : '%%1843',
      ],
      ref,
    );
    const accountName = accountText(options.account);
    this.keyEvent(
      ref,
      options.step,
      at,
      host,
      'evtx',
      '4624',
      options.description ?? `Logon type ${options.type} of ${accountName} from ${options.sourceIp ?? 'local'}`,
    );
    if (options.privileged) {
      const privRef = this.evtxRef(host, 'security', at, options.step);
      const s = this.subject(host, logon);
      host.logs.security.add(
        at,
        SPECS.specialPrivileges,
        this.securitySystem(host),
        [s.sid, s.name, s.domain, s.logonId, PRIVILEGES],
        privRef,
      );
      this.keyEvent(privRef, options.step, at, host, 'evtx', '4672', `Special privileges assigned to ${accountName}`);
    }
    return logon;
  }

  failedLogon(
    host: Host,
    at: number,
    options: {
      userName: string;
      domain: string;
      sourceIp: string;
      sourcePort: number;
      workstation: string;
      unknownUser: boolean;
      step?: string;
    },
  ): EvidenceRef | undefined {
    this.check(at);
    const ref = this.evtxRef(host, 'security', at, options.step);
    host.logs.security.add(
      at,
      SPECS.logonFailed,
      this.securitySystem(host),
      [
        NULL_SID,
        '-',
        '-',
        0n,
        NULL_SID,
        options.userName,
        options.domain,
        0xc000006d,
        '%%2313',
        options.unknownUser ? 0xc0000064 : 0xc000006a,
        3,
        'NtLmSsp ',
        'NTLM',
        options.workstation,
        '-',
        '-',
        0,
        0n,
        '-',
        options.sourceIp,
        String(options.sourcePort),
      ],
      ref,
    );
    this.keyEvent(
      ref,
      options.step,
      at,
      host,
      'evtx',
      '4625',
      `Failed network logon for ${options.domain}\\${options.userName} from ${options.sourceIp}`,
    );
    return ref;
  }

  serviceState(host: Host, at: number, service: { key: string; display: string }, running: boolean, step?: string): void {
    this.check(at);
    const ref = this.evtxRef(host, 'system', at, step);
    const binary = Buffer.from(`${service.key}/${running ? 4 : 1}\0`, 'utf16le');
    host.logs.system.add(
      at,
      SPECS.serviceState,
      { processId: host.known.services!.pid, threadId: this.random.int(100, 900) * 4, computer: host.fqdn, userSid: null },
      [service.display, running ? 'running' : 'stopped', new Uint8Array(binary)],
      ref,
    );
    this.keyEvent(ref, step, at, host, 'evtx', '7036', `Service ${service.display} entered the ${running ? 'running' : 'stopped'} state`);
  }

  serviceInstalled(host: Host, at: number, by: Logon, service: { name: string; imagePath: string }, step?: string): void {
    this.check(at);
    const systemRef = this.evtxRef(host, 'system', at, step);
    host.logs.system.add(
      at,
      SPECS.serviceInstalled,
      { processId: host.known.services!.pid, threadId: this.random.int(100, 900) * 4, computer: host.fqdn, userSid: by.account.sid },
      [service.name, service.imagePath, 'user mode service', 'demand start', 'LocalSystem'],
      systemRef,
    );
    this.keyEvent(systemRef, step, at, host, 'evtx', '7045', `Service ${service.name} installed: ${service.imagePath}`);
    const s = this.subject(host, by);
    const securityRef = this.evtxRef(host, 'security', at, step);
    host.logs.security.add(
      at,
      SPECS.serviceInstalledAudit,
      this.securitySystem(host),
      [s.sid, s.name, s.domain, s.logonId, service.name, service.imagePath, 0x10, 3, 'LocalSystem'],
      securityRef,
    );
    this.keyEvent(securityRef, step, at, host, 'evtx', '4697', `Service ${service.name} installed by ${s.domain}\\${s.name}`);
  }

  /** Clears a log as `wevtutil cl` does: the log restarts with 1102 (Security) or 104 (System). */
  clearLog(host: Host, log: 'security' | 'system', at: number, by: Logon, step?: string): void {
    this.check(at);
    this.flushUntil(at - 1);
    host.logs[log].clear(at);
    const ref = step ? newRef(host.logs[log].evidence) : undefined;
    const eventlog = host.known.eventlog!;
    if (log === 'security') {
      const s = this.subject(host, by);
      host.logs.security.add(
        at,
        SPECS.securityLogCleared,
        { processId: eventlog.pid, threadId: this.random.int(300, 900) * 4, computer: host.fqdn, userSid: null },
        [s.sid, s.name, s.domain, s.logonId],
        ref,
      );
      this.keyEvent(ref, step, at, host, 'evtx', '1102', `Security log cleared by ${s.domain}\\${s.name}`);
    } else {
      host.logs.system.add(
        at,
        SPECS.systemLogCleared,
        { processId: eventlog.pid, threadId: this.random.int(300, 900) * 4, computer: host.fqdn, userSid: by.account.sid },
        [by.account.name, by.account.domain, 'System', ''],
        ref,
      );
      this.keyEvent(ref, step, at, host, 'evtx', '104', `System log cleared by ${accountText(by.account)}`);
    }
  }

  // ---- Network -----------------------------------------------------------------------------

  /**
   * Resolves a name for a process through the domain controller: Zeek's dns.log and a UDP
   * conn row, and Sysmon 22 on the host. A cached answer writes nothing. Returns the first
   * address and the time the answer arrived.
   */
  resolve(proc: Proc, at: number, name: string, step?: string): { address: string; time: number } {
    this.check(at);
    const host = proc.host;
    const record = this.dns.get(name);
    if (!record) throw new Error(`scenario ${this.def.name}: no DNS record for ${name}`);
    const cached = host.dnsCache.get(name);
    if (cached !== undefined && cached > at) return { address: record.addresses[0]!, time: at };
    const rtt = this.random.int(400, 30000);
    const uid = this.random.uid();
    const port = host.ephemeralPort();
    const resolver = this.resolver;
    const dnsRef = step ? newRef(this.zeek.dns.evidence) : undefined;
    const queryBytes = 17 + name.length + 1;
    const answerBytes = queryBytes + 16 * record.addresses.length;
    this.zeek.dns.add(
      at,
      [
        { time: at },
        uid,
        host.ip,
        port,
        resolver.ip,
        53,
        'udp',
        this.random.int(1, 65535),
        { interval: rtt },
        name,
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
        record.addresses,
        record.addresses.map(() => `${record.ttl}.000000`),
        false,
      ],
      dnsRef,
    );
    this.keyEvent(dnsRef, step, at, host, 'zeek', 'dns', `DNS query for ${name} from ${host.name} answered ${record.addresses.join(', ')}`);
    if (host !== resolver) {
      this.zeek.conn.add(at, [
        { time: at },
        uid,
        host.ip,
        port,
        resolver.ip,
        53,
        'udp',
        'dns',
        { interval: rtt },
        queryBytes,
        answerBytes,
        'SF',
        true,
        true,
        0,
        'Dd',
        1,
        queryBytes + 28,
        1,
        answerBytes + 28,
        null,
      ]);
    }
    const sysmonRef = this.evtxRef(host, 'sysmon', at, step);
    host.logs.sysmon.add(
      at + rtt + this.random.int(100, 2000),
      SPECS.sysmonDnsQuery,
      this.sysmonSystem(host),
      [
        '-',
        sysmonTime(at),
        proc.guid,
        proc.pid,
        name,
        '0',
        record.addresses.map((address) => `::ffff:${address};`).join(''),
        proc.image,
        accountText(proc.logon.account),
      ],
      sysmonRef,
    );
    this.keyEvent(sysmonRef, step, at, host, 'evtx', '22', `Sysmon: ${proc.image} resolved ${name}`);
    host.dnsCache.set(name, at + record.ttl * 1_000_000);
    return { address: record.addresses[0]!, time: at + rtt };
  }

  /** One connection as every source sees it; returns the flow with the references the key needs. */
  connect(at: number, options: ConnectOptions): Flow {
    this.check(at);
    const proto = options.proto ?? 'tcp';
    const proc = options.proc;
    const host = proc?.host ?? null;
    const srcIp = host?.ip ?? options.srcIp;
    if (!srcIp) throw new Error('connect: a connection needs a process or a source address');
    const srcPort = host ? host.ephemeralPort() : this.random.int(49152, 65535);
    const uid = this.random.uid();
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
    const connState = options.connState ?? 'SF';
    const segment = proto === 'tcp' ? 1380 : 1450;
    const origPkts = Math.ceil(options.bytesOut / segment) + (proto === 'tcp' ? 3 : 0);
    const respPkts = Math.ceil(options.bytesIn / segment) + (proto === 'tcp' && connState !== 'S0' ? 2 : 0);
    const overhead = proto === 'tcp' ? 52 : 28;
    flow.connRef = step ? newRef(this.zeek.conn.evidence) : undefined;
    this.zeek.conn.add(
      at,
      [
        { time: at },
        uid,
        srcIp,
        srcPort,
        options.dstIp,
        options.dstPort,
        proto,
        options.service ?? null,
        connState === 'S0' || connState === 'REJ' ? null : { interval: options.duration },
        connState === 'S0' || connState === 'REJ' ? null : options.bytesOut,
        connState === 'S0' || connState === 'REJ' ? null : options.bytesIn,
        connState,
        isInternal(srcIp),
        isInternal(options.dstIp),
        0,
        options.history ?? (proto === 'udp' ? 'Dd' : connState === 'REJ' ? 'Sr' : connState === 'S0' ? 'S' : 'ShADadFf'),
        origPkts,
        options.bytesOut + origPkts * overhead,
        respPkts,
        options.bytesIn + respPkts * overhead,
        null,
      ],
      flow.connRef,
    );
    const where = `${srcIp}:${srcPort} -> ${options.dstIp}:${options.dstPort}`;
    this.keyEvent(flow.connRef, step, at, host, 'zeek', 'conn', options.description ?? `Connection ${where}`);
    if (proc && host) {
      flow.sysmonRef = this.evtxRef(host, 'sysmon', at, step);
      host.logs.sysmon.add(
        at + this.random.int(1000, 900000),
        SPECS.sysmonNetwork,
        this.sysmonSystem(host),
        [
          '-',
          sysmonTime(at),
          proc.guid,
          proc.pid,
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
      this.keyEvent(flow.sysmonRef, step, at, host, 'evtx', '3', `Sysmon: ${proc.image} connected ${where}`);
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
    if (step) this.key.flow(flow);
    if (options.ssl) this.tls(at, flow, options.ssl, step, host);
    if (options.http) this.http(at, flow, options.http, step, host);
    return flow;
  }

  private tls(at: number, flow: Flow, ssl: SslOptions, step: string | undefined, host: Host | null): void {
    const time = at + this.random.int(20000, 120000);
    const visibleCert = ssl.version === 'TLSv12' && ssl.cert !== null && !ssl.resumed;
    const ref = step ? newRef(this.zeek.ssl.evidence) : undefined;
    this.zeek.ssl.add(
      time,
      [
        { time },
        flow.uid,
        flow.srcIp,
        flow.srcPort,
        flow.dstIp,
        flow.dstPort,
        ssl.version,
        ssl.cipher,
        'x25519',
        ssl.serverName,
        ssl.resumed ?? false,
        null,
        ssl.version === 'TLSv13' ? 'h2' : null,
        true,
        ssl.version === 'TLSv13' ? 'CsiI' : visibleCert ? 'CsxknGIi' : 'CsiI',
        visibleCert ? [ssl.cert!.fingerprint] : null,
        null,
        visibleCert ? ssl.cert!.san.includes(ssl.serverName) : null,
        visibleCert ? ssl.validation : null,
      ],
      ref,
    );
    this.keyEvent(
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
    if (!this.seenCerts.has(cert.fingerprint)) {
      this.seenCerts.add(cert.fingerprint);
      const x509Ref = step ? newRef(this.zeek.x509.evidence) : undefined;
      this.zeek.x509.add(
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
      this.keyEvent(x509Ref, step, time, host, 'zeek', 'x509', `Certificate ${cert.subject} issued by ${cert.issuer}`);
    }
    if (ssl.validation !== 'ok' && ssl.validation !== null && !this.noticedCerts.has(cert.fingerprint)) {
      this.noticedCerts.add(cert.fingerprint);
      const noticeRef = step ? newRef(this.zeek.notice.evidence) : undefined;
      this.zeek.notice.add(
        time,
        [
          { time },
          flow.uid,
          flow.srcIp,
          flow.srcPort,
          flow.dstIp,
          flow.dstPort,
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
      this.keyEvent(noticeRef, step, time, host, 'zeek', 'notice', `Zeek notice SSL::Invalid_Server_Cert for ${ssl.serverName}`);
    }
  }

  private http(at: number, flow: Flow, http: HttpOptions, step: string | undefined, host: Host | null): void {
    const time = at + this.random.int(5000, 80000);
    const fuid = http.responseBytes > 0 && http.mime ? this.random.uid('F') : null;
    const ref = step ? newRef(this.zeek.http.evidence) : undefined;
    this.zeek.http.add(
      time,
      [
        { time },
        flow.uid,
        flow.srcIp,
        flow.srcPort,
        flow.dstIp,
        flow.dstPort,
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
      ],
      ref,
    );
    this.keyEvent(ref, step, time, host, 'zeek', 'http', `HTTP ${http.method} http://${http.host}${http.uri}`);
    if (!fuid) return;
    const fileTime = time + this.random.int(1000, 20000);
    const digest = (algorithm: 'md5' | 'sha1' | 'sha256') => this.random.hex(algorithm === 'md5' ? 32 : algorithm === 'sha1' ? 40 : 64);
    const filesRef = step ? newRef(this.zeek.files.evidence) : undefined;
    this.zeek.files.add(
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
        { interval: Math.min(flow.duration, this.random.int(1000, 900000)) },
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
    this.keyEvent(
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
