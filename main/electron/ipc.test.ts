// The IPC path without the Electron runtime: the preload's API object (createDesktopApi)
// talks to the handlers (registerIpcHandlers) through stand-ins for ipcRenderer and
// ipcMain that copy arguments and replies the way IPC does (structured clone). The
// round-trip tests run against a real backend on a temporary DuckDB case file.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_METHODS, ApiError, type CasebookApi, type ImportProgress } from '../../shared/api.ts';
import { createBackend } from '../backend/backend.ts';
import { APP_VERSION } from '../version.ts';
import { type BridgeError, type DesktopApi, IMPORT_STARTED_CHANNEL, type IpcReply, invokeChannel } from './bridge.ts';
import { CaseSession } from './case-session.ts';
import { type HandlerRegistry, handleInvoke, type InvokeEventLike, type IpcOptions, registerIpcHandlers, toBridgeError } from './ipc.ts';
import { createDesktopApi, type RendererIpc } from './preload-api.ts';
import { rendererPageUrl } from './security.ts';

const expectedUrl = rendererPageUrl('/opt/casebook/out');
const WINDOW_ID = 7;

type Handler = (event: InvokeEventLike, ...args: unknown[]) => Promise<IpcReply>;

class FakeIpcMain implements HandlerRegistry {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

function trustedEvent(): InvokeEventLike {
  return { sender: { id: WINDOW_ID }, senderFrame: { url: expectedUrl, parent: null } };
}

/** An ipcRenderer stand-in wired to `ipcMain`, sending as the trusted page unless `event` returns another sender. */
class FakeRendererIpc implements RendererIpc {
  readonly listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  readonly channels: string[] = [];
  constructor(
    private readonly ipcMain: FakeIpcMain,
    private readonly event: () => InvokeEventLike = trustedEvent,
  ) {}
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.channels.push(channel);
    const handler = this.ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return structuredClone(await handler(this.event(), ...structuredClone(args)));
  }
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
  }
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void {
    this.listeners.get(channel)?.delete(listener);
  }
  /** What webContents.send does on the main side. */
  emit(channel: string, payload: unknown): void {
    for (const listener of this.listeners.get(channel) ?? []) listener({}, structuredClone(payload));
  }
}

/** A stand-in API whose every method records the call and returns its name. */
function recordingApi(): { api: CasebookApi; calls: [string, unknown[]][] } {
  const calls: [string, unknown[]][] = [];
  const api = Object.fromEntries(
    API_METHODS.map((method) => [
      method,
      async (...args: unknown[]) => {
        calls.push([method, args]);
        return method;
      },
    ]),
  ) as unknown as CasebookApi;
  return { api, calls };
}

function options(ipcMain: HandlerRegistry, api: CasebookApi): IpcOptions {
  return { ipcMain, api: async () => api, windowId: () => WINDOW_ID, expectedUrl };
}

async function rejection(promise: Promise<unknown>): Promise<BridgeError> {
  try {
    await promise;
  } catch (error) {
    return error as BridgeError;
  }
  throw new Error('expected the call to reject');
}

describe('toBridgeError', () => {
  it('keeps an ApiError code and message', () => {
    expect(toBridgeError(new ApiError('conflict', 'import 3 is still running'))).toEqual({
      code: 'conflict',
      message: 'import 3 is still running',
    });
  });

  it('reports a plain Error as internal', () => {
    expect(toBridgeError(new Error('IO Error: disk full'))).toEqual({ code: 'internal', message: 'IO Error: disk full' });
  });

  it('reports a thrown string as internal', () => {
    expect(toBridgeError('boom')).toEqual({ code: 'internal', message: 'non-error value thrown: boom' });
  });

  it('reports an unknown code as internal', () => {
    const odd = new ApiError('bad_request', 'x');
    Object.defineProperty(odd, 'code', { value: 'teapot' });
    expect(toBridgeError(odd)).toEqual({ code: 'internal', message: 'x' });
  });

  it('names an Error without a message by its name', () => {
    expect(toBridgeError(new RangeError())).toEqual({ code: 'internal', message: 'RangeError' });
  });
});

