import type { Readable } from 'node:stream';

/**
 * Read a whole stream into memory, for formats that need random access or whole-text
 * parsing. NOTE: memory grows with the file; EVTX and Volatility outputs are usually
 * well under 1 GiB, but a streaming path would keep it flat.
 */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
