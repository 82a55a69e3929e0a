// The object the preload exposes as `window.casebook`, built from an ipcRenderer-like
// object so tests can drive it without Electron. One named function per CasebookApi
// method, each bound to its own channel: the page can call nothing else, and never
// gets ipcRenderer itself.

import type { ApiMethod, TimelineQuery } from '../../shared/api.ts';
import {
  type BridgeError,
  type DesktopApi,
  IMPORT_STARTED_CHANNEL,
  type ImportStartedEvent,
  type IpcReply,
  invokeChannel,
} from './bridge.ts';

/** The parts of Electron's `ipcRenderer` the preload uses. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function isReply(value: unknown): value is IpcReply {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

export function createDesktopApi(ipc: RendererIpc): DesktopApi {
  // Unwrap the reply envelope. Failures reject with a plain object because the context
  // bridge copies plain objects whole but keeps only the message of an Error.
  async function call<T>(method: ApiMethod, ...args: unknown[]): Promise<T> {
    const reply = await ipc.invoke(invokeChannel(method), ...args);
    if (!isReply(reply)) {
      const error: BridgeError = { code: 'internal', message: `malformed reply to ${method} from the main process` };
      return Promise.reject(error);
    }
    if (!reply.ok) {
      const error: BridgeError = { code: reply.error.code, message: reply.error.message };
      return Promise.reject(error);
    }
    return reply.value as T;
  }

  return {
    capabilities: () => call('capabilities'),
    caseInfo: () => call('caseInfo'),
    timelinePage: (query: TimelineQuery, startRow: number, endRow: number) => call('timelinePage', query, startRow, endRow),
    timelineHistogram: (query: TimelineQuery, maxBuckets: number) => call('timelineHistogram', query, maxBuckets),
    eventDetail: (eventId: number) => call('eventDetail', eventId),
    listEvidence: () => call('listEvidence'),
    startImport: (paths: string[]) => call('startImport', paths),
    importProgress: (importId: number) => call('importProgress', importId),
    cancelImport: (importId: number) => call('cancelImport', importId),
    pickEvidence: () => call('pickEvidence'),
    processHosts: () => call('processHosts'),
    processTree: (host: string) => call('processTree', host),
    processDetail: (instanceId: number) => call('processDetail', instanceId),
    onImportStarted(listener: (importId: number) => void): () => void {
      const forward = (_event: unknown, ...payload: unknown[]) => {
        const importId = (payload[0] as ImportStartedEvent | undefined)?.importId;
        if (typeof importId === 'number') listener(importId);
      };
      ipc.on(IMPORT_STARTED_CHANNEL, forward);
      return () => {
        ipc.removeListener(IMPORT_STARTED_CHANNEL, forward);
      };
    },
  };
}
