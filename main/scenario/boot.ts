// The process tree each host has when the logged period starts: the boot chain,
// services, security tools and, on workstations, the console user's shell. These
// processes started before the oldest record in the logs, so they appear only in memory.

import type { Host } from './host.ts';
import type { Logon, Proc } from './model.ts';
import { MICROS_PER_HOUR, MICROS_PER_MINUTE } from './time.ts';
import { LOCAL_SERVICE, NETWORK_SERVICE, SYSTEM_ACCOUNT, type World } from './world.ts';

const SYSTEM32 = 'C:\\Windows\\System32';

const SERVICE_HOSTS: [string, 'system' | 'local' | 'network'][] = [
  ['-k DcomLaunch -p', 'system'],
  ['-k RPCSS -p', 'network'],
  ['-k LocalServiceNetworkRestricted -p -s lmhosts', 'local'],
  ['-k LocalServiceNetworkRestricted -p -s EventLog', 'local'],
  ['-k netsvcs -p -s Schedule', 'system'],
  ['-k netsvcs -p -s Winmgmt', 'system'],
  ['-k NetworkService -p -s Dnscache', 'network'],
  ['-k LocalService -p -s W32Time', 'local'],
  ['-k netsvcs -p -s wuauserv', 'system'],
  ['-k LocalSystemNetworkRestricted -p -s SysMain', 'system'],
  ['-k netsvcs -p -s BITS', 'system'],
  ['-k NetworkService -p -s TermService', 'network'],
];

export function bootHost(world: World, host: Host): void {
  const random = world.random;
  const bootAt =
    world.start - (host.role === 'workstation' ? random.int(25, 70) * MICROS_PER_MINUTE : random.int(20, 200) * MICROS_PER_HOUR);
  const logon = (account: Logon['account'], id: bigint): Logon => ({
    id,
    guid: '{00000000-0000-0000-0000-000000000000}',
    account,
    type: 0,
    session: 0,
    elevated: true,
  });
  host.systemLogon = logon(SYSTEM_ACCOUNT, 0x3e7n);
  host.localService = logon(LOCAL_SERVICE, 0x3e5n);
  host.networkService = logon(NETWORK_SERVICE, 0x3e4n);
  // System starts at the boot instant; everything after it some microseconds into its second.
  const at = (seconds: number) => bootAt + seconds * 1_000_000 + (seconds === 0 ? 0 : random.int(0, 999_999));
  const boot = (
    parent: Proc | null,
    image: string,
    commandLine: string,
    seconds: number,
    extra: { logon?: Logon; ppid?: number; pid?: number } = {},
  ) =>
    world.bootProcess(host, {
      parent,
      image,
      commandLine,
      at: at(seconds),
      logon: extra.logon ?? host.systemLogon,
      pid: extra.pid ?? bootPid(host, seconds),
      ...(extra.ppid !== undefined ? { ppid: extra.ppid } : {}),
    });
  const system = boot(null, 'System', '', 0, { pid: 4 });
  host.known.system = system;
  host.known.registry = boot(system, 'Registry', '', 0);
  const smss = boot(system, `${SYSTEM32}\\smss.exe`, '\\SystemRoot\\System32\\smss.exe', 1);
  // The session manager copies that start csrss, wininit and winlogon exit at once, so
  // those processes name a parent PID that no longer exists, as on a real system.
  const goneSession0 = host.allocatePid(300, 640);
  const goneSession1 = host.allocatePid(300, 640);
  boot(
    null,
    `${SYSTEM32}\\csrss.exe`,
    '%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows',
    5,
    { ppid: goneSession0 },
  );
  const wininit = boot(null, `${SYSTEM32}\\wininit.exe`, 'wininit.exe', 5, { ppid: goneSession0 });
  boot(
    null,
    `${SYSTEM32}\\csrss.exe`,
    '%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows',
    5,
    { ppid: goneSession1 },
  );
  const winlogon = boot(null, `${SYSTEM32}\\winlogon.exe`, 'winlogon.exe', 5, { ppid: goneSession1 });
  void smss;
  const services = boot(wininit, `${SYSTEM32}\\services.exe`, `${SYSTEM32}\\services.exe`, 6);
  host.known.services = services;
  host.known.lsass = boot(wininit, `${SYSTEM32}\\lsass.exe`, `${SYSTEM32}\\lsass.exe`, 6);
  boot(wininit, `${SYSTEM32}\\fontdrvhost.exe`, '"fontdrvhost.exe"', 6, { logon: host.localService });
  boot(winlogon, `${SYSTEM32}\\dwm.exe`, '"dwm.exe"', 7, { logon: host.localService });
  let seconds = 8;
  for (const [args, who] of SERVICE_HOSTS) {
    const owner = who === 'system' ? host.systemLogon : who === 'local' ? host.localService : host.networkService;
    const proc = boot(services, `${SYSTEM32}\\svchost.exe`, `${SYSTEM32}\\svchost.exe ${args}`, seconds++, { logon: owner });
    if (args.includes('EventLog')) host.known.eventlog = proc;
    if (args.includes('DcomLaunch')) host.known.winlogonHost = proc;
    if (args.includes('Schedule')) host.known.schedule = proc;
    if (args.includes('wuauserv')) host.known.wuauserv = proc;
    if (args.includes('Dnscache')) host.known.dnscache = proc;
    if (args.includes('RPCSS')) host.known.rpcss = proc;
    if (args.includes('TermService')) host.known.termService = proc;
  }
  host.known.spoolsv = boot(services, `${SYSTEM32}\\spoolsv.exe`, `${SYSTEM32}\\spoolsv.exe`, seconds++);
  host.known.defender = boot(
    services,
    'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23110.3-0\\MsMpEng.exe',
    '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23110.3-0\\MsMpEng.exe"',
    seconds++,
  );
  host.known.sysmon = boot(services, 'C:\\Windows\\Sysmon64.exe', 'C:\\Windows\\Sysmon64.exe', seconds++);
  if (host.role === 'dc') host.known.dns = boot(services, `${SYSTEM32}\\dns.exe`, `${SYSTEM32}\\dns.exe`, seconds++);
  listen(world, host);
}

