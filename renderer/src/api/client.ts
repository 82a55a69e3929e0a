// The one API object the UI uses, over the Electron preload when present and over
// loopback HTTP otherwise.

import type { CasebookApi } from '../../../shared/api.ts';
import { createDesktopApi } from './desktop.ts';
import { createHttpApi, takeToken } from './http.ts';

export const transport: 'desktop' | 'browser' = window.casebook ? 'desktop' : 'browser';

export const api: CasebookApi = window.casebook
  ? createDesktopApi(window.casebook)
  : createHttpApi(takeToken(window.location, window.sessionStorage, window.history));

/** Subscribes to imports started outside the UI (the desktop File menu); a no-op in browser mode. */
export function onImportStarted(listener: (importId: number) => void): () => void {
  return window.casebook ? window.casebook.onImportStarted(listener) : () => {};
}
