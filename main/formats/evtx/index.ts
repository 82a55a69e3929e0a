// Public API of the EVTX parser and writer.

export type { BxAttribute, BxElement, BxNode, BxPart } from './binxml.ts';
export { attributeText, flatText } from './binxml.ts';
export type { ChunkHeader, ChunkResult, EvtxFileHeader, EvtxProblem, ParsedRecord } from './chunk.ts';
export { parseChunk, parseFileHeader } from './chunk.ts';
export { ChunkPool } from './pool.ts';
export type { ByteSource, EvtxReadOptions, EvtxRecord, EvtxReport } from './reader.ts';
export { bytesSource, EvtxReader, readEvtx } from './reader.ts';
export type { BxValue } from './values.ts';
export { renderXml } from './xml.ts';
