// Benign activity that fills the logged period around the attack: browsing (DNS, then
// TLS or HTTP), short-lived processes, Windows Update downloads, service state changes,
// service and network logons, and administrative PowerShell on servers. Activities are
// paced so the run writes about the requested number of records by the end of the period.

import type { SiteDefinition } from './definition.ts';
import type { Host } from './host.ts';
import type { Proc } from './model.ts';
import { MICROS_PER_SECOND } from './time.ts';
import type { Certificate, World } from './world.ts';

type Activity = (world: World, host: Host, at: number) => void;

const CHROME_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const TLS_CIPHERS = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const TLS12_CIPHERS = ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'];
const PAGES = [
  '/',
  '/index.html',
  '/news/',
  '/api/v1/status',
  '/static/app.js',
  '/images/logo.png',
  '/assets/site.css',
  '/search?q=quarterly+report',
];

const SERVICES = [
  { key: 'TrustedInstaller', display: 'Windows Modules Installer' },
  { key: 'BITS', display: 'Background Intelligent Transfer Service' },
  { key: 'DsmSvc', display: 'Device Setup Manager' },
  { key: 'WinHttpAutoProxySvc', display: 'WinHTTP Web Proxy Auto-Discovery Service' },
  { key: 'InstallService', display: 'Microsoft Store Install Service' },
  { key: 'wuauserv', display: 'Windows Update' },
  { key: 'UsoSvc', display: 'Update Orchestrator Service' },
];

/** Short-lived programs: who starts them, as whom, and how long they run (seconds). */
interface Program {
  parent: (host: Host) => Proc | undefined;
  image: string;
  commandLine: (host: Host, world: World) => string;
  asUser: boolean;
  seconds: [number, number];
  roles: Host['role'][];
  file?: (host: Host, world: World) => string;
}

const SYSTEM32 = 'C:\\Windows\\System32';
const userName = (host: Host) => host.console?.account.name ?? 'Default';

const PROGRAMS: Program[] = [
  {
    parent: (host) => host.known.schedule,
    image: `${SYSTEM32}\\taskhostw.exe`,
    commandLine: () => 'taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}',
    asUser: false,
    seconds: [5, 120],
    roles: ['workstation', 'server', 'dc'],
  },
  {
    parent: (host) => host.known.winlogonHost,
    image: `${SYSTEM32}\\RuntimeBroker.exe`,
    commandLine: () => `${SYSTEM32}\\RuntimeBroker.exe -Embedding`,
    asUser: true,
    seconds: [20, 900],
    roles: ['workstation'],
  },
  {
    parent: (host) => host.known.winlogonHost,
    image: `${SYSTEM32}\\backgroundTaskHost.exe`,
    commandLine: () => '"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountBackgroundTask',
    asUser: true,
    seconds: [2, 40],
    roles: ['workstation'],
  },
  {
    parent: (host) => host.known.winlogonHost,
    image: `${SYSTEM32}\\wbem\\WmiPrvSE.exe`,
    commandLine: () => `${SYSTEM32}\\wbem\\wmiprvse.exe -secured -Embedding`,
    asUser: false,
    seconds: [30, 600],
    roles: ['workstation', 'server', 'dc'],
  },
  {
    parent: (host) => host.known.winlogonHost,
    image: `${SYSTEM32}\\dllhost.exe`,
    commandLine: () => `${SYSTEM32}\\dllhost.exe /Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}`,
    asUser: true,
    seconds: [1, 30],
    roles: ['workstation'],
  },
  {
    parent: (host) => host.known.defender,
    image: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23110.3-0\\MpCmdRun.exe',
    commandLine: () => '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23110.3-0\\MpCmdRun.exe" -wdenable',
    asUser: false,
    seconds: [1, 15],
    roles: ['workstation', 'server', 'dc'],
  },
  {
    parent: (host) => host.known.schedule,
    image: `${SYSTEM32}\\gpupdate.exe`,
    commandLine: () => 'gpupdate.exe /target:computer /wait:0',
    asUser: false,
    seconds: [3, 25],
    roles: ['workstation', 'server', 'dc'],
  },
  {
    parent: (host) => host.known.schedule,
    image: `${SYSTEM32}\\CompatTelRunner.exe`,
    commandLine: () => `${SYSTEM32}\\CompatTelRunner.exe -m:appraiser.dll -f:DoScheduledTelemetryRun`,
    asUser: false,
    seconds: [20, 300],
    roles: ['workstation', 'server'],
  },
  {
    parent: (host) => host.known.explorer,
    image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE',
    commandLine: (host, world) =>
      `"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE" "C:\\Users\\${userName(host)}\\Documents\\${world.random.pick(['Budget_2024.xlsx', 'Timesheet.xlsx', 'Inventory.xlsx', 'Forecast_Q2.xlsx'])}"`,
    asUser: true,
    seconds: [120, 2400],
    roles: ['workstation'],
    file: (host) =>
      `C:\\Users\\${userName(host)}\\AppData\\Roaming\\Microsoft\\Excel\\~ar${host.ephemeralPort().toString(16).toUpperCase()}.xar`,
  },
  {
    parent: (host) => host.known.explorer,
    image: `${SYSTEM32}\\notepad.exe`,
    commandLine: (host) => `"${SYSTEM32}\\notepad.exe" C:\\Users\\${userName(host)}\\Desktop\\notes.txt`,
    asUser: true,
    seconds: [30, 1800],
    roles: ['workstation'],
  },
  {
    parent: (host) => host.known.browser,
    image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    commandLine: () =>
      '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --lang=en-US --renderer-client-id=7 --mojo-platform-channel-handle=3120 /prefetch:1',
    asUser: true,
    seconds: [10, 1200],
    roles: ['workstation'],
  },
  {
    parent: (host) => host.known.browser,
    image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    commandLine: () =>
      '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=utility --utility-sub-type=network.mojom.NetworkService',
    asUser: true,
    seconds: [10, 600],
    roles: ['workstation'],
    file: (host, world) =>
      `C:\\Users\\${userName(host)}\\Downloads\\${world.random.pick(['agenda.pdf', 'price-list.pdf', 'photo.jpg', 'minutes.docx'])}`,
  },
];

