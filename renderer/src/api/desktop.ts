// Desktop transport: the Electron preload exposes `window.casebook` with one function
// per API method plus `onImportStarted`. Its failures are plain `{code, message}`
// objects, converted here to ApiError.

import { API_METHODS, type CasebookApi } from '../../../shared/api.ts';
import { toApiError } from './errors.ts';

/** The object the preload exposes as `window.casebook`. */
export interface DesktopBridge extends CasebookApi {
  /** Calls `listener` when the File menu starts an import; returns an unsubscribe function. */
  onImportStarted(listener: (importId: number) => void): () => void;
}

declare global {
  interface Window {
    casebook?: DesktopBridge;
  }
}

export function createDesktopApi(bridge: DesktopBridge): CasebookApi {
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of API_METHODS) {
    const target = bridge[method] as (...args: unknown[]) => Promise<unknown>;
    api[method] = async (...args: unknown[]) => {
      try {
        return await target(...args);
      } catch (error) {
        throw toApiError(error, method);
      }
    };
  }
  return api as unknown as CasebookApi;
}
