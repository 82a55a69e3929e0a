// Types shared by the Windows event export readers (XML, JSON, CSV).

import type { WinEvent } from '../windows/event.ts';

/**
 * Export formats by content:
 * - `xml`: `wevtutil qe /f:xml` (a run of `<Event>` without a root), Event Viewer
 *   "Save as XML" (an `<Events>` root) or a single `<Event>`.
 * - `json-lines`: one JSON object per line (evtx_dump `-o jsonl`, Winlogbeat, NXLog,
 *   OTRF Security-Datasets, Azure Sentinel, Hayabusa).
 * - `json`: a JSON array of events, or one or more pretty-printed objects.
 * - `csv`: EvtxECmd, Event Viewer "Save as CSV" or Hayabusa CSV.
 */
export type ExportKind = 'xml' | 'json-lines' | 'json' | 'csv';

/** A problem in an export file, with the 1-based line (and column where known). */
export interface ExportIssue {
  severity: 'error' | 'warning';
  line: number;
  column?: number;
  message: string;
}

/** A field of the export's envelope that is not part of the Windows event itself. */
export interface EnvelopeField {
  name: string;
  /** The text as written; non-string JSON values as their JSON text. */
  value: string;
}

/**
 * A WinEvent read from an export. It extends the shared shape with what only exports
 * carry: the shipper's own fields (Winlogbeat `agent`, NXLog `EventReceivedTime`,
 * Hayabusa `RuleTitle`, ...), which the normalizer keeps in the stored record.
 */
export interface WinExportEvent extends WinEvent {
  /** Producer of the record's shape, such as `evtx_dump`, `winlogbeat`, `nxlog`. */
  shape: string;
  envelope: EnvelopeField[];
}
