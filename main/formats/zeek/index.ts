// Public API of the Zeek log parser.

export { detectZeek } from './detect.ts';
export { decodeZeekEscapes } from './escape.ts';
export type { PushLineOptions, ZeekLineInput, ZeekParserOptions, ZeekSummary } from './parser.ts';
export { parseZeekLines, ZeekParser, zeekPathFromFileName } from './parser.ts';
export { FILETIME_ZERO_MICROS, formatIsoMicros, formatSecondsDecimal, parseDecimalMicros, parseIsoMicros, parseZeekTime } from './time.ts';
export type { ZeekFormat, ZeekIssue, ZeekRecord, ZeekScalar, ZeekSchema, ZeekTimeNote, ZeekValue } from './types.ts';
export { containerElementType, inferJsonFieldType, isJsonIntervalField, isJsonTimeField, zeekColumnType, zeekField } from './types.ts';
