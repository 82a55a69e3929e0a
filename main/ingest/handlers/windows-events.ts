// The step both Windows handlers (binary EVTX and exports) share: hold back the parts
// of multi-part PowerShell script blocks until each block is whole, normalize every
// event, and hand it to the sink with its record identity and warnings.

import type { WinEvent } from '../../formats/windows/event.ts';
import { normalizeWindows } from '../../normalize/windows.ts';
import { windowsRecordIdentity } from '../../normalize/windows-identity.ts';
import { type JoinedEvent, ScriptBlockJoiner } from '../../normalize/windows-powershell.ts';
import type { ImportSink } from '../handler.ts';

export class WindowsEventStore {
  private readonly joiner = new ScriptBlockJoiner();
  private reassembled = 0;
  private incomplete = 0;

  constructor(private readonly sink: ImportSink) {}

  /** Stores one event, or holds it back while its script block is incomplete. */
  async push(event: WinEvent): Promise<void> {
    await this.store(this.joiner.push(event));
  }

  /** Stores the script block parts still held back. */
  async end(): Promise<void> {
    await this.store(this.joiner.end());
  }

  /** Return a note for the import report when the file had multi-part script blocks. */
  notes(): string[] {
    if (this.reassembled === 0) return [];
    const incomplete = this.incomplete > 0 ? `, ${this.incomplete} with parts missing` : '';
    return [
      `${this.reassembled} multi-part PowerShell script blocks reassembled${incomplete}: the whole script is in the data of each block's first part`,
    ];
  }

  private async store(joined: JoinedEvent[]): Promise<void> {
    for (const { event, scriptBlock } of joined) {
      if (scriptBlock?.text !== undefined) {
        this.reassembled += 1;
        if (!scriptBlock.complete) this.incomplete += 1;
      }
      const locator = event.recovered ? `${event.locator} recovered` : event.locator;
      for (const warning of event.warnings) this.sink.issue({ severity: 'warning', position: locator, message: warning });
      // Normalized only when stored: a record that another copy of the log already brought is skipped before that.
      const normalize = () => {
        const unified = normalizeWindows(event, scriptBlock ? { scriptBlock } : {});
        unified.locator = locator;
        return unified;
      };
      const identity = windowsRecordIdentity(event);
      if (this.sink.add(normalize, undefined, identity ? { ...identity, recovered: event.recovered } : undefined)) await this.sink.drain();
    }
  }
}
