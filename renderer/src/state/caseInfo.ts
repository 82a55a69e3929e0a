// Case-wide facts for the top bar, what the backend can do, and a counter that tells
// views the case's data changed.

import { create } from 'zustand';
import type { Capabilities, CaseInfo } from '../../../shared/api.ts';
import { api } from '../api/client.ts';
import { reportError } from './errors.ts';

interface CaseState {
  info: CaseInfo | null;
  capabilities: Capabilities | null;
  /** Increments after every import, so views that list case data fetch it again. */
  dataVersion: number;
  refresh(): Promise<void>;
  loadCapabilities(): Promise<void>;
  dataChanged(): void;
}

export const useCaseStore = create<CaseState>()((set) => ({
  info: null,
  capabilities: null,
  dataVersion: 0,
  refresh: async () => {
    try {
      set({ info: await api.caseInfo() });
    } catch (error) {
      reportError('Could not read the case', error);
    }
  },
  loadCapabilities: async () => {
    try {
      set({ capabilities: await api.capabilities() });
    } catch (error) {
      reportError('Could not reach the Casebook backend', error);
    }
  },
  dataChanged: () => set((state) => ({ dataVersion: state.dataVersion + 1 })),
}));
