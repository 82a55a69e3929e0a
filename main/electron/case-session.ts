// The case the desktop app has open, and switching to another one. One backend per
// case file: opening the same DuckDB file twice in one process corrupts it, so a
// switch to the file already open does nothing.

import path from 'node:path';
import { ApiError, type CasebookApi } from '../../shared/api.ts';
import type { CasebookBackend } from '../backend/types.ts';
import { log } from '../log.ts';
import { checkEvidenceOutsideCase, sameFile } from './cases.ts';

export type BackendFactory = (casePath: string) => Promise<CasebookBackend>;

interface OpenCase {
  path: string;
  backend: CasebookBackend;
  api: CasebookApi;
}

/** Wrap the backend's API so startImport first runs the shell's own check on import paths. */
function guardedApi(casePath: string, backend: CasebookBackend): CasebookApi {
  return {
    capabilities: () => backend.capabilities(),
    caseInfo: () => backend.caseInfo(),
    timelinePage: (query, startRow, endRow) => backend.timelinePage(query, startRow, endRow),
    timelineHistogram: (query, maxBuckets) => backend.timelineHistogram(query, maxBuckets),
    eventDetail: (eventId) => backend.eventDetail(eventId),
    listEvidence: () => backend.listEvidence(),
    async startImport(paths) {
      checkEvidenceOutsideCase(casePath, paths);
      return backend.startImport(paths);
    },
    importProgress: (importId) => backend.importProgress(importId),
    cancelImport: (importId) => backend.cancelImport(importId),
    pickEvidence: () => backend.pickEvidence(),
    processHosts: () => backend.processHosts(),
    processTree: (host) => backend.processTree(host),
    processDetail: (instanceId) => backend.processDetail(instanceId),
  };
}

export class CaseSession {
  private current: OpenCase | null = null;
  /** The last switch or close; every later one waits for it, so they never overlap. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly openBackend: BackendFactory) {}

  /** Path of the open case, or null before the first open. */
  get casePath(): string | null {
    return this.current?.path ?? null;
  }

  /**
   * Open `casePath` and close the previous case. The new case opens first, so when it
   * fails the previous one stays open and the error is thrown. Returns false when that
   * file is already the open case.
   */
  switchTo(casePath: string): Promise<boolean> {
    const target = path.resolve(casePath);
    const step = this.queue.then(async () => {
      if (this.closed) throw new ApiError('conflict', 'the app is closing: no case can be opened');
      if (this.current && (await sameFile(this.current.path, target))) return false;
      const backend = await this.openBackend(target);
      const previous = this.current;
      this.current = { path: target, backend, api: guardedApi(target, backend) };
      log.info('opened case', { path: target });
      if (previous) await this.closeBackend(previous);
      return true;
    });
    this.queue = step.catch(() => undefined);
    return step;
  }

  /** Return the open case's API once any switch in progress has finished. */
  async api(): Promise<CasebookApi> {
    await this.queue;
    if (!this.current) throw new ApiError('conflict', 'no case is open: use File > Open case or File > New case');
    return this.current.api;
  }

  /** Close the open case (cancelling a running import); later switches are rejected. */
  close(): Promise<void> {
    const step = this.queue.then(async () => {
      this.closed = true;
      const previous = this.current;
      this.current = null;
      if (previous) await this.closeBackend(previous);
    });
    this.queue = step.catch(() => undefined);
    return step;
  }

  private async closeBackend(open: OpenCase): Promise<void> {
    try {
      await open.backend.close();
      log.info('closed case', { path: open.path });
    } catch (error) {
      log.error('closing case failed', { path: open.path, error: (error as Error).message });
    }
  }
}
