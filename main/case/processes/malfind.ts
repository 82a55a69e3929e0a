// Grades each malfind region by the bytes Volatility printed for it. malfind lists every
// private region that is both writable and executable, and JIT compilers and
// anti-virus engines (Defender's MsMpEng.exe among them) leave such regions, often
// still zero-filled. A region that starts with an MZ header or contains non-zero bytes
// is graded injected code (high). A region of zeros, or one printed without bytes, is
// graded low.
//
// The bytes come from the row's Hexdump value, in the layouts the Volatility renderers
// write (seen in the corpus's Volatility 2 text and Volatility 3 text and JSON outputs):
//   3 text/CSV:  `fc 48 83 e4 f0 e8 c8 00\t.H......` per line, 8 bytes a line
//   3 JSON:      `00 00 c0 43 ...` on one line, or the text layout wrapped in `"`
//   2 text:      `0x7f6f0000  c8 00 00 00 ... 08 70 00 00   .............p..`
// When the Hexdump has no bytes, the Disasm value is read instead: Volatility 3's JSON
// renderer prints it as hex bytes, the text renderers as instructions.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { FlagSeverity } from '../../../shared/processes.ts';

/** One line's hex bytes: an optional address, then two-digit bytes separated by single spaces, then the ASCII column or the end. */
const HEX_LINE = /^\s*(?:0x[0-9a-fA-F]+:?\s+)?((?:[0-9a-fA-F]{2} )*[0-9a-fA-F]{2})(?:\s{2}|\t|\s*$)/;

/** A line of nothing but hex bytes, as Volatility 3's JSON renderer prints Disasm. */
const HEX_ONLY_LINE = /^(?:[0-9a-fA-F]{2} )*[0-9a-fA-F]{2}$/;

/** Instructions the disassemblers print for the bytes `00 00` (Capstone in Volatility 3, distorm3 in Volatility 2). */
const ZERO_INSTRUCTION = /^add\s+(?:byte ptr )?\[[er]ax\],\s*al$/i;

/** An instruction line: an address, optional bytes (Volatility 2), then the mnemonic and operands. */
const INSTRUCTION_LINE = /^\s*0x[0-9a-fA-F]+:?\s+(?:[0-9a-fA-F]+\s{2,})?([a-zA-Z].*)$/;

const SHOWN_BYTES = 8;

export type RegionContent = 'pe' | 'code' | 'zeros' | 'empty';

export interface RegionGrade {
  content: RegionContent;
  severity: FlagSeverity;
  /** The reason, as it ends a flag explanation. */
  reason: string;
}

function lines(text: string): string[] {
  return text
    .trim()
    .replace(/^"|"$/g, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function pairs(text: string): number[] {
  return text.split(' ').map((pair) => Number.parseInt(pair, 16));
}

/** Reads the bytes of a malfind Hexdump value; returns none when no line starts with hex bytes. */
export function hexdumpBytes(text: string | null): number[] {
  if (text === null) return [];
  return lines(text).flatMap((line) => {
    const match = HEX_LINE.exec(line);
    return match ? pairs(match[1]!) : [];
  });
}

/** Reads a Disasm value printed as hex bytes; returns none when any line is something else, such as an instruction. */
function disasmBytes(text: string | null): number[] {
  if (text === null) return [];
  const found = lines(text);
  return found.every((line) => HEX_ONLY_LINE.test(line)) ? found.flatMap(pairs) : [];
}

function instructions(text: string | null): string[] {
  if (text === null) return [];
  const found: string[] = [];
  for (const line of lines(text)) {
    const match = INSTRUCTION_LINE.exec(line);
    if (match) found.push(match[1]!.replace(/\s+/g, ' ').trim());
  }
  return found;
}

function hexText(bytes: number[]): string {
  const shown = bytes
    .slice(0, SHOWN_BYTES)
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join(' ');
  return bytes.length > SHOWN_BYTES ? `${shown} …` : shown;
}

const ZEROS: RegionGrade = { content: 'zeros', severity: 'low', reason: 'RWX region of zeros, often benign (JIT, Defender)' };

/** Grades one malfind region from its Hexdump and Disasm values. */
export function gradeMalfindRegion(hexdump: string | null, disasm: string | null): RegionGrade {
  let bytes = hexdumpBytes(hexdump);
  if (bytes.length === 0) bytes = disasmBytes(disasm);
  if (bytes.length > 0) {
    if (bytes[0] === 0x4d && bytes[1] === 0x5a) {
      return { content: 'pe', severity: 'high', reason: `injected code: the region starts with an MZ header (${hexText(bytes)})` };
    }
    const firstCode = bytes.findIndex((byte) => byte !== 0);
    if (firstCode === 0) return { content: 'code', severity: 'high', reason: `injected code: non-zero bytes ${hexText(bytes)}` };
    if (firstCode > 0) {
      const offset = `0x${firstCode.toString(16)}`;
      return {
        content: 'code',
        severity: 'high',
        reason: `injected code: non-zero bytes from offset ${offset}: ${hexText(bytes.slice(firstCode))}`,
      };
    }
    return ZEROS;
  }
  const code = instructions(disasm);
  if (code.length > 0) {
    if (code.every((instruction) => ZERO_INSTRUCTION.test(instruction))) return ZEROS;
    return { content: 'code', severity: 'high', reason: `injected code: first instruction ${code[0]}` };
  }
  // NOTE: Volatility prints no bytes when it could not read the region, so a paged-out
  // region holding code would also land here.
  return { content: 'empty', severity: 'low', reason: 'RWX region with no bytes shown, often benign (JIT, Defender)' };
}

/** Creates `process_malfind_regions` (event_id, severity, reason) for every malfind row of the case. */
export async function gradeMalfindRegions(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE process_malfind_regions (event_id BIGINT, severity VARCHAR, reason VARCHAR)`);
  const reader = await connection.runAndReadAll(`
    SELECT e.event_id, e.data->>'$.values.Hexdump' AS hexdump, e.data->>'$.values.Disasm' AS disasm
    FROM events e JOIN process_memory_plugins k ON e.source = 'memory' AND k.log = e.log AND k.kind = 'malfind'`);
  const rows = reader.getRowObjects();
  if (rows.length === 0) return;
  const appender = await connection.createAppender('process_malfind_regions', 'main', 'temp');
  for (const row of rows) {
    const grade = gradeMalfindRegion(row.hexdump as string | null, row.disasm as string | null);
    appender.appendBigInt(BigInt(row.event_id as bigint));
    appender.appendVarchar(grade.severity);
    appender.appendVarchar(grade.reason);
    appender.endRow();
  }
  appender.closeSync();
}
