// Volatility 2 and 3 outputs (text, CSV, JSON, JSON lines): every row becomes a
// unified event plus a row of the typed table `vol_<plugin kind>`.

import { detectVolatility, parseVolatility } from '../../formats/volatility/index.ts';
import { volatilityRowToEvent } from '../../normalize/volatility.ts';
import type { EvidenceHandler, TypedColumn } from '../handler.ts';
import { memoryHostFromPath } from '../memory-host.ts';
import { readAll } from './read-all.ts';

export const volatilityHandler: EvidenceHandler = {
  kind: 'volatility',
  parser: 'casebook-volatility@1',
  detect(sample) {
    return detectVolatility(Buffer.from(sample.head).toString('utf8'), sample.name) !== null;
  },
  async run(input, sink) {
    const text = (await readAll(input.open())).toString('utf8');
    const { runs, issues } = parseVolatility(text, { name: input.name });
    for (const issue of issues) sink.issue({ severity: issue.severity, position: `line ${issue.line}`, message: issue.message });
    const notes: string[] = [];
    const host = memoryHostFromPath(input.path);
    if (host !== null) notes.push(`host ${host}, from the folder name`);
    for (const run of runs) {
      const columns: TypedColumn[] = run.columns.map((column) => ({ name: column.name, type: column.type }));
      const table = run.kind === 'generic' ? `vol_${run.plugin.split('.').at(-1) ?? 'generic'}` : `vol_${run.kind}`;
      notes.push(
        `${run.plugin} (${run.renderer}, Volatility ${run.version}${run.dialect ? `, ${run.dialect} CSV` : ''}): ${run.rows.length} rows`,
      );
      for (const row of run.rows) {
        if (sink.add(volatilityRowToEvent(run, row, { host }), { table, columns, values: row.values })) await sink.drain();
      }
    }
    return { notes };
  },
};
