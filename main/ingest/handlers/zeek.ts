// Zeek logs (TSV and JSON lines): each record becomes a unified event plus a row of
// the typed table `zeek_<path>` with one column per field.

import { detectZeek, parseZeekLines, ZeekParser, type ZeekRecord, type ZeekSchema, zeekColumnType } from '../../formats/zeek/index.ts';
import { normalizeZeek } from '../../normalize/zeek.ts';
import type { EvidenceHandler, ImportSink, TypedColumn, TypedColumnType } from '../handler.ts';
import { MAX_LINE_LENGTH, readLines, type TextLine, TruncatedInputError } from '../lines.ts';

/** Report lines over the length limit as errors and pass the others on. */
async function* reportOverlong(lines: AsyncIterable<TextLine>, sink: ImportSink): AsyncGenerator<TextLine> {
  for await (const line of lines) {
    if (line.overlong) {
      sink.issue({
        severity: 'error',
        position: `line ${line.number}`,
        message: `line longer than ${MAX_LINE_LENGTH} characters: not imported`,
      });
      continue;
    }
    yield line;
  }
}

function columnsFor(schema: ZeekSchema, cache: WeakMap<ZeekSchema, TypedColumn[]>): TypedColumn[] {
  let columns = cache.get(schema);
  if (!columns) {
    const seen = new Set<string>();
    columns = schema.names.map((name, i) => {
      // A name written twice keeps both values: the second gets a numbered suffix.
      let unique = name;
      for (let n = 2; seen.has(unique); n++) unique = `${name}#${n}`;
      seen.add(unique);
      return { name: unique, type: zeekColumnType(schema.types[i]!) };
    });
    cache.set(schema, columns);
  }
  return columns;
}

/** Port sets come out of the parser as numbers but load into BIGINT lists. */
function typedValues(record: ZeekRecord, columns: TypedColumn[]): unknown[] {
  return record.values.map((value, i) => {
    const type: TypedColumnType = columns[i]!.type;
    if (Array.isArray(value) && (type === 'BIGINT[]' || type === 'UBIGINT[]')) {
      return value.map((item) => (typeof item === 'number' ? BigInt(Math.trunc(item)) : item));
    }
    return value;
  });
}

export const zeekHandler: EvidenceHandler = {
  kind: 'zeek',
  parser: 'casebook-zeek@1',
  detect(sample) {
    return detectZeek(Buffer.from(sample.head).toString('utf8'), sample.name) !== null;
  },
  async run(input, sink) {
    const parser = new ZeekParser({
      fileName: input.name,
      onIssue: (issue) => sink.issue({ severity: issue.severity, position: issue.position, message: issue.message }),
    });
    const schemaColumns = new WeakMap<ZeekSchema, TypedColumn[]>();
    try {
      for await (const record of parseZeekLines(reportOverlong(readLines(input.open()), sink), parser)) {
        const event = normalizeZeek(record);
        const columns = columnsFor(record.schema, schemaColumns);
        const full = sink.add(event, { table: `zeek_${record.path}`, columns, values: typedValues(record, columns) });
        if (full) await sink.drain();
      }
    } catch (error) {
      if (!(error instanceof TruncatedInputError)) throw error;
      sink.issue({
        severity: 'error',
        position: `line ${error.line + 1}`,
        message: `compressed data ends early after line ${error.line}; the partial last line was not imported`,
      });
    }
    const summary = parser.finish();
    const notes = [`${summary.format === 'json' ? 'JSON lines' : 'TSV'}, ${summary.headerBlocks} header block(s)`, ...summary.notes];
    return { notes };
  },
};
