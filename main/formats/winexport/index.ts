// Public API of the Windows event export readers (XML, JSON, JSON lines, CSV).

export { CsvSplitter } from './csv.ts';
export type { CsvDialect } from './csv-events.ts';
export { CsvEventMapper, csvDialect } from './csv-events.ts';
export type { ExportEncoding } from './decode.ts';
export { decodeExportBytes, detectExportEncoding, ExportTextDecoder } from './decode.ts';
export type { JsonValue } from './json.ts';
export { JsonNumber, JsonObject, JsonSplitter, JsonSyntaxError, parseJson, stringifyJson } from './json.ts';
export type { JsonShape } from './json-events.ts';
export { jsonShape, winEventFromJson } from './json-events.ts';
export type { WinExportReaderOptions } from './reader.ts';
export { detectWinExport, readWinExport, WinExportReader } from './reader.ts';
export type { WinTimeOptions, WinTimeResult } from './time.ts';
export { EVTX_EARLIEST_MICROS, parseEventViewerTime, parseWinTime } from './time.ts';
export type { EnvelopeField, ExportIssue, ExportKind, WinExportEvent } from './types.ts';
export type { TolerantXmlResult, XmlRepair } from './xml.ts';
export { parseTolerantXml } from './xml.ts';
export type { XmlReaderOptions } from './xml-events.ts';
export { readXmlExport, winEventFromXml, XmlExportReader } from './xml-events.ts';
