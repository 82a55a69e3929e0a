// Windows event log exports (XML, JSON, JSON lines, CSV), decoded by their BOM and
// read as a stream.

import { detectWinExport, ExportTextDecoder, WinExportReader } from '../../formats/winexport/index.ts';
import type { EvidenceHandler } from '../handler.ts';
import { WindowsEventStore } from './windows-events.ts';

export const winExportHandler: EvidenceHandler = {
  kind: 'evtx-export',
  parser: 'casebook-winexport@1',
  detect(sample) {
    const decoder = new ExportTextDecoder();
    const text = decoder.decode(sample.head);
    return detectWinExport(text, sample.name) !== null;
  },
  async run(input, sink) {
    const decoder = new ExportTextDecoder();
    let reader: WinExportReader | null = null;
    let pending = '';
    let issuesSeen = 0;
    const flushIssues = () => {
      if (!reader) return;
      for (; issuesSeen < reader.issues.length; issuesSeen++) {
        const issue = reader.issues[issuesSeen]!;
        sink.issue({
          severity: issue.severity,
          position: `line ${issue.line}${issue.column ? ` column ${issue.column}` : ''}`,
          message: issue.message,
        });
      }
    };
    const store = new WindowsEventStore(sink);
    const emit = async (events: ReturnType<WinExportReader['push']>) => {
      for (const event of events) await store.push(event);
      flushIssues();
    };
    for await (const chunk of input.open()) {
      const text = decoder.decode(chunk as Buffer);
      if (!reader) {
        pending += text;
        const kind = detectWinExport(pending, input.name);
        if (!kind && pending.length < 65_536) continue;
        if (!kind) throw new Error('content is no longer recognised as a Windows event export');
        reader = new WinExportReader(kind);
        await emit(reader.push(pending));
        pending = '';
      } else {
        await emit(reader.push(text));
      }
    }
    if (!reader) {
      const kind = detectWinExport(pending + decoder.end(), input.name);
      if (!kind) throw new Error('content is not a recognised Windows event export');
      reader = new WinExportReader(kind);
      await emit(reader.push(pending));
    } else {
      const rest = decoder.end();
      if (rest) await emit(reader.push(rest));
    }
    await emit(reader.end());
    await store.end();
    const notes = reader.csvDialect ? [`CSV dialect ${reader.csvDialect}`] : [];
    notes.push(...store.notes());
    if (reader.skipped > 0) notes.push(`${reader.skipped} records could not be read`);
    return { notes };
  },
};