describe('handleInvoke', () => {
  it('calls the API with validated arguments', async () => {
    const { api, calls } = recordingApi();
    const reply = await handleInvoke(
      'timelinePage',
      trustedEvent(),
      [{ search: 'cmd', extra: 1 }, 0, 100],
      options(new FakeIpcMain(), api),
    );
    expect(reply).toEqual({ ok: true, value: 'timelinePage' });
    // validateArgs drops unknown query fields before the call reaches the backend.
    expect(calls).toEqual([['timelinePage', [{ search: 'cmd' }, 0, 100]]]);
  });

  it('rejects bad arguments before the API runs', async () => {
    const { api, calls } = recordingApi();
    const reply = await handleInvoke('timelinePage', trustedEvent(), [{}, 5, 1], options(new FakeIpcMain(), api));
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('bad_request');
    expect(reply.error.message).toMatch(/endRow must be an integer in \[5, 10005\], got 1/);
    expect(calls).toEqual([]);
  });

  it('rejects a wrong argument count', async () => {
    const { api, calls } = recordingApi();
    const reply = await handleInvoke('caseInfo', trustedEvent(), ['extra'], options(new FakeIpcMain(), api));
    expect(reply).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'invalid arguments for caseInfo: expected no arguments, got 1' },
    });
    expect(calls).toEqual([]);
  });

  it('rejects a call from another page', async () => {
    const { api, calls } = recordingApi();
    const event: InvokeEventLike = { sender: { id: WINDOW_ID }, senderFrame: { url: 'http://127.0.0.1:5173/', parent: null } };
    const reply = await handleInvoke('listEvidence', event, [], options(new FakeIpcMain(), api));
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('unauthorized');
    expect(reply.error.message).toContain('call to listEvidence rejected: sender URL "http://127.0.0.1:5173/"');
    expect(calls).toEqual([]);
  });

  it('rejects a call from another webContents', async () => {
    const { api, calls } = recordingApi();
    const event: InvokeEventLike = { sender: { id: WINDOW_ID + 1 }, senderFrame: { url: expectedUrl, parent: null } };
    const reply = await handleInvoke('listEvidence', event, [], options(new FakeIpcMain(), api));
    expect(reply).toEqual({
      ok: false,
      error: { code: 'unauthorized', message: 'call to listEvidence rejected: sender webContents 8 is not the main window' },
    });
    expect(calls).toEqual([]);
  });

  it('rejects a call from a subframe', async () => {
    const { api, calls } = recordingApi();
    const event: InvokeEventLike = { sender: { id: WINDOW_ID }, senderFrame: { url: expectedUrl, parent: {} } };
    const reply = await handleInvoke('caseInfo', event, [], options(new FakeIpcMain(), api));
    expect(reply.ok).toBe(false);
    expect(calls).toEqual([]);
  });

  it('rejects a call whose frame was disposed', async () => {
    const { api, calls } = recordingApi();
    const event = {
      sender: { id: WINDOW_ID },
      get senderFrame(): never {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    const reply = await handleInvoke('caseInfo', event, [], options(new FakeIpcMain(), api));
    expect(reply).toEqual({
      ok: false,
      error: { code: 'unauthorized', message: 'call to caseInfo rejected: sending frame no longer exists' },
    });
    expect(calls).toEqual([]);
  });

  it('returns a backend failure as data', async () => {
    const api = { ...recordingApi().api, eventDetail: vi.fn(async () => Promise.reject(new ApiError('not_found', 'event 9 not found'))) };
    const reply = await handleInvoke('eventDetail', trustedEvent(), [9], options(new FakeIpcMain(), api));
    expect(reply).toEqual({ ok: false, error: { code: 'not_found', message: 'event 9 not found' } });
  });

  it('returns a crash as internal', async () => {
    const api = {
      ...recordingApi().api,
      caseInfo: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'rows')");
      },
    };
    // The handler logs the crash on stderr; capture it so the expected line is checked, not printed.
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const reply = await handleInvoke('caseInfo', trustedEvent(), [], options(new FakeIpcMain(), api));
      expect(reply).toEqual({ ok: false, error: { code: 'internal', message: "Cannot read properties of undefined (reading 'rows')" } });
      expect(String(stderr.mock.calls[0]?.[0])).toMatch(/error IPC call failed method="caseInfo"/);
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('preload bindings and IPC handlers', () => {
  it('has one handler per API method', () => {
    const ipcMain = new FakeIpcMain();
    registerIpcHandlers(options(ipcMain, recordingApi().api));
    expect([...ipcMain.handlers.keys()].sort()).toEqual(API_METHODS.map((method) => `casebook:${method}`).sort());
  });

  it('removes every handler on unregister', () => {
    const ipcMain = new FakeIpcMain();
    const unregister = registerIpcHandlers(options(ipcMain, recordingApi().api));
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('exposes one function per API method plus the event subscription', () => {
    const desktop = createDesktopApi(new FakeRendererIpc(new FakeIpcMain()));
    expect(Object.keys(desktop).sort()).toEqual([...API_METHODS, 'onImportStarted'].sort());
    for (const value of Object.values(desktop)) expect(typeof value).toBe('function');
  });

  it('binds each function to its own channel', async () => {
    const ipcMain = new FakeIpcMain();
    const { api, calls } = recordingApi();
    registerIpcHandlers(options(ipcMain, api));
    const renderer = new FakeRendererIpc(ipcMain);
    const desktop = createDesktopApi(renderer);
    const samples: Record<(typeof API_METHODS)[number], unknown[]> = {
      capabilities: [],
      caseInfo: [],
      timelinePage: [{}, 0, 50],
      timelineHistogram: [{}, 100],
      eventDetail: [1],
      listEvidence: [],
      startImport: [['/evidence/bundle.zip']],
      importProgress: [2],
      cancelImport: [3],
      pickEvidence: [],
      processHosts: [],
      processTree: ['WKS-01'],
      processDetail: [4],
    };
    for (const method of API_METHODS) {
      const call = desktop[method] as (...args: unknown[]) => Promise<unknown>;
      expect(await call(...samples[method])).toBe(method);
      expect(renderer.channels.at(-1)).toBe(invokeChannel(method));
      expect(calls.at(-1)).toEqual([method, samples[method]]);
    }
  });

  it('preload.ts exposes only the typed API object', async () => {
    const source = await readFile(path.join(import.meta.dirname, 'preload.ts'), 'utf8');
    const exposures = source.match(/exposeInMainWorld\(/g) ?? [];
    expect(exposures).toHaveLength(1);
    expect(source).toContain('contextBridge.exposeInMainWorld(BRIDGE_KEY, createDesktopApi(ipcRenderer));');
  });

  it('rejects with a plain code and message', async () => {
    const ipcMain = new FakeIpcMain();
    registerIpcHandlers(options(ipcMain, recordingApi().api));
    const desktop = createDesktopApi(new FakeRendererIpc(ipcMain));
    const error = await rejection(desktop.eventDetail(-1));
    expect(error).toEqual({
      code: 'bad_request',
      message: 'invalid arguments for eventDetail: id must be an integer in [0, 9007199254740991], got -1',
    });
    expect(Object.getPrototypeOf(error)).toBe(Object.prototype);
  });

  it('rejects a malformed reply', async () => {
    const renderer: RendererIpc = { invoke: async () => 'not a reply', on: () => undefined, removeListener: () => undefined };
    expect(await rejection(createDesktopApi(renderer).caseInfo())).toEqual({
      code: 'internal',
      message: 'malformed reply to caseInfo from the main process',
    });
  });

  it('delivers import-started events until unsubscribed', () => {
    const renderer = new FakeRendererIpc(new FakeIpcMain());
    const desktop = createDesktopApi(renderer);
    const seen: number[] = [];
    const unsubscribe = desktop.onImportStarted((importId) => seen.push(importId));
    renderer.emit(IMPORT_STARTED_CHANNEL, { importId: 4 });
    renderer.emit(IMPORT_STARTED_CHANNEL, { importId: 'x' });
    renderer.emit(IMPORT_STARTED_CHANNEL, null);
    unsubscribe();
    renderer.emit(IMPORT_STARTED_CHANNEL, { importId: 5 });
    expect(seen).toEqual([4]);
    expect(renderer.listeners.get(IMPORT_STARTED_CHANNEL)?.size).toBe(0);
  });
});

describe('IPC round trip on a real case', () => {
  let dir: string;
  let cases: CaseSession;
  let desktop: DesktopApi;
  let hostile: DesktopApi;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'casebook-ipc-'));
    cases = new CaseSession((casePath) => createBackend({ casePath, pickEvidence: async () => ['/picked/by/dialog'] }));
    await mkdir(path.join(dir, 'case'));
    await cases.switchTo(path.join(dir, 'case', 'ipc.casebook.duckdb'));
    const ipcMain = new FakeIpcMain();
    registerIpcHandlers({ ipcMain, api: () => cases.api(), windowId: () => WINDOW_ID, expectedUrl });
    desktop = createDesktopApi(new FakeRendererIpc(ipcMain));
    const foreign = (): InvokeEventLike => ({
      sender: { id: WINDOW_ID },
      senderFrame: { url: 'file:///tmp/evil/index.html', parent: null },
    });
    hostile = createDesktopApi(new FakeRendererIpc(ipcMain, foreign));
  });

  afterAll(async () => {
    await cases.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('returns capabilities with the native dialog', async () => {
    expect(await desktop.capabilities()).toEqual({ nativeFileDialog: true, version: APP_VERSION });
  });

  it('returns the empty case info', async () => {
    const info = await desktop.caseInfo();
    expect(info.path).toBe(path.join(dir, 'case', 'ipc.casebook.duckdb'));
    expect(info.events).toBe(0);
    expect(info.evidenceFiles).toBe(0);
    expect(info.timeRange).toBeNull();
  });

  it('returns an empty timeline page', async () => {
    expect(await desktop.timelinePage({}, 0, 100)).toEqual({ rows: [], matched: 0, total: 0 });
  });

  it('passes the backend not_found through', async () => {
    expect(await rejection(desktop.eventDetail(12345))).toEqual({ code: 'not_found', message: 'event 12345 not found in this case' });
  });

  it('returns the paths from the native picker', async () => {
    expect(await desktop.pickEvidence()).toEqual(['/picked/by/dialog']);
  });

  it('rejects evidence that contains the case file', async () => {
    const error = await rejection(desktop.startImport([dir]));
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain('contains the open case file');
  });

  it('imports a file and reports its progress', async () => {
    const evidence = path.join(dir, 'notes.txt');
    await writeFile(evidence, 'not evidence of any known kind\n');
    const { importId } = await desktop.startImport([evidence]);
    let progress: ImportProgress = await desktop.importProgress(importId);
    for (let attempt = 0; progress.state === 'running' && attempt < 600; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      progress = await desktop.importProgress(importId);
    }
    expect(progress.state).toBe('done');
    expect(progress.filesDone).toBe(1);
    expect(progress.files).toHaveLength(1);
    expect(progress.files[0]!.status).toBe('skipped');
    const evidenceList = await desktop.listEvidence();
    expect(evidenceList.map((file) => file.status)).toEqual(['skipped']);
  });

  it('rejects every method from a foreign page', async () => {
    for (const error of [
      await rejection(hostile.caseInfo()),
      await rejection(hostile.listEvidence()),
      await rejection(hostile.startImport(['/etc'])),
    ]) {
      expect(error.code).toBe('unauthorized');
      expect(error.message).toContain('sender URL "file:///tmp/evil/index.html"');
    }
  });
});
