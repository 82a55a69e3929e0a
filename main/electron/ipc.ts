// IPC handlers for every CasebookApi method. Each call is checked in order: the
// sender must be the app's own page in the main window, the arguments must pass
// shared/validate.ts, then the backend runs it. Errors come back as data (IpcReply),
// never as a thrown exception, so the ApiError code reaches the renderer.
//
// Electron is imported for types only: main.ts passes in `ipcMain`, and tests pass a
// stand-in, so this module runs in plain Node.

import { API_ERROR_CODES, API_METHODS, ApiError, type ApiMethod, type CasebookApi } from '../../shared/api.ts';
import { validateArgs } from '../../shared/validate.ts';
import { log } from '../log.ts';
import { type BridgeError, type IpcReply, invokeChannel } from './bridge.ts';
import { checkSender, type SenderFacts } from './security.ts';

/** The parts of `IpcMainInvokeEvent` the sender check reads. */
export interface InvokeEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/** The parts of Electron's `ipcMain` this module uses. */
export interface HandlerRegistry {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<IpcReply>): void;
  removeHandler(channel: string): void;
}

export interface IpcOptions {
  ipcMain: HandlerRegistry;
  /** The API of the open case, awaited on every call so a case switch in progress finishes first. */
  api: () => Promise<CasebookApi>;
  /** `webContents.id` of the main window, or null while there is none. */
  windowId: () => number | null;
  /** File URL of the built renderer page; the only page allowed to call. */
  expectedUrl: string;
}

const KNOWN_CODES: readonly string[] = API_ERROR_CODES;

/** Convert anything thrown by validation or the backend into the `{ code, message }` the renderer shows. */
export function toBridgeError(error: unknown): BridgeError {
  if (error instanceof ApiError && KNOWN_CODES.includes(error.code)) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'internal', message: error.message || error.name };
  return { code: 'internal', message: `non-error value thrown: ${String(error)}` };
}

/** Read what the sender check needs from an invoke event. A frame that was disposed or navigated away reads as null. */
export function readSenderFacts(event: InvokeEventLike, windowId: number | null): SenderFacts {
  let frameUrl: string | null = null;
  let isTopFrame = false;
  try {
    const frame = event.senderFrame;
    if (frame) {
      frameUrl = frame.url;
      isTopFrame = frame.parent === null;
    }
  } catch {
    // Electron throws when a disposed frame is accessed; treat it as gone.
    frameUrl = null;
  }
  return { senderId: event.sender.id, windowId, frameUrl, isTopFrame };
}

/** Run one API call through the sender check, argument validation and the backend. */
export async function handleInvoke(method: ApiMethod, event: InvokeEventLike, args: unknown[], options: IpcOptions): Promise<IpcReply> {
  const rejection = checkSender(readSenderFacts(event, options.windowId()), options.expectedUrl);
  if (rejection !== null) {
    log.warn('rejected IPC call', { method, reason: rejection });
    return { ok: false, error: { code: 'unauthorized', message: `call to ${method} rejected: ${rejection}` } };
  }
  try {
    const checked = validateArgs(method, args);
    const api = await options.api();
    const call = api[method] as (...callArgs: unknown[]) => Promise<unknown>;
    const value = await call.apply(api, checked);
    return { ok: true, value };
  } catch (error) {
    const bridgeError = toBridgeError(error);
    if (bridgeError.code === 'internal') log.error('IPC call failed', { method, error: (error as Error)?.stack ?? String(error) });
    return { ok: false, error: bridgeError };
  }
}

/** Register a handler on `casebook:<method>` for every API method; returns a function that removes them. */
export function registerIpcHandlers(options: IpcOptions): () => void {
  for (const method of API_METHODS) {
    options.ipcMain.handle(invokeChannel(method), (event, ...args) => handleInvoke(method, event, args, options));
  }
  return () => {
    for (const method of API_METHODS) options.ipcMain.removeHandler(invokeChannel(method));
  };
}
