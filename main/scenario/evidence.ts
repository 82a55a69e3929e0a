// A reference from the answer key to one record in the bundle. Sinks fill in the locator
// when the record reaches its file, in the exact form the importer stores in the case's
// `locator` column, so a key entry can be looked up by evidence path and locator.

export interface EvidenceRef {
  /** Path of the evidence file inside the bundle folder, with `/` separators. */
  evidence: string;
  /** The case's locator text; null until the record is written. */
  locator: string | null;
  /** EVTX: EventRecordID. */
  record?: number;
  /** Zeek: line number in the log (header lines count). */
  line?: number;
  /** Volatility: plugin as the importer names it, and 1-based row within the run. */
  plugin?: string;
  row?: number;
}

export function newRef(evidence: string): EvidenceRef {
  return { evidence, locator: null };
}

/** Counts records as sources accept them, for pacing the background activity. */
export class EventCounter {
  count = 0;
}
