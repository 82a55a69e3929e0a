// The objects a scenario run works with: accounts, logon sessions, processes, network
// flows and socket endpoints. Hosts and the emitters that turn these into records are in
// host.ts and world.ts.

import type { EvidenceRef } from './evidence.ts';
import type { Host } from './host.ts';

export type Integrity = 'Low' | 'Medium' | 'High' | 'System';

export const INTEGRITY_SID: Record<Integrity, string> = {
  Low: 'S-1-16-4096',
  Medium: 'S-1-16-8192',
  High: 'S-1-16-12288',
  System: 'S-1-16-16384',
};

export interface Account {
  name: string;
  domain: string;
  sid: string;
}

export interface Logon {
  id: bigint;
  guid: string;
  account: Account;
  /** Logon type of the 4624 that opened the session (0 for the built-in SYSTEM session). */
  type: number;
  /** Terminal session; null for processes Volatility shows as N/A (System, Registry, smss). */
  session: number | null;
  elevated: boolean;
}

export interface Proc {
  host: Host;
  pid: number;
  ppid: number;
  parent: Proc | null;
  guid: string;
  image: string;
  commandLine: string;
  cwd: string;
  logon: Logon;
  integrity: Integrity;
  /** Start time, scenario microseconds. */
  start: number;
  end: number | null;
  threads: number;
  handles: number;
  /** EPROCESS virtual address as Volatility prints it (48 bits). */
  offset: number;
  /** Unlinked from the active process list: psscan finds it, pslist and pstree do not. */
  hidden: boolean;
  /** Id of the answer-key step this process belongs to, if it is part of the attack. */
  step?: string;
}

export interface Flow {
  uid: string;
  proto: 'tcp' | 'udp';
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  /** Connection start, scenario microseconds; Zeek's conn ts and Sysmon 3's UtcTime. */
  start: number;
  duration: number;
  bytesOut: number;
  bytesIn: number;
  service: string | null;
  proc: Proc | null;
  dstName: string | null;
  connRef?: EvidenceRef;
  sysmonRef?: EvidenceRef;
}

/** A socket endpoint as netscan reports it. */
export interface Endpoint {
  proto: 'TCPv4' | 'UDPv4';
  localAddr: string;
  localPort: number;
  foreignAddr: string;
  foreignPort: number;
  state: string;
  proc: Proc;
  created: number;
  offset: number;
  step?: string;
  flow?: Flow;
}

export function accountText(account: Account): string {
  return `${account.domain}\\${account.name}`;
}

/** A private, writable and executable memory region of a process, as malfind reports it. */
export interface Injection {
  proc: Proc;
  start: number;
  /** First 64 bytes of the region. */
  bytes: Uint8Array;
  /** Disassembly of `bytes` as capstone prints it, one `[offset, mnemonic, operands]` per instruction. */
  instructions: [number, string, string][];
  step?: string;
}
