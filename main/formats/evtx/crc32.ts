// CRC-32 as RFC 1952 (gzip) defines it: reflected polynomial 0xEDB88320, initial value
// 0xFFFFFFFF, final XOR. The libyal EVTX format notes name this checksum for the file
// header, the chunk header and the records area of a chunk.

const TABLE = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** Continues a CRC-32 over `bytes[start, end)`; pass the previous result to checksum several ranges as one. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, previous = 0): number {
  let crc = ~previous >>> 0;
  for (let i = start; i < end; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