function runProgram(world: World, host: Host, at: number): void {
  const candidates = PROGRAMS.filter(
    (program) => program.roles.includes(host.role) && program.parent(host) !== undefined && (!program.asUser || host.console),
  );
  const program = world.random.pick(candidates);
  const parent = program.parent(host)!;
  const logon = program.asUser ? host.console! : host.systemLogon;
  const seconds = world.random.between(program.seconds[0], program.seconds[1]);
  const proc = world.startProcess(at, {
    parent,
    image: program.image,
    commandLine: program.commandLine(host, world),
    logon,
    lifetime: Math.round(seconds * MICROS_PER_SECOND),
  });
  if (program.file) world.fileCreated(proc, at + world.random.int(200_000, 5_000_000), program.file(host, world));
}

function certificateFor(world: World, site: SiteDefinition): Certificate {
  const fingerprint = world.random.hex(64);
  return {
    fingerprint,
    serial: world.random.hex(32).toUpperCase(),
    subject: `CN=${site.name}`,
    issuer: "CN=R3,O=Let's Encrypt,C=US",
    notBefore: world.start - 40 * 86_400 * MICROS_PER_SECOND,
    notAfter: world.start + 50 * 86_400 * MICROS_PER_SECOND,
    san: [site.name],
    selfSigned: false,
  };
}

const siteCerts = new WeakMap<World, Map<string, Certificate>>();

