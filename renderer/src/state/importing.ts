// The import dialog and the import it follows.

import { create } from 'zustand';
import type { ImportProgress } from '../../../shared/api.ts';

interface ImportState {
  dialogOpen: boolean;
  /** Text of the path field: one server-side path per line. */
  pathsText: string;
  importId: number | null;
  progress: ImportProgress | null;
  /** Why starting, following or cancelling the import failed. */
  error: string | null;
  openDialog(): void;
  closeDialog(): void;
  setPathsText(text: string): void;
}

export const useImportStore = create<ImportState>()((set) => ({
  dialogOpen: false,
  pathsText: '',
  importId: null,
  progress: null,
  error: null,
  openDialog: () => set({ dialogOpen: true }),
  closeDialog: () => set({ dialogOpen: false }),
  setPathsText: (pathsText) => set({ pathsText }),
}));

/** The paths in the field: one per line, blank lines and surrounding spaces dropped. */
export function splitPaths(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
