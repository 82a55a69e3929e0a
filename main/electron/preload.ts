// Preload script of the main window. It runs sandboxed with context isolation, so it is
// bundled as CommonJS and may require only `electron`. It exposes the typed API and
// nothing else: no ipcRenderer, no generic invoke.

import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_KEY } from './bridge.ts';
import { createDesktopApi } from './preload-api.ts';

contextBridge.exposeInMainWorld(BRIDGE_KEY, createDesktopApi(ipcRenderer));
