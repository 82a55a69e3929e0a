// Volatility 3 output of each host's memory at the end of the logged period: pslist,
// psscan, pstree, cmdline, netscan and malfind, in the renderer the scenario chose for
// the host. Image names are cut to 14 characters like EPROCESS.ImageFileName, times are
// whole seconds, and a process unlinked from the active list shows in psscan only.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MemoryRenderer } from '../definition.ts';
import { newRef } from '../evidence.ts';
import type { Host } from '../host.ts';
import { baseName } from '../images.ts';
import type { Endpoint, Proc } from '../model.ts';
import type { World } from '../world.ts';
import { type Cell, cell, disassemblyText, type Row, renderCsv, renderJson, renderText, type Table } from './volatility.ts';

export const PLUGINS = {
  pslist: 'windows.pslist.PsList',
  psscan: 'windows.psscan.PsScan',
  pstree: 'windows.pstree.PsTree',
  cmdline: 'windows.cmdline.CmdLine',
  netscan: 'windows.netscan.NetScan',
  malfind: 'windows.malfind.Malfind',
} as const;

type PluginKind = keyof typeof PLUGINS;

const EXTENSION: Record<MemoryRenderer, string> = { text: 'txt', csv: 'csv', json: 'json' };

const PROCESS_COLUMNS = ['PID', 'PPID', 'ImageFileName', 'Offset(V)', 'Threads', 'Handles', 'SessionId', 'Wow64', 'CreateTime', 'ExitTime'];

/** EPROCESS.ImageFileName holds 15 bytes with the terminating NUL, so Volatility shows at most 14 characters. */
export function memoryName(proc: Proc): string {
  return baseName(proc.image).slice(0, 14);
}

function processCells(proc: Proc, capture: number): Cell[] {
  const exited = proc.end !== null && proc.end <= capture;
  return [
    cell.int(proc.pid),
    cell.int(proc.ppid),
    cell.str(memoryName(proc)),
    cell.hex(proc.offset),
    cell.int(exited ? 0 : proc.threads),
    exited ? cell.unreadable() : cell.int(proc.handles),
    proc.logon.session === null || proc.pid === 4 || proc.image === 'Registry' ? cell.na() : cell.int(proc.logon.session),
    cell.bool(false),
    cell.time(proc.start),
    exited ? cell.time(proc.end!) : cell.na(),
  ];
}

interface Placed {
  host: Host;
  kind: PluginKind;
  evidence: string;
  step: string | undefined;
  time: number;
  description: string;
}

export class MemoryWriter {
  constructor(private readonly world: World) {}

  writeHost(host: Host): Record<string, number> {
    const capture = this.world.end;
    const renderer = host.def.memory;
    const relative = `hosts/${host.name}/memory`;
    mkdirSync(path.join(this.world.bundleDir, relative), { recursive: true });
    const linked = [...host.live.values()].filter((proc) => !proc.hidden).sort((a, b) => a.start - b.start);
    const scanned = [...host.live.values(), ...host.exited].sort((a, b) => a.offset - b.offset);
    const tables: Record<PluginKind, Table> = {
      pslist: {
        columns: [...PROCESS_COLUMNS, 'File output'],
        rows: linked.map((proc) => this.processRow(proc, capture, 0, true, 'pslist')),
      },
      psscan: {
        columns: [...PROCESS_COLUMNS, 'File output'],
        rows: scanned.map((proc) => this.processRow(proc, capture, 0, true, 'psscan')),
      },
      pstree: { columns: PROCESS_COLUMNS, rows: this.treeRows(linked, capture) },
      cmdline: { columns: ['PID', 'Process', 'Args'], rows: linked.map((proc) => this.cmdlineRow(proc)) },
      netscan: {
        columns: ['Offset', 'Proto', 'LocalAddr', 'LocalPort', 'ForeignAddr', 'ForeignPort', 'State', 'PID', 'Owner', 'Created'],
        rows: [...host.listeners, ...host.open, ...host.closed]
          .sort((a, b) => a.offset - b.offset)
          .map((endpoint) => this.netscanRow(endpoint)),
      },
      malfind: {
        columns: [
          'PID',
          'Process',
          'Start VPN',
          'End VPN',
          'Tag',
          'Protection',
          'CommitCharge',
          'PrivateMemory',
          'File output',
          'Hexdump',
          'Disasm',
        ],
        rows: host.injections
          .filter((injection) => injection.proc.end === null || injection.proc.end > capture)
          .map((injection) => ({
            depth: 0,
            cells: [
              cell.int(injection.proc.pid),
              cell.str(memoryName(injection.proc)),
              cell.hex(injection.start),
              cell.hex(injection.start + 0xfff),
              cell.str('VadS'),
              cell.str('PAGE_EXECUTE_READWRITE'),
              cell.int(1),
              cell.int(1),
              cell.str('Disabled'),
              cell.hexbytes(injection.bytes),
              cell.disasm(disassemblyText(injection.start, injection.instructions)),
            ],
            ...this.keyHook(
              injection.step,
              host,
              'malfind',
              `malfind: executable private memory in ${memoryName(injection.proc)} (PID ${injection.proc.pid})`,
              capture,
            ),
          })),
      },
    };
    const counts: Record<string, number> = {};
    for (const kind of Object.keys(PLUGINS) as PluginKind[]) {
      const file = `${relative}/${PLUGINS[kind]}.${EXTENSION[renderer]}`;
      this.current = file;
      const table = tables[kind];
      const text = renderer === 'text' ? renderText(table) : renderer === 'csv' ? renderCsv(table) : renderJson(table);
      writeFileSync(path.join(this.world.bundleDir, file), text);
      counts[file] = table.rows.length;
      this.world.counter.count += table.rows.length;
    }
    return counts;
  }