function browse(world: World, host: Host, at: number): void {
  const browser = host.known.browser;
  if (!browser) return;
  const random = world.random;
  const site = random.weighted(world.def.sites, (candidate) => candidate.weight ?? 1);
  const { address, time } = world.resolve(browser, at, site.name);
  let when = time + random.int(1000, 20000);
  const requests = random.int(1, 3);
  let certs = siteCerts.get(world);
  if (!certs) {
    certs = new Map();
    siteCerts.set(world, certs);
  }
  for (let i = 0; i < requests; i++) {
    const bytesIn = random.int(2_000, 600_000);
    if (site.tls) {
      let cert = certs.get(site.name);
      if (!cert) {
        cert = certificateFor(world, site);
        certs.set(site.name, cert);
      }
      const tls13 = random.chance(0.7);
      world.connect(when, {
        proc: browser,
        dstIp: address,
        dstPort: 443,
        service: 'ssl',
        duration: random.int(50_000, 30_000_000),
        bytesOut: random.int(600, 4000),
        bytesIn,
        dstName: site.name,
        ssl: {
          serverName: site.name,
          version: tls13 ? 'TLSv13' : 'TLSv12',
          cipher: tls13 ? random.pick(TLS_CIPHERS) : random.pick(TLS12_CIPHERS),
          cert,
          validation: tls13 ? null : 'ok',
          resumed: !tls13 && random.chance(0.3),
        },
      });
    } else {
      const page = random.pick(PAGES);
      const mime = page.endsWith('.png')
        ? 'image/png'
        : page.endsWith('.js')
          ? 'application/javascript'
          : page.endsWith('.css')
            ? 'text/css'
            : 'text/html';
      world.connect(when, {
        proc: browser,
        dstIp: address,
        dstPort: 80,
        service: 'http',
        duration: random.int(20_000, 5_000_000),
        bytesOut: random.int(300, 1200),
        bytesIn,
        dstName: site.name,
        http: {
          method: 'GET',
          host: site.name,
          uri: page,
          userAgent: CHROME_AGENT,
          status: 200,
          statusMessage: 'OK',
          requestBytes: 0,
          responseBytes: bytesIn - random.int(200, 400),
          mime,
        },
      });
    }
    when += random.int(50_000, 4_000_000);
  }
}

function windowsUpdate(world: World, host: Host, at: number): void {
  const service = host.known.wuauserv;
  if (!service) return;
  const random = world.random;
  const server = world.def.updateServer;
  const { address, time } = world.resolve(service, at, server.name);
  const size = random.int(200_000, 40_000_000);
  const name = `windows10.0-kb50${random.int(10000, 49999)}-x64_${random.hex(16)}.cab`;
  world.connect(time + random.int(1000, 9000), {
    proc: service,
    dstIp: address,
    dstPort: 80,
    service: 'http',
    duration: random.int(2_000_000, 120_000_000),
    bytesOut: random.int(400, 900),
    bytesIn: size + 600,
    dstName: server.name,
    http: {
      method: 'GET',
      host: server.name,
      uri: `/filestreamingservice/files/${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}?P1=${random.int(1000000, 9999999)}`,
      userAgent: 'Microsoft-Delivery-Optimization/10.0',
      status: 200,
      statusMessage: 'OK',
      requestBytes: 0,
      responseBytes: size,
      mime: 'application/vnd.ms-cab-compressed',
      filename: name,
    },
  });
  world.serviceState(
    host,
    at + random.int(1, 5) * MICROS_PER_SECOND,
    { key: 'TrustedInstaller', display: 'Windows Modules Installer' },
    true,
  );
}

function serviceCycle(world: World, host: Host, at: number): void {
  const service = world.random.pick(SERVICES);
  world.serviceState(host, at, service, true);
  const stop = at + world.random.int(30, 900) * MICROS_PER_SECOND;
  world.schedule(stop, (time) => world.serviceState(host, time, service, false));
}

function serviceLogon(world: World, host: Host, at: number): void {
  world.logon(host, at, { account: host.systemLogon.account, type: 5, privileged: true, session: 0 });
}

function unlock(world: World, host: Host, at: number): void {
  if (!host.console) return;
  world.logon(host, at, { account: host.console.account, type: 7, session: 1 });
}

/** Opens an SMB session from a workstation on this server or domain controller, authenticated with Kerberos. */
function networkLogon(world: World, host: Host, at: number): void {
  const random = world.random;
  const clients = world.hosts.filter((candidate) => candidate.role === 'workstation' && candidate.console);
  if (clients.length === 0) return;
  const client = random.pick(clients);
  const dc = world.hosts.find((candidate) => candidate.role === 'dc')!;
  if (client.known.lsass && dc !== host) {
    world.connect(at, {
      proc: client.known.lsass,
      dstIp: dc.ip,
      dstPort: 88,
      service: 'krb_tcp',
      duration: random.int(2000, 40000),
      bytesOut: random.int(1400, 2200),
      bytesIn: random.int(1500, 2600),
      dstName: dc.fqdn,
    });
  }
  const smbAt = at + random.int(5000, 60000);
  const flow = world.connect(smbAt, {
    proc: client.known.system!,
    dstIp: host.ip,
    dstPort: 445,
    service: 'smb,gssapi,krb',
    duration: random.int(100_000, 60_000_000),
    bytesOut: random.int(2000, 90_000),
    bytesIn: random.int(2000, 400_000),
    dstName: host.fqdn,
  });
  world.logon(host, smbAt + random.int(2000, 20000), {
    account: client.console!.account,
    type: 3,
    package: 'Kerberos',
    sourceIp: client.ip,
    sourcePort: flow.srcPort,
    workstation: '-',
  });
}

