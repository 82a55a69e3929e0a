import type { CaseInfo } from '../../shared/api.ts';
import { openCaseStore } from './case-open.ts';
import { checkCaseExists } from './paths.ts';

/** Counts files per import status, for example `47 imported, 47 duplicate`, so duplicates of a re-import are not read as new files. */
export function evidenceSummary(byStatus: CaseInfo['evidenceByStatus']): string {
  const parts = Object.entries(byStatus).map(([status, files]) => `${files} ${status}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

export async function runInfo(options: { case: string; json?: boolean }): Promise<number> {
  await checkCaseExists(options.case);
  const store = await openCaseStore(options.case);
  try {
    const info = await store.info();
    if (options.json) {
      process.stdout.write(`${JSON.stringify(info)}\n`);
      return 0;
    }
    process.stdout.write(`case ${info.path} (schema ${info.schemaVersion}): ${info.events} events\n`);
    process.stdout.write(`evidence files: ${evidenceSummary(info.evidenceByStatus)}\n`);
    if (info.timeRange) process.stdout.write(`time range ${info.timeRange.from} to ${info.timeRange.to}\n`);
    for (const source of info.sources) process.stdout.write(`${String(source.events).padStart(10)}  ${source.source}/${source.log}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
