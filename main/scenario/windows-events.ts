// Windows event emitters: process starts and exits, file and process access, script
// blocks, logons, service changes and log clears. Each writes the records every log on
// the host would hold (Sysmon, Security, System, PowerShell) with the same PID, GUID,
// account and time, and passes answer-key steps on to the key.

import { type EvidenceRef, newRef } from './evidence.ts';
import { type EventSpec, SPECS } from './evtx/specs.ts';
import type { FieldValue } from './evtx/templates.ts';
import type { Host } from './host.ts';
import { imageInfo, sysmonHashes } from './images.ts';
import { type Account, accountText, INTEGRITY_SID, type Integrity, type Logon, type Proc } from './model.ts';
import { sysmonTime } from './time.ts';
import type { World } from './world.ts';

const NULL_SID = 'S-1-0-0';
const NULL_GUID = '{00000000-0000-0000-0000-000000000000}';

/** The account fields that open a Security event: SubjectUserSid, SubjectUserName, SubjectDomainName, SubjectLogonId. */
type Subject = ReturnType<World['subject']>;

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

export class WindowsEvents {
  constructor(private readonly world: World) {}

  /**
   * Queues a Sysmon event about `proc` that Sysmon writes at `loggedAt`. RuleName, UtcTime
   * (`at`), ProcessGuid and ProcessId, which open every Sysmon process event, precede `fields`.
   */
  sysmonEvent(proc: Proc, at: number, loggedAt: number, spec: EventSpec, fields: FieldValue[], ref?: EvidenceRef): void {
    const host = proc.host;
    host.logs.sysmon.add(loggedAt, spec, this.world.sysmonSystem(host), ['-', sysmonTime(at), proc.guid, proc.pid, ...fields], ref);
  }

