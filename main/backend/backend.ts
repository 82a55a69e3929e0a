// The backend behind both bridges (Electron IPC and browser-mode HTTP): the case
// store, the running import, and the CasebookApi methods on top of them.

import type { Capabilities, EventDetail, EvidenceFile, ImportProgress, TimelinePage, TimelineQuery } from '../../shared/api.ts';
import { ApiError } from '../../shared/api.ts';
import { ProcessIndex } from '../case/processes/index.ts';
import { CaseStore } from '../case/store.ts';
import { HANDLERS } from '../ingest/handlers/index.ts';
import { ImportRun } from '../ingest/importer.ts';
import { APP_VERSION } from '../version.ts';
import type { BackendOptions, CasebookBackend } from './types.ts';

/** Finished imports kept for progress queries; older ones are forgotten. */
const KEPT_IMPORTS = 20;

export async function createBackend(options: BackendOptions): Promise<CasebookBackend> {
  const store = await CaseStore.open(options.casePath);
  const processes = new ProcessIndex(store);
  const imports = new Map<number, ImportRun>();
  const runs = new Map<number, Promise<ImportProgress>>();
  let active: ImportRun | null = null;

  const nextImportId = async (): Promise<number> => {
    const reader = await store.connection.runAndReadAll('SELECT coalesce(max(import_id), 0) FROM import_runs');
    const stored = Number(reader.getRows()[0]![0]);
    return Math.max(stored, ...imports.keys()) + 1;
  };

  return {
    async capabilities(): Promise<Capabilities> {
      return { nativeFileDialog: options.pickEvidence !== undefined, version: APP_VERSION };
    },
    caseInfo: () => store.memory.run(() => store.info()),
    timelinePage: (query: TimelineQuery, startRow: number, endRow: number): Promise<TimelinePage> =>
      store.memory.run(() => store.timelinePage(query, startRow, endRow)),
    timelineHistogram: (query: TimelineQuery, maxBuckets: number) => store.memory.run(() => store.timelineHistogram(query, maxBuckets)),
    eventDetail: (eventId: number): Promise<EventDetail> => store.memory.run(() => store.eventDetail(eventId)),
    listEvidence: (): Promise<EvidenceFile[]> => store.listEvidence(),
    async startImport(paths: string[]) {
      if (active) throw new ApiError('conflict', `import ${active.importId} is still running: wait for it or cancel it first`);
      const run = new ImportRun(store, await nextImportId(), paths, { handlers: HANDLERS });
      active = run;
      imports.set(run.importId, run);
      for (const id of [...imports.keys()].slice(0, Math.max(0, imports.size - KEPT_IMPORTS))) imports.delete(id);
      const finished = run.run().finally(() => {
        active = null;
      });
      runs.set(run.importId, finished);
      return { importId: run.importId };
    },
    async importProgress(importId: number) {
      const run = imports.get(importId);
      if (!run) throw new ApiError('not_found', `import ${importId} not found: it never ran in this session or is too old`);
      return structuredClone(run.progress);
    },
    async cancelImport(importId: number) {
      const run = imports.get(importId);
      if (!run) throw new ApiError('not_found', `import ${importId} not found`);
      run.cancel();
      await runs.get(importId);
    },
    async waitForImport(importId: number) {
      const finished = runs.get(importId);
      if (!finished) throw new ApiError('not_found', `import ${importId} not found`);
      return finished;
    },
    async pickEvidence() {
      return options.pickEvidence ? options.pickEvidence() : null;
    },
    processHosts: () => store.memory.run(() => processes.hosts()),
    processTree: (host: string) => store.memory.run(() => processes.tree(host)),
    processDetail: (instanceId: number) => store.memory.run(() => processes.detail(instanceId)),
    async close() {
      active?.cancel();
      await Promise.allSettled(runs.values());
      await processes.close();
      await store.close();
    },
  };
}
