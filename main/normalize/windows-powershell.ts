// Reassembly of PowerShell script blocks that span several 4104 events. PowerShell
// splits a long script into parts that share a ScriptBlockId and carry MessageNumber
// and MessageTotal; records may arrive in any order, and parts may be missing. Parts
// are keyed by computer and ScriptBlockId and ordered by MessageNumber, never by
// record id, time or the localized message text.

import type { WinEvent } from '../formats/windows/event.ts';
import { EventFields } from './windows-fields.ts';

export interface ScriptBlockPart {
  number: number;
  /** Where the part's record sits in its evidence file. */
  locator: string;
  recordId: string | null;
  text: string;
}

export interface ScriptBlock {
  computer: string | null;
  scriptBlockId: string;
  /** MessageTotal as the parts state it (the largest, if they disagree). */
  total: number;
  /** Parts present, in MessageNumber order; a repeated number keeps its first record. */
  parts: ScriptBlockPart[];
  /** Part numbers from 1 to total that no record supplied. */
  missing: number[];
  complete: boolean;
  /**
   * The script: the parts joined with nothing in between. Where parts are missing, a
   * line `<# part N of M missing #>` (a PowerShell comment) stands in each gap, so the
   * text stays searchable and a pattern never matches across a gap.
   */
  text: string;
  path: string | null;
  /** Problems such as conflicting totals or repeated part numbers. */
  warnings: string[];
}

function isScriptBlockEvent(event: WinEvent): boolean {
  const provider = (event.system.provider ?? '').toLowerCase();
  const channel = (event.system.channel ?? '').toLowerCase();
  return (
    event.system.eventId === 4104 && (provider === 'microsoft-windows-powershell' || channel === 'microsoft-windows-powershell/operational')
  );
}

/** Collects 4104 parts one event at a time; other events are ignored. */
export class ScriptBlockAssembler {
  private readonly blocks = new Map<
    string,
    { computer: string | null; id: string; totals: Set<number>; parts: ScriptBlockPart[]; path: string | null; warnings: string[] }
  >();

  /** Adds one event; returns false when it is not a 4104 script block part. */
  add(event: WinEvent): boolean {
    if (!isScriptBlockEvent(event)) return false;
    const fields = new EventFields(event);
    const id = fields.get('ScriptBlockId');
    if (id === null) return false;
    const number = fields.int('MessageNumber') ?? 1;
    const total = fields.int('MessageTotal') ?? 1;
    const computer = event.system.computer;
    const key = `${(computer ?? '').toLowerCase()}\u0000${id.toLowerCase()}`;
    let block = this.blocks.get(key);
    if (!block) {
      block = { computer, id, totals: new Set(), parts: [], path: null, warnings: [] };
      this.blocks.set(key, block);
    }
    block.totals.add(total);
    block.path ??= fields.get('Path');
    block.parts.push({
      number,
      locator: event.locator,
      recordId: event.system.recordId?.toString() ?? null,
      text: fields.raw('ScriptBlockText') ?? '',
    });
    return true;
  }

  /** The blocks collected so far, in first-seen order. */
  result(): ScriptBlock[] {
    const out: ScriptBlock[] = [];
    for (const block of this.blocks.values()) {
      const warnings = [...block.warnings];
      const total = Math.max(...block.totals);
      if (block.totals.size > 1) warnings.push(`parts disagree on MessageTotal: ${[...block.totals].join(', ')}`);
      const byNumber = new Map<number, ScriptBlockPart>();
      for (const part of block.parts) {
        const existing = byNumber.get(part.number);
        if (existing) warnings.push(`part ${part.number} appears again at ${part.locator}; the first, at ${existing.locator}, is used`);
        else byNumber.set(part.number, part);
      }
      const parts = [...byNumber.values()].sort((a, b) => a.number - b.number);
      const missing: number[] = [];
      let text = '';
      for (let number = 1; number <= total; number += 1) {
        const part = byNumber.get(number);
        if (part) text += part.text;
        else {
          missing.push(number);
          text += `\n<# part ${number} of ${total} missing #>\n`;
        }
      }
      for (const part of parts)
        if (part.number < 1 || part.number > total) warnings.push(`part number ${part.number} is outside 1..${total}`);
      out.push({
        computer: block.computer,
        scriptBlockId: block.id,
        total,
        parts,
        missing,
        complete: missing.length === 0,
        text,
        path: block.path,
        warnings,
      });
    }
    return out;
  }
}

/** Reassembles every multi-part (and single-part) script block among `events`. */
export function reassembleScriptBlocks(events: Iterable<WinEvent>): ScriptBlock[] {
  const assembler = new ScriptBlockAssembler();
  for (const event of events) assembler.add(event);
  return assembler.result();
}