  /** Queues a Security event written by LSASS whose data opens with `subject`'s account fields. */
  private securityEvent(host: Host, at: number, spec: EventSpec, subject: Subject, fields: FieldValue[], ref?: EvidenceRef): void {
    const data = [subject.sid, subject.name, subject.domain, subject.logonId, ...fields];
    host.logs.security.add(at, spec, this.world.securitySystem(host), data, ref);
  }

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
      threads: this.world.random.int(1, 40),
      handles: this.world.random.int(80, 1800),
      offset: host.eprocessOffset(),
      hidden: false,
    };
    host.live.set(pid, proc);
    return proc;
  }

  startProcess(at: number, options: StartOptions): Proc {
    this.world.check(at);
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
      threads: this.world.random.int(2, 24),
      handles: this.world.random.int(60, 900),
      offset: host.eprocessOffset(),
      hidden: options.hidden ?? false,
      ...(options.step ? { step: options.step } : {}),
    };
    host.live.set(pid, proc);
    if (options.step) {
      host.reserved.add(pid);
      this.world.key.process(proc);
    }
    const description = options.description ?? `${proc.image} started: ${proc.commandLine}`;
    const parent = options.parent;
    const info = imageInfo(proc.image);
    const sysmonRef = this.world.evtxRef(host, 'sysmon', at, options.step);
    this.sysmonEvent(
      proc,
      at,
      at + this.world.random.int(200, 4000),
      SPECS.sysmonProcessCreated,
      [
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
    this.world.keyEvent(sysmonRef, options.step, at, host, 'evtx', '1', `Sysmon: ${description}`);
    const creator = this.world.subject(host, parent.logon);
    const sameAccount = parent.logon.account.sid === logon.account.sid;
    const target = sameAccount ? null : this.world.subject(host, logon);
    const elevation = TOKEN_ELEVATION[proc.integrity];
    const securityRef = this.world.evtxRef(host, 'security', at, options.step);
    this.securityEvent(
      host,
      at,
      SPECS.processCreated,
      creator,
      [
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
    this.world.keyEvent(securityRef, options.step, at, host, 'evtx', '4688', `Security: ${description}`);
    if (options.lifetime !== null) {
      const end = at + Math.max(options.lifetime, 1000);
      this.world.schedule(end, (time) => this.exitProcess(proc, time));
    }
    return proc;
  }

  exitProcess(proc: Proc, at: number): void {
    if (proc.end !== null) return;
    this.world.check(at);
    const host = proc.host;
    proc.end = at;
    host.live.delete(proc.pid);
    host.rememberExited(proc);
    this.sysmonEvent(proc, at, at + this.world.random.int(100, 2000), SPECS.sysmonProcessTerminated, [
      proc.image,
      accountText(proc.logon.account),
    ]);
    const subject = this.world.subject(host, proc.logon);
    this.securityEvent(host, at, SPECS.processExited, subject, [0, BigInt(proc.pid), proc.image]);
  }

  fileCreated(proc: Proc, at: number, file: string, step?: string, description?: string): void {
    this.world.check(at);
    const host = proc.host;
    const ref = this.world.evtxRef(host, 'sysmon', at, step);
    this.sysmonEvent(
      proc,
      at,
      at + this.world.random.int(100, 3000),
      SPECS.sysmonFileCreated,
      [proc.image, file, sysmonTime(at), accountText(proc.logon.account)],
      ref,
    );
    this.world.keyEvent(ref, step, at, host, 'evtx', '11', description ?? `Sysmon: ${proc.image} created ${file}`);
  }

  processAccess(source: Proc, target: Proc, at: number, access: string, callTrace: string, step?: string, description?: string): void {
    this.world.check(at);
    const host = source.host;
    const ref = this.world.evtxRef(host, 'sysmon', at, step);
    this.sysmonEvent(
      source,
      at,
      at + this.world.random.int(100, 3000),
      SPECS.sysmonProcessAccess,
      [
        this.world.random.int(300, 2000) * 4,
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
    this.world.keyEvent(ref, step, at, host, 'evtx', '10', description ?? `Sysmon: ${source.image} opened ${target.image}`);
  }

  /** Writes a PowerShell script block as 4104 events, split into parts of at most `partSize` characters. */
  scriptBlock(
    proc: Proc,
    at: number,
    text: string,
    options: { suspicious?: boolean; path?: string; step?: string; description?: string; partSize?: number } = {},
  ): void {
    this.world.check(at);
    const host = proc.host;
    const partSize = options.partSize ?? 16000;
    const parts: string[] = [];
    for (let offset = 0; offset < text.length; offset += partSize) parts.push(text.slice(offset, offset + partSize));
    if (parts.length === 0) parts.push('');
    const blockId = this.world.random.guid().slice(1, -1).toLowerCase();
    const activityId = this.world.random.guid();
    parts.forEach((part, index) => {
      const time = at + index * this.world.random.int(200, 900);
      const ref = this.world.evtxRef(host, 'powershell', time, options.step);
      host.logs.powershell.add(
        time,
        SPECS.scriptBlock,
        {
          processId: proc.pid,
          threadId: this.world.random.int(500, 3000) * 4,
          computer: host.fqdn,
          userSid: proc.logon.account.sid,
          activityId,
          level: options.suspicious ? 3 : 5,
        },
        [index + 1, parts.length, part, blockId, options.path ?? ''],
        ref,
      );
      this.world.keyEvent(
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
    this.world.check(at);
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
    const subject = viaSystem ? this.world.subject(host, host.systemLogon) : { sid: NULL_SID, name: '-', domain: '-', logonId: 0n };
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
    const ref = this.world.evtxRef(host, 'security', at, options.step);
    this.securityEvent(
      host,
      at,
      SPECS.logon,
      subject,
      [
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
    this.world.keyEvent(
      ref,
      options.step,
      at,
      host,
      'evtx',
      '4624',
      options.description ?? `Logon type ${options.type} of ${accountName} from ${options.sourceIp ?? 'local'}`,
    );
    if (options.privileged) {
      const privRef = this.world.evtxRef(host, 'security', at, options.step);
      this.securityEvent(host, at, SPECS.specialPrivileges, this.world.subject(host, logon), [PRIVILEGES], privRef);
      this.world.keyEvent(privRef, options.step, at, host, 'evtx', '4672', `Special privileges assigned to ${accountName}`);
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
    this.world.check(at);
    const ref = this.world.evtxRef(host, 'security', at, options.step);
    host.logs.security.add(
      at,
      SPECS.logonFailed,
      this.world.securitySystem(host),
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
    this.world.keyEvent(
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
    this.world.check(at);
    const ref = this.world.evtxRef(host, 'system', at, step);
    const binary = Buffer.from(`${service.key}/${running ? 4 : 1}\0`, 'utf16le');
    host.logs.system.add(
      at,
      SPECS.serviceState,
      { processId: host.known.services!.pid, threadId: this.world.random.int(100, 900) * 4, computer: host.fqdn, userSid: null },
      [service.display, running ? 'running' : 'stopped', new Uint8Array(binary)],
      ref,
    );
    this.world.keyEvent(
      ref,
      step,
      at,
      host,
      'evtx',
      '7036',
      `Service ${service.display} entered the ${running ? 'running' : 'stopped'} state`,
    );
  }

  serviceInstalled(host: Host, at: number, by: Logon, service: { name: string; imagePath: string }, step?: string): void {
    this.world.check(at);
    const systemRef = this.world.evtxRef(host, 'system', at, step);
    host.logs.system.add(
      at,
      SPECS.serviceInstalled,
      { processId: host.known.services!.pid, threadId: this.world.random.int(100, 900) * 4, computer: host.fqdn, userSid: by.account.sid },
      [service.name, service.imagePath, 'user mode service', 'demand start', 'LocalSystem'],
      systemRef,
    );
    this.world.keyEvent(systemRef, step, at, host, 'evtx', '7045', `Service ${service.name} installed: ${service.imagePath}`);
    const s = this.world.subject(host, by);
    const securityRef = this.world.evtxRef(host, 'security', at, step);
    this.securityEvent(host, at, SPECS.serviceInstalledAudit, s, [service.name, service.imagePath, 0x10, 3, 'LocalSystem'], securityRef);
    this.world.keyEvent(securityRef, step, at, host, 'evtx', '4697', `Service ${service.name} installed by ${s.domain}\\${s.name}`);
  }

  /** Clears a log as `wevtutil cl` does: the log restarts with 1102 (Security) or 104 (System). */
  clearLog(host: Host, log: 'security' | 'system', at: number, by: Logon, step?: string): void {
    this.world.check(at);
    this.world.flushUntil(at - 1);
    host.logs[log].clear(at);
    const ref = step ? newRef(host.logs[log].evidence) : undefined;
    const eventlog = host.known.eventlog!;
    if (log === 'security') {
      const s = this.world.subject(host, by);
      host.logs.security.add(
        at,
        SPECS.securityLogCleared,
        { processId: eventlog.pid, threadId: this.world.random.int(300, 900) * 4, computer: host.fqdn, userSid: null },
        [s.sid, s.name, s.domain, s.logonId],
        ref,
      );
      this.world.keyEvent(ref, step, at, host, 'evtx', '1102', `Security log cleared by ${s.domain}\\${s.name}`);
    } else {
      host.logs.system.add(
        at,
        SPECS.systemLogCleared,
        { processId: eventlog.pid, threadId: this.world.random.int(300, 900) * 4, computer: host.fqdn, userSid: by.account.sid },
        [by.account.name, by.account.domain, 'System', ''],
        ref,
      );
      this.world.keyEvent(ref, step, at, host, 'evtx', '104', `System log cleared by ${accountText(by.account)}`);
    }
  }
}