/** PIDs by boot stage: the earlier a process starts, the lower the PID Windows gives it. */
function bootPid(host: Host, seconds: number): number {
  if (seconds === 0) return host.allocatePid(60, 200);
  if (seconds < 3) return host.allocatePid(300, 640);
  if (seconds < 8) return host.allocatePid(400, 1100);
  return host.allocatePid(1000, 4000);
}

/** Opens a workstation's console session before the logged period: winlogon, userinit (gone) and explorer. */
export function consoleSession(world: World, host: Host, userName: string): Logon {
  const random = world.random;
  const logonAt = world.start - random.int(5, 20) * MICROS_PER_MINUTE;
  const account = world.user(userName);
  const session: Logon = { id: host.newLogonId(), guid: host.logonGuid(), account, type: 2, session: 1, elevated: false };
  host.console = session;
  const userinit = host.allocatePid();
  const explorer = world.bootProcess(host, {
    parent: null,
    ppid: userinit,
    image: 'C:\\Windows\\explorer.exe',
    commandLine: 'C:\\Windows\\Explorer.EXE',
    at: logonAt + random.int(2, 6) * 1_000_000,
    logon: session,
    cwd: 'C:\\Windows\\system32\\',
  });
  host.known.explorer = explorer;
  world.bootProcess(host, {
    parent: explorer,
    image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE',
    commandLine: '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE" ',
    at: logonAt + random.int(30, 120) * 1_000_000,
    logon: session,
    cwd: `C:\\Users\\${userName}\\`,
  });
  host.known.browser = world.bootProcess(host, {
    parent: explorer,
    image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    commandLine: '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" ',
    at: logonAt + random.int(60, 200) * 1_000_000,
    logon: session,
    cwd: 'C:\\Program Files\\Google\\Chrome\\Application\\',
  });
  return session;
}

/** Listening sockets netscan reports for every Windows host of its role. */
function listen(world: World, host: Host): void {
  const add = (proto: 'TCPv4' | 'UDPv4', port: number, proc: Proc | undefined) => {
    if (!proc) return;
    host.listeners.push({
      proto,
      localAddr: '0.0.0.0',
      localPort: port,
      foreignAddr: proto === 'TCPv4' ? '0.0.0.0' : '*',
      foreignPort: 0,
      state: proto === 'TCPv4' ? 'LISTENING' : '',
      proc,
      created: proc.start + world.random.int(1, 9) * 1_000_000,
      offset: host.eprocessOffset() + 0x20,
    });
  };
  add('TCPv4', 135, host.known.rpcss);
  add('TCPv4', 445, host.known.system);
  add('TCPv4', 49664, host.known.lsass);
  add('TCPv4', 49665, host.live.get([...host.live.values()].find((proc) => proc.image.endsWith('wininit.exe'))?.pid ?? -1));
  add(
    'UDPv4',
    123,
    [...host.live.values()].find((proc) => proc.commandLine.includes('W32Time')),
  );
  add('UDPv4', 5353, host.known.dnscache);
  if (host.role !== 'workstation') add('TCPv4', 3389, host.known.termService);
  if (host.role === 'dc') {
    add('TCPv4', 53, host.known.dns);
    add('UDPv4', 53, host.known.dns);
    add('TCPv4', 88, host.known.lsass);
    add('TCPv4', 389, host.known.lsass);
  }
}