const ADMIN_SCRIPT = [
  '$disks = Get-CimInstance -ClassName Win32_LogicalDisk -Filter "DriveType=3"',
  'foreach ($disk in $disks) {',
  '    $free = [math]::Round($disk.FreeSpace / 1GB, 1)',
  '    if ($free -lt 20) { Write-EventLog -LogName Application -Source DiskCheck -EventId 100 -Message "$($disk.DeviceID) has $free GB free" }',
  '}',
].join('\r\n');

function adminPowerShell(world: World, host: Host, at: number): void {
  const parent = host.known.schedule;
  if (!parent) return;
  const proc = world.startProcess(at, {
    parent,
    image: `${SYSTEM32}\\WindowsPowerShell\\v1.0\\powershell.exe`,
    commandLine: 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\Check-DiskSpace.ps1',
    logon: host.systemLogon,
    lifetime: world.random.int(3, 20) * MICROS_PER_SECOND,
  });
  world.scriptBlock(proc, at + world.random.int(300_000, 900_000), ADMIN_SCRIPT, { path: 'C:\\Scripts\\Check-DiskSpace.ps1' });
}

const ACTIVITIES: Record<Host['role'], [Activity, number][]> = {
  workstation: [
    [browse, 40],
    [runProgram, 26],
    [windowsUpdate, 2],
    [unlock, 3],
    [serviceCycle, 5],
    [serviceLogon, 5],
  ],
  server: [
    [runProgram, 24],
    [networkLogon, 18],
    [serviceCycle, 8],
    [adminPowerShell, 3],
    [windowsUpdate, 2],
    [serviceLogon, 10],
  ],
  dc: [
    [networkLogon, 30],
    [runProgram, 14],
    [serviceCycle, 6],
    [serviceLogon, 10],
  ],
};

const HOST_WEIGHT: Record<Host['role'], number> = { workstation: 3, server: 2, dc: 2 };

/**
 * Schedules background activity from the start to the end of the logged period so the
 * run writes about `target` records in all, the attack's `attack` records included. After
 * each activity the next gap is drawn so the records left are spread over the time left.
 * The records counted so far include the exits, stops and other follow-ups that earlier
 * activities scheduled, and the attack is assumed to emit evenly over the period.
 */
export function scheduleBackground(world: World, target: number, attack: number): void {
  const random = world.random;
  // Each host runs its maintenance script once early on, so every PowerShell log has records.
  for (const host of world.hosts) {
    world.schedule(world.start + random.int(60, 1800) * MICROS_PER_SECOND, (time) => adminPowerShell(world, host, time));
  }
  const countAtStart = world.counter.count;
  const duration = world.end - world.start;
  const budget = Math.max(target - attack, Math.round(target * 0.05));
  let activities = 0;
  const step = (time: number) => {
    const host = random.weighted(world.hosts, (candidate) => HOST_WEIGHT[candidate.role]);
    const [activity] = random.weighted(ACTIVITIES[host.role], ([, weight]) => weight);
    activity(world, host, time);
    activities += 1;
    const elapsed = (time - world.start) / duration;
    const background = Math.max(1, world.counter.count - countAtStart - attack * elapsed);
    const perActivity = Math.max(1, background / activities);
    const left = budget - background;
    const timeLeft = world.end - time;
    if (left <= 0 || timeLeft <= 0) return;
    const gap = random.exponential(timeLeft / Math.max(1, left / perActivity));
    world.schedule(time + Math.max(1, Math.round(gap)), step);
  };
  world.schedule(world.start + random.int(0, 2_000_000), step);
}
