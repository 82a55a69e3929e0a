// Process instances of a case: built from the events table after imports, served to
// the process tree view and `casebook processes`.

import { ApiError } from '../../../shared/api.ts';
import type { ProcessDetail, ProcessHost, ProcessNode } from '../../../shared/processes.ts';
import type { CaseStore } from '../store.ts';

export class ProcessIndex {
  constructor(private readonly store: CaseStore) {}

  async hosts(): Promise<ProcessHost[]> {
    void this.store;
    throw new ApiError('internal', 'the process tree is not built yet');
  }

  async tree(_host: string): Promise<ProcessNode[]> {
    throw new ApiError('internal', 'the process tree is not built yet');
  }

  async detail(_instanceId: number): Promise<ProcessDetail> {
    throw new ApiError('internal', 'the process tree is not built yet');
  }
}
