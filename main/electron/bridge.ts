// The IPC contract between the Electron main process and the preload script: channel
// names, the reply envelope, and the object the preload exposes as `window.casebook`.
// Pure TypeScript, so both sides and the tests share it without loading Electron.

import type { ApiErrorCode, ApiMethod, CasebookApi } from '../../shared/api.ts';

/** Name under which the preload exposes the API on `window`. */
export const BRIDGE_KEY = 'casebook';

/** Prefix of every invoke channel: `casebook:<method>`. */
export const INVOKE_PREFIX = 'casebook:';

/** Main-to-renderer event sent after the File menu started an import. */
export const IMPORT_STARTED_CHANNEL = 'casebook-event:import-started';

export function invokeChannel(method: ApiMethod): string {
  return `${INVOKE_PREFIX}${method}`;
}

/** An error as it crosses the bridge: plain data, because IPC and contextBridge drop an Error's own properties such as `code`. */
export interface BridgeError {
  code: ApiErrorCode;
  message: string;
}

/**
 * Reply of every `casebook:<method>` handler. Errors travel inside the reply rather
 * than as a thrown exception, because Electron rewrites a thrown error's message
 * ("Error invoking remote method ...") and keeps no other property.
 */
export type IpcReply = { ok: true; value: unknown } | { ok: false; error: BridgeError };

/** Payload of IMPORT_STARTED_CHANNEL. */
export interface ImportStartedEvent {
  importId: number;
}

/**
 * The object the preload exposes as `window.casebook`: every CasebookApi method, plus
 * subscriptions to events the main process sends on its own. A failed call rejects with
 * a plain `BridgeError` object (`code` and `message`), not an Error instance.
 */
export interface DesktopApi extends CasebookApi {
  /**
   * Calls `listener` with the import id whenever the File menu starts an import, so the
   * renderer can follow it with importProgress. Imports the renderer starts itself
   * through startImport are not reported here. Returns a function that unsubscribes.
   */
  onImportStarted(listener: (importId: number) => void): () => void;
}
