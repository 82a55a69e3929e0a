import type { CasebookApi, ImportProgress } from '../../shared/api.ts';

export interface BackendOptions {
  /** Case file to open or create. */
  casePath: string;
  /** Native file picker, supplied by the Electron shell; absent in browser mode. */
  pickEvidence?: () => Promise<string[] | null>;
}

/** The backend: the API implementation plus lifecycle. */
export interface CasebookBackend extends CasebookApi {
  /** Resolves with the final progress once the import ends (done, cancelled or failed). */
  waitForImport(importId: number): Promise<ImportProgress>;
  close(): Promise<void>;
}
