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

interface BlockState {
  computer: string | null;
  id: string;
  totals: Set<number>;
  parts: ScriptBlockPart[];
  path: string | null;
  warnings: string[];
}

/** Read the fields of one 4104 part; returns null when the event is not a script block part. */
function readPart(event: WinEvent): { key: string; id: string; total: number; part: ScriptBlockPart; path: string | null } | null {
  if (!isScriptBlockEvent(event)) return null;
  const fields = new EventFields(event);
  const id = fields.get('ScriptBlockId');
  if (id === null) return null;
  const computer = event.system.computer;
  return {
    key: `${(computer ?? '').toLowerCase()}\u0000${id.toLowerCase()}`,
    id,
    total: fields.int('MessageTotal') ?? 1,
    path: fields.get('Path'),
    part: {
      number: fields.int('MessageNumber') ?? 1,
      locator: event.locator,
      recordId: event.system.recordId?.toString() ?? null,
      text: fields.raw('ScriptBlockText') ?? '',
    },
  };
}

function addPart(blocks: Map<string, BlockState>, event: WinEvent, read: NonNullable<ReturnType<typeof readPart>>): BlockState {
  let block = blocks.get(read.key);
  if (!block) {
    block = { computer: event.system.computer, id: read.id, totals: new Set(), parts: [], path: null, warnings: [] };
    blocks.set(read.key, block);
  }
  block.totals.add(read.total);
  block.path ??= read.path;
  block.parts.push(read.part);
  return block;
}

function finishBlock(block: BlockState): ScriptBlock {
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
  for (const part of parts) if (part.number < 1 || part.number > total) warnings.push(`part number ${part.number} is outside 1..${total}`);
  return {
    computer: block.computer,
    scriptBlockId: block.id,
    total,
    parts,
    missing,
    complete: missing.length === 0,
    text,
    path: block.path,
    warnings,
  };
}

/** Collects 4104 parts one event at a time; other events are ignored. */
export class ScriptBlockAssembler {
  private readonly blocks = new Map<string, BlockState>();

  /** Adds one event; returns false when it is not a 4104 script block part. */
  add(event: WinEvent): boolean {
    const read = readPart(event);
    if (!read) return false;
    addPart(this.blocks, event, read);
    return true;
  }

  /** The blocks collected so far, in first-seen order. */
  result(): ScriptBlock[] {
    return [...this.blocks.values()].map(finishBlock);
  }
}

/** Reassembles every multi-part (and single-part) script block among `events`. */
export function reassembleScriptBlocks(events: Iterable<WinEvent>): ScriptBlock[] {
  const assembler = new ScriptBlockAssembler();
  for (const event of events) assembler.add(event);
  return assembler.result();
}

/** Position of a 4104 part in its reassembled script block, stored in the part's record as `ScriptBlock`. */
export interface ScriptBlockReference {
  id: string;
  total: number;
  /** Every part present, in MessageNumber order. */
  parts: { number: number; recordId: string | null; locator: string }[];
  missing: number[];
  complete: boolean;
  /** The whole reassembled script, on the lowest-numbered part present only. */
  text?: string;
  warnings?: string[];
}

/** An event to normalize, with its script block reference when it is a part of a multi-part block. */
export interface JoinedEvent {
  event: WinEvent;
  scriptBlock?: ScriptBlockReference;
}

/** Text of held-back parts above which the oldest incomplete block is released (UTF-16 code units). */
const MAX_HELD_TEXT = 64 * 1024 * 1024;

/**
 * Streams events and holds back the parts of multi-part 4104 script blocks until the
 * block is complete, so every part can be stored with a reference to the others and
 * the lowest-numbered part with the whole script. Blocks still incomplete when the
 * input ends (or when held-back text passes 64 Mi characters, oldest first) are
 * released with their missing parts listed. Other events pass through at once.
 */
export class ScriptBlockJoiner {
  private readonly blocks = new Map<string, BlockState>();
  /** Held-back events and their script text length, by block key in first-seen order. */
  private readonly held = new Map<string, { events: WinEvent[]; size: number }>();
  private heldText = 0;

  /** Takes one event; returns the events to store now, in order. */
  push(event: WinEvent): JoinedEvent[] {
    const read = readPart(event);
    if (!read || (read.total <= 1 && !this.held.has(read.key))) return [{ event }];
    const block = addPart(this.blocks, event, read);
    const entry = this.held.get(read.key) ?? { events: [], size: 0 };
    entry.events.push(event);
    entry.size += read.part.text.length;
    this.heldText += read.part.text.length;
    this.held.set(read.key, entry);

    const out: JoinedEvent[] = [];
    const numbers = new Set(block.parts.map((part) => part.number));
    const total = Math.max(...block.totals);
    let complete = true;
    for (let number = 1; number <= total; number += 1) if (!numbers.has(number)) complete = false;
    if (complete) out.push(...this.release(read.key));
    while (this.heldText > MAX_HELD_TEXT && this.held.size > 0) out.push(...this.release(this.held.keys().next().value as string));
    return out;
  }

  /** Releases every block still held back, incomplete ones included. */
  end(): JoinedEvent[] {
    const out: JoinedEvent[] = [];
    for (const key of [...this.held.keys()]) out.push(...this.release(key));
    return out;
  }

  private release(key: string): JoinedEvent[] {
    const entry = this.held.get(key)!;
    const block = finishBlock(this.blocks.get(key)!);
    this.held.delete(key);
    this.blocks.delete(key);
    this.heldText -= entry.size;
    const carrier = block.parts[0]!;
    const reference: ScriptBlockReference = {
      id: block.scriptBlockId,
      total: block.total,
      parts: block.parts.map((part) => ({ number: part.number, recordId: part.recordId, locator: part.locator })),
      missing: block.missing,
      complete: block.complete,
      ...(block.warnings.length > 0 ? { warnings: block.warnings } : {}),
    };
    // Locators are unique within one evidence file, so they pick out the carrier part.
    return entry.events.map((event) => ({
      event,
      scriptBlock: event.locator === carrier.locator ? { ...reference, text: block.text } : reference,
    }));
  }
}
