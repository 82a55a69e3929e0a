// Text decoding of export files. wevtutil and Event Viewer write UTF-16 LE with a BOM;
// PowerShell redirection writes UTF-16 LE, other tools UTF-8 with or without a BOM.

import { TextDecoder } from 'node:util';

export type ExportEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * Chooses the encoding from the byte order mark. Without one, UTF-16 is recognised by
 * NUL bytes at every other position in the first bytes (ASCII markup encoded as UTF-16),
 * and anything else is UTF-8.
 */
export function detectExportEncoding(head: Uint8Array): { encoding: ExportEncoding; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const sample = Math.min(head.length - (head.length % 2), 64);
  if (sample >= 4) {
    let evenZero = 0;
    let oddZero = 0;
    for (let index = 0; index < sample; index += 2) {
      if (head[index] === 0) evenZero += 1;
      if (head[index + 1] === 0) oddZero += 1;
    }
    const pairs = sample / 2;
    if (oddZero === pairs && evenZero === 0) return { encoding: 'utf-16le', bomLength: 0 };
    if (evenZero === pairs && oddZero === 0) return { encoding: 'utf-16be', bomLength: 0 };
  }
  return { encoding: 'utf-8', bomLength: 0 };
}

/**
 * A streaming decoder for one export file: the encoding comes from the first chunk, the
 * BOM is dropped, and characters split across chunks are joined. Invalid sequences
 * become U+FFFD rather than an exception.
 */
export class ExportTextDecoder {
  encoding: ExportEncoding | null = null;
  private decoder: TextDecoder | null = null;
  private pendingBom = 0;

  decode(chunk: Uint8Array): string {
    if (!this.decoder) {
      const detected = detectExportEncoding(chunk);
      this.encoding = detected.encoding;
      this.pendingBom = detected.bomLength;
      this.decoder = new TextDecoder(detected.encoding, { ignoreBOM: true, fatal: false });
    }
    let bytes = chunk;
    if (this.pendingBom > 0) {
      const skip = Math.min(this.pendingBom, bytes.length);
      bytes = bytes.subarray(skip);
      this.pendingBom -= skip;
    }
    return this.decoder.decode(bytes, { stream: true });
  }

  end(): string {
    return this.decoder ? this.decoder.decode() : '';
  }
}

/** Decodes a whole export file held in memory. */
export function decodeExportBytes(bytes: Uint8Array): { text: string; encoding: ExportEncoding } {
  const decoder = new ExportTextDecoder();
  const text = decoder.decode(bytes) + decoder.end();
  return { text, encoding: decoder.encoding ?? 'utf-8' };
}
