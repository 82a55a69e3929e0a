// One Windows host of a scenario: its four event logs, its live and recently exited
// processes, its socket endpoints and its DNS cache. Processes started before the logged
// period (the boot chain, services, the console user's shell) exist only in memory.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { HostDefinition } from './definition.ts';
import type { EventCounter } from './evidence.ts';
import { EvtxSink } from './evtx/sink.ts';
import type { Account, Endpoint, Injection, Integrity, Logon, Proc } from './model.ts';
import type { SeededRandom } from './random.ts';

/** Bundle-relative names of the per-host EVTX files; `%4` stands for `/` as in Windows' own file names. */
export const LOG_FILES = {
  security: 'Security.evtx',
  system: 'System.evtx',
  sysmon: 'Microsoft-Windows-Sysmon%4Operational.evtx',
  powershell: 'Microsoft-Windows-PowerShell%4Operational.evtx',
} as const;

export type LogName = keyof typeof LOG_FILES;

/** Exited processes kept for psscan, which still finds their EPROCESS blocks in freed pool. */
const EXITED_KEPT = 24;
/** Closed TCP endpoints kept for netscan. */
const CLOSED_KEPT = 32;

export class Host {
  readonly name: string;
  readonly fqdn: string;
  readonly ip: string;
  readonly logs: Record<LogName, EvtxSink>;
  readonly live = new Map<number, Proc>();
  readonly exited: Proc[] = [];
  readonly listeners: Endpoint[] = [];
  readonly closed: Endpoint[] = [];
  readonly open = new Set<Endpoint>();
  /** Private executable memory regions malfind reports. */
  readonly injections: Injection[] = [];
  readonly dnsCache = new Map<string, number>();
  /** PIDs of answer-key processes, never handed out again so a PID names one process in the key. */
  readonly reserved = new Set<number>();
  /** Security log clear time planned by the playbook; the key does not point at Security records before it. */
  securityClearedAt: number | null = null;
  systemClearedAt: number | null = null;
  private port: number;
  private nextLogonId: bigint;
  private readonly offsetBase: number;
  /** Well-known processes, set up at boot. */
  readonly known: Record<string, Proc> = {};
  readonly computer: Account;
  systemLogon!: Logon;
  localService!: Logon;
  networkService!: Logon;
  console: Logon | null = null;

  constructor(
    readonly def: HostDefinition,
    dnsName: string,
    domain: string,
    computerSid: string,
    bundleDir: string,
    counter: EventCounter,
    private readonly random: SeededRandom,
  ) {
    this.name = def.name;
    this.fqdn = `${def.name}.${dnsName}`;
    this.ip = def.ip;
    this.computer = { name: `${def.name}$`, domain, sid: computerSid };
    const relative = `hosts/${def.name}`;
    mkdirSync(path.join(bundleDir, relative), { recursive: true });
    const sink = (log: LogName) => new EvtxSink(path.join(bundleDir, relative, LOG_FILES[log]), `${relative}/${LOG_FILES[log]}`, counter);
    this.logs = { security: sink('security'), system: sink('system'), sysmon: sink('sysmon'), powershell: sink('powershell') };
    this.port = random.int(49700, 60000);
    this.nextLogonId = BigInt(random.int(0x30000, 0x90000));
    this.offsetBase = random.int(0x8000, 0xfffe) * 2 ** 32;
  }

  get role(): HostDefinition['role'] {
    return this.def.role;
  }

  /** Next ephemeral source port, as Windows hands them out: upwards, wrapping within 49152-65535. */
  ephemeralPort(): number {
    this.port += this.random.int(1, 4);
    if (this.port > 65535) this.port = 49152 + (this.port - 65536);
    return this.port;
  }

  newLogonId(): bigint {
    this.nextLogonId += BigInt(this.random.int(0x100, 0x4000));
    return this.nextLogonId;
  }

  /**
   * Returns a free PID: a multiple of 4 from `min` to `max` that no live process and no answer-key
   * process uses. Boot processes take low ranges, as Windows hands them out at startup.
   */
  allocatePid(min = 1000, max = 14000): number {
    for (;;) {
      const pid = this.random.int(min / 4, max / 4) * 4;
      if (!this.live.has(pid) && !this.reserved.has(pid)) return pid;
    }
  }

  /** EPROCESS addresses: 48-bit kernel pool addresses aligned to 0x40. */
  eprocessOffset(): number {
    return this.offsetBase + this.random.int(0x1000000, 0xfffffff) * 0x40;
  }

  /** Sysmon ProcessGuid: a per-host prefix, the start time and a counter, as Sysmon builds them. */
  processGuid(start: number): string {
    const seconds = Math.floor(start / 1_000_000);
    const machine = this.ipHex();
    const time = (seconds >>> 0).toString(16).padStart(8, '0');
    return `{${machine}-${time.slice(0, 4)}-${time.slice(4)}-${this.random.hex(4)}-${this.random.hex(12)}}`.toUpperCase();
  }

  logonGuid(): string {
    return `{${this.ipHex()}-${this.random.hex(4)}-${this.random.hex(4)}-${this.random.hex(4)}-${this.random.hex(12)}}`.toUpperCase();
  }

  private ipHex(): string {
    return this.ip
      .split('.')
      .map((part) => Number(part).toString(16).padStart(2, '0'))
      .join('');
  }

  rememberExited(proc: Proc): void {
    this.exited.push(proc);
    if (this.exited.length > EXITED_KEPT) {
      // Keep answer-key processes; drop the oldest other one.
      const index = this.exited.findIndex((candidate) => candidate.step === undefined);
      this.exited.splice(Math.max(index, 0), 1);
    }
  }

  rememberClosed(endpoint: Endpoint): void {
    this.closed.push(endpoint);
    if (this.closed.length > CLOSED_KEPT) {
      const index = this.closed.findIndex((candidate) => candidate.step === undefined);
      this.closed.splice(Math.max(index, 0), 1);
    }
  }

  integrityOf(logon: Logon): Integrity {
    if (logon.account.sid === 'S-1-5-18' || logon.account.sid === 'S-1-5-19' || logon.account.sid === 'S-1-5-20') return 'System';
    return logon.elevated ? 'High' : 'Medium';
  }

  closeLogs(): void {
    for (const sink of Object.values(this.logs)) sink.close();
  }
}
