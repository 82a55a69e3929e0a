// The answer key: what the attack did and where each piece of evidence sits in the
// bundle. Playbooks record steps as they run; `toJson` renders the key once every record
// has its locator.

import type { EvidenceRef } from './evidence.ts';
import { fileHashes } from './images.ts';
import type { Flow, Proc } from './model.ts';
import { floorSecond, isoMicros } from './time.ts';

export interface KeyEventInfo {
  step: string;
  time: number;
  host: string | null;
  source: 'evtx' | 'zeek' | 'memory';
  /** EventID for EVTX, log name for Zeek, plugin kind for memory. */
  code: string;
  description: string;
}

interface KeyEvent extends KeyEventInfo {
  ref: EvidenceRef;
}

export class KeyRecorder {
  private readonly events: KeyEvent[] = [];
  private readonly processes: Proc[] = [];
  private readonly flows: Flow[] = [];
  private readonly ips = new Set<string>();
  private readonly domains = new Set<string>();
  private readonly urls = new Set<string>();
  private readonly files = new Set<string>();
  private readonly hashed = new Set<string>();
  private readonly findings: string[] = [];

  event(ref: EvidenceRef, info: KeyEventInfo): void {
    this.events.push({ ...info, ref });
  }

  process(proc: Proc): void {
    if (!this.processes.includes(proc)) this.processes.push(proc);
  }

  flow(flow: Flow): void {
    this.flows.push(flow);
  }

  ip(ip: string): void {
    this.ips.add(ip);
  }

  domain(name: string): void {
    this.domains.add(name);
  }

  url(url: string): void {
    this.urls.add(url);
  }

  /** A file the attack brought or made; `hashed` files also list their hashes. */
  file(filePath: string, hashed = false): void {
    this.files.add(filePath);
    if (hashed) this.hashed.add(filePath);
  }

  finding(text: string): void {
    this.findings.push(text);
  }

  toJson(header: Record<string, unknown>): Record<string, unknown> {
    const unplaced = this.events.filter((event) => event.ref.locator === null);
    if (unplaced.length > 0)
      throw new Error(`answer key: ${unplaced.length} events never reached their files (first: ${unplaced[0]!.description})`);
    const events = [...this.events].sort((a, b) => a.time - b.time);
    return {
      ...header,
      events: events.map((event, index) => ({
        id: `E${String(index + 1).padStart(4, '0')}`,
        step: event.step,
        time: isoMicros(event.time),
        host: event.host,
        source: event.source,
        code: event.code,
        description: event.description,
        evidence: event.ref.evidence,
        locator: event.ref.locator,
        ...(event.ref.record !== undefined ? { record: event.ref.record } : {}),
        ...(event.ref.line !== undefined ? { line: event.ref.line } : {}),
        ...(event.ref.plugin !== undefined ? { plugin: event.ref.plugin, row: event.ref.row } : {}),
      })),
      processes: this.processes.map((proc) => ({
        step: proc.step ?? null,
        host: proc.host.name,
        pid: proc.pid,
        ppid: proc.ppid,
        image: proc.image,
        command_line: proc.commandLine,
        user: `${proc.logon.account.domain}\\${proc.logon.account.name}`,
        guid: proc.guid,
        start: isoMicros(proc.start),
        start_memory: isoMicros(floorSecond(proc.start)),
        end: proc.end === null ? null : isoMicros(proc.end),
        hidden_from_pslist: proc.hidden,
      })),
      flows: this.flows.map((flow) => ({
        proto: flow.proto,
        src_ip: flow.srcIp,
        src_port: flow.srcPort,
        dst_ip: flow.dstIp,
        dst_port: flow.dstPort,
        time: isoMicros(flow.start),
        zeek_uid: flow.uid,
        host: flow.proc?.host.name ?? null,
        pid: flow.proc?.pid ?? null,
        destination: flow.dstName,
        bytes_out: flow.bytesOut,
        bytes_in: flow.bytesIn,
        conn_locator: flow.connRef?.locator ?? null,
        sysmon_locator: flow.sysmonRef?.locator ?? null,
      })),
      iocs: {
        ips: [...this.ips].sort(),
        domains: [...this.domains].sort(),
        urls: [...this.urls].sort(),
        files: [...this.files].sort(),
        hashes: [...this.hashed].sort().map((file) => {
          const h = fileHashes(file);
          return { file, md5: h.md5, sha1: h.sha1, sha256: h.sha256 };
        }),
      },
      findings: this.findings,
    };
  }
}
