// The running scenario: a clock, a queue of scheduled tasks, the hosts and Zeek logs, and
// the helpers the emitters share. The emitters that turn what happens (a process starts,
// a user logs on, a host connects out) into records live in windows-events.ts and
// network.ts; World passes its calls on to them so playbooks have one object to use.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ScenarioDefinition } from './definition.ts';
import { EventCounter, type EvidenceRef, newRef } from './evidence.ts';
import { TimeHeap } from './heap.ts';
import { Host, type LogName } from './host.ts';
import { KeyRecorder } from './key.ts';
import type { Account, Flow, Logon, Proc } from './model.ts';
import { NetworkEvents } from './network.ts';
import { SeededRandom } from './random.ts';
import { MICROS_PER_HOUR, parseIsoMicros } from './time.ts';
import { WindowsEvents } from './windows-events.ts';
import { ZEEK_LOG_NAMES, ZEEK_SCHEMAS, type ZeekLogName } from './zeek/schemas.ts';
import { ZeekSink } from './zeek/sink.ts';

export const SYSTEM_ACCOUNT: Account = { name: 'SYSTEM', domain: 'NT AUTHORITY', sid: 'S-1-5-18' };
export const LOCAL_SERVICE: Account = { name: 'LOCAL SERVICE', domain: 'NT AUTHORITY', sid: 'S-1-5-19' };
export const NETWORK_SERVICE: Account = { name: 'NETWORK SERVICE', domain: 'NT AUTHORITY', sid: 'S-1-5-20' };

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
  readonly windows: WindowsEvents;
  readonly network: NetworkEvents;
  private readonly users = new Map<string, Account>();
  readonly seenCerts = new Set<string>();
  readonly noticedCerts = new Set<string>();
  readonly resolver: Host;
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
    this.windows = new WindowsEvents(this);
    this.network = new NetworkEvents(this);
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

  flushUntil(time: number): void {
    for (const host of this.hosts) for (const sink of Object.values(host.logs)) sink.flushUntil(time);
    for (const sink of Object.values(this.zeek)) sink.flushUntil(time);
  }

  close(): void {
    for (const host of this.hosts) host.closeLogs();
    for (const sink of Object.values(this.zeek)) sink.close();
  }

  check(time: number): void {
    if (time < this.now) throw new Error(`record at ${time} is earlier than the scenario clock ${this.now}`);
  }

  // ---- Helpers for the emitters in windows-events.ts and network.ts ----------------------

  /** Account fields as the Security log writes a subject: SYSTEM appears as the computer account. */
  subject(host: Host, logon: Logon): { sid: string; name: string; domain: string; logonId: bigint } {
    const sid = logon.account.sid;
    if (sid === SYSTEM_ACCOUNT.sid) return { sid, name: host.computer.name, domain: host.computer.domain, logonId: 0x3e7n };
    return { sid, name: logon.account.name, domain: logon.account.domain, logonId: logon.id };
  }

  keyEvent(
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

  evtxRef(host: Host, log: LogName, time: number, step: string | undefined): EvidenceRef | undefined {
    if (!step) return undefined;
    let clearedAt: number | null = null;
    if (log === 'security') clearedAt = host.securityClearedAt;
    if (log === 'system') clearedAt = host.systemClearedAt;
    if (clearedAt !== null && time < clearedAt) return undefined;
    return newRef(host.logs[log].evidence);
  }

  sysmonSystem(host: Host) {
    return {
      processId: host.known.sysmon!.pid,
      threadId: host.known.sysmon!.threads * 4 + 3000,
      computer: host.fqdn,
      userSid: SYSTEM_ACCOUNT.sid,
    };
  }

  securitySystem(host: Host) {
    return { processId: host.known.lsass!.pid, threadId: this.random.int(180, 260) * 4, computer: host.fqdn, userSid: null };
  }

  // ---- Emitters (windows-events.ts, network.ts) ------------------------------------------

  bootProcess(...args: Parameters<WindowsEvents['bootProcess']>): Proc {
    return this.windows.bootProcess(...args);
  }

  startProcess(...args: Parameters<WindowsEvents['startProcess']>): Proc {
    return this.windows.startProcess(...args);
  }

  exitProcess(...args: Parameters<WindowsEvents['exitProcess']>): void {
    this.windows.exitProcess(...args);
  }

  fileCreated(...args: Parameters<WindowsEvents['fileCreated']>): void {
    this.windows.fileCreated(...args);
  }

  processAccess(...args: Parameters<WindowsEvents['processAccess']>): void {
    this.windows.processAccess(...args);
  }

  scriptBlock(...args: Parameters<WindowsEvents['scriptBlock']>): void {
    this.windows.scriptBlock(...args);
  }

  logon(...args: Parameters<WindowsEvents['logon']>): Logon {
    return this.windows.logon(...args);
  }

  failedLogon(...args: Parameters<WindowsEvents['failedLogon']>): EvidenceRef | undefined {
    return this.windows.failedLogon(...args);
  }

  serviceState(...args: Parameters<WindowsEvents['serviceState']>): void {
    this.windows.serviceState(...args);
  }

  serviceInstalled(...args: Parameters<WindowsEvents['serviceInstalled']>): void {
    this.windows.serviceInstalled(...args);
  }

  clearLog(...args: Parameters<WindowsEvents['clearLog']>): void {
    this.windows.clearLog(...args);
  }

  resolve(...args: Parameters<NetworkEvents['resolve']>): { address: string; time: number } {
    return this.network.resolve(...args);
  }

  connect(...args: Parameters<NetworkEvents['connect']>): Flow {
    return this.network.connect(...args);
  }
}

export type { Certificate, ConnectOptions, HttpOptions, SslOptions } from './network.ts';
export type { LogonOptions, StartOptions } from './windows-events.ts';
