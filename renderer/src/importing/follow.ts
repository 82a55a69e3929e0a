// Polls a running import until it ends, then tells every view that the case changed.

import { api } from '../api/client.ts';
import { describeError } from '../api/errors.ts';
import { useCaseStore } from '../state/caseInfo.ts';
import { useImportStore } from '../state/importing.ts';
import { useTimelineStore } from '../state/timeline.ts';

export const POLL_INTERVAL_MS = 300;

let timer: ReturnType<typeof setTimeout> | null = null;

function finish(): void {
  useCaseStore.getState().dataChanged();
  void useCaseStore.getState().refresh();
  useTimelineStore.getState().reload();
}

async function poll(importId: number): Promise<void> {
  timer = null;
  if (useImportStore.getState().importId !== importId) return;
  try {
    const progress = await api.importProgress(importId);
    if (useImportStore.getState().importId !== importId) return;
    useImportStore.setState({ progress });
    if (progress.state === 'running') {
      timer = setTimeout(() => void poll(importId), POLL_INTERVAL_MS);
      return;
    }
    finish();
  } catch (error) {
    useImportStore.setState({ error: `Could not read the progress of import ${importId}: ${describeError(error)}` });
    // The import may still have changed the case before the failure.
    finish();
  }
}

/** Opens the dialog on import `importId` and polls its progress every POLL_INTERVAL_MS until it ends. */
export function followImport(importId: number): void {
  if (timer !== null) clearTimeout(timer);
  useImportStore.setState({ dialogOpen: true, importId, progress: null, error: null });
  void poll(importId);
}

/** Starts an import of `paths` on the backend and follows it. */
export async function startImport(paths: string[]): Promise<void> {
  useImportStore.setState({ error: null });
  try {
    const { importId } = await api.startImport(paths);
    followImport(importId);
  } catch (error) {
    useImportStore.setState({ error: `Could not start the import: ${describeError(error)}` });
  }
}

/** Asks the backend to cancel the import; the poller sees it end. */
export async function cancelImport(importId: number): Promise<void> {
  try {
    await api.cancelImport(importId);
  } catch (error) {
    useImportStore.setState({ error: `Could not cancel import ${importId}: ${describeError(error)}` });
  }
}