  /** Evidence file being rendered; rows placed while it renders belong to it. */
  private current = '';

  private keyHook(step: string | undefined, host: Host, kind: PluginKind, description: string, time: number): Pick<Row, 'onPlaced'> {
    if (!step) return {};
    const placed: Placed = { host, kind, evidence: '', step, time, description };
    return {
      onPlaced: (row, line) => {
        placed.evidence = this.current;
        const ref = newRef(placed.evidence);
        ref.plugin = PLUGINS[kind];
        ref.row = row;
        ref.locator = `${PLUGINS[kind]} row ${row} line ${line}`;
        this.world.key.event(ref, { step, time, host: host.name, source: 'memory', code: kind, description });
      },
    };
  }

  private processRow(proc: Proc, capture: number, depth: number, fileOutput: boolean, kind: PluginKind): Row {
    const cells = processCells(proc, capture);
    if (fileOutput) cells.push(cell.str('Disabled'));
    const where = kind === 'psscan' && proc.hidden ? ' (not in pslist: unlinked from the active process list)' : '';
    return {
      depth,
      cells,
      ...this.keyHook(proc.step, proc.host, kind, `${kind}: ${memoryName(proc)} PID ${proc.pid} PPID ${proc.ppid}${where}`, proc.start),
    };
  }

  private cmdlineRow(proc: Proc): Row {
    const unreadable = proc.pid === 4 || proc.image === 'Registry' || proc.commandLine === '';
    return {
      depth: 0,
      cells: [
        cell.int(proc.pid),
        cell.str(memoryName(proc)),
        cell.str(unreadable ? 'Required memory at 0x20 is not valid (process exited?)' : proc.commandLine),
      ],
      ...this.keyHook(proc.step, proc.host, 'cmdline', `cmdline: PID ${proc.pid} ${proc.commandLine}`, proc.start),
    };
  }

  private netscanRow(endpoint: Endpoint): Row {
    return {
      depth: 0,
      cells: [
        cell.hex(endpoint.offset),
        cell.str(endpoint.proto),
        cell.str(endpoint.localAddr),
        cell.int(endpoint.localPort),
        cell.str(endpoint.foreignAddr),
        cell.int(endpoint.foreignPort),
        cell.str(endpoint.state),
        cell.int(endpoint.proc.pid),
        cell.str(memoryName(endpoint.proc)),
        cell.time(endpoint.created),
      ],
      ...this.keyHook(
        endpoint.step,
        endpoint.proc.host,
        'netscan',
        `netscan: ${endpoint.state} ${endpoint.localAddr}:${endpoint.localPort} -> ${endpoint.foreignAddr}:${endpoint.foreignPort} owned by ${memoryName(endpoint.proc)} (PID ${endpoint.proc.pid})`,
        endpoint.created,
      ),
    };
  }

  /** pstree: roots are processes whose parent is not in the list; children follow their parent, oldest first. */
  private treeRows(linked: Proc[], capture: number): Row[] {
    const byPid = new Map(linked.map((proc) => [proc.pid, proc]));
    const children = new Map<number, Proc[]>();
    const roots: Proc[] = [];
    for (const proc of linked) {
      const parent = byPid.get(proc.ppid);
      if (parent && parent !== proc && parent.start <= proc.start) {
        const list = children.get(parent.pid) ?? [];
        list.push(proc);
        children.set(parent.pid, list);
      } else {
        roots.push(proc);
      }
    }
    const rows: Row[] = [];
    const visit = (proc: Proc, depth: number) => {
      rows.push(this.processRow(proc, capture, depth, false, 'pstree'));
      for (const child of children.get(proc.pid) ?? []) visit(child, depth + 1);
    };
    for (const root of roots) visit(root, 0);
    return rows;
  }
}
