// Electron main process: opens a case, starts the backend on it, and shows one hardened
// window with the built renderer (out/renderer/index.html, loaded by file URL). The
// security rules, IPC checks, case choice and menu live in modules that run without
// Electron (security.ts, ipc.ts, cases.ts, case-session.ts, menu.ts) and are unit-tested.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, session } from 'electron';
import { createBackend } from '../backend/backend.ts';
import { log } from '../log.ts';
import { APP_VERSION } from '../version.ts';
import { IMPORT_STARTED_CHANNEL, type ImportStartedEvent } from './bridge.ts';
import { CaseSession } from './case-session.ts';
import { CaseArgumentError, caseFromArgv, defaultCasePath, readSettings, startupCandidates, writeSettings } from './cases.ts';
import { type DialogHost, pickCaseToOpen, pickEvidence, pickNewCase, showMessage } from './dialogs.ts';
import { hardenSession, hardenWebContents } from './hardening.ts';
import { registerIpcHandlers, toBridgeError } from './ipc.ts';
import { buildMenuTemplate } from './menu.ts';
import { rendererPageUrl } from './security.ts';

// Built layout: out/main/index.js, out/preload/index.cjs, out/renderer/index.html.
const outDir = path.resolve(import.meta.dirname, '..');
const rendererDir = path.join(outDir, 'renderer');
const rendererUrl = rendererPageUrl(outDir);
const preloadPath = path.join(outDir, 'preload', 'index.cjs');
const isDevelopment = !app.isPackaged;

let mainWindow: BrowserWindow | null = null;

function liveWindow(): BrowserWindow | null {
  return mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
}

function dialogHost(): DialogHost {
  return { dialog, window: liveWindow(), platform: process.platform };
}

const cases = new CaseSession((casePath) => createBackend({ casePath, pickEvidence: () => pickEvidence(dialogHost()) }));

function settingsFile(): string {
  return path.join(app.getPath('userData'), 'settings.json');
}

function windowTitle(): string {
  return cases.casePath ? `${path.basename(cases.casePath)} - Casebook` : 'Casebook';
}

async function rememberCase(casePath: string): Promise<void> {
  try {
    await writeSettings(settingsFile(), { lastCase: casePath });
  } catch (error) {
    log.warn('could not save the last-used case', { file: settingsFile(), error: (error as Error).message });
  }
}

/** Open the case for this start: `--case FILE`, else the last-used case, else the default one. */
async function openStartupCase(): Promise<boolean> {
  let argCase: string | null;
  try {
    argCase = caseFromArgv(process.argv, process.cwd());
  } catch (error) {
    if (!(error instanceof CaseArgumentError)) throw error;
    dialog.showErrorBox('Casebook', `Invalid command line: ${error.message}.`);
    return false;
  }
  const { lastCase } = await readSettings(settingsFile());
  const candidates = startupCandidates(argCase, lastCase, app.getPath('documents'));
  for (const [index, choice] of candidates.entries()) {
    try {
      if (choice.origin === 'default') await mkdir(path.dirname(choice.path), { recursive: true });
      await cases.switchTo(choice.path);
      await rememberCase(choice.path);
      return true;
    } catch (error) {
      const message = (error as Error).message;
      log.error('could not open case', { path: choice.path, origin: choice.origin, error: message });
      if (index === candidates.length - 1) {
        dialog.showErrorBox('Casebook', `Could not open the case file ${choice.path}: ${message}`);
        return false;
      }
    }
  }
  return false;
}

/** Switch to another case file, then reload the page so every view reads the new case. */
async function openCaseFile(casePath: string): Promise<void> {
  try {
    const changed = await cases.switchTo(casePath);
    if (!changed) return;
    await rememberCase(casePath);
    const window = liveWindow();
    if (window) {
      window.setTitle(windowTitle());
      window.webContents.reload();
    }
  } catch (error) {
    await showMessage(dialogHost(), {
      type: 'error',
      title: 'Open case',
      message: `Could not open ${path.basename(casePath)}.`,
      detail: `${casePath}: ${(error as Error).message}\nThe previous case is still open.`,
    });
  }
}

async function newCase(): Promise<void> {
  const casePath = await pickNewCase(dialogHost(), defaultCasePath(app.getPath('documents')));
  if (casePath) await openCaseFile(casePath);
}

async function openCase(): Promise<void> {
  const folder = cases.casePath ? path.dirname(cases.casePath) : app.getPath('documents');
  const casePath = await pickCaseToOpen(dialogHost(), folder);
  if (casePath) await openCaseFile(casePath);
}

/** Ask for evidence, start the import, and tell the page its id so it shows progress. */
async function importEvidence(): Promise<void> {
  const paths = await pickEvidence(dialogHost());
  if (!paths) return;
  try {
    const api = await cases.api();
    const { importId } = await api.startImport(paths);
    log.info('import started from the menu', { importId, paths: paths.length });
    const event: ImportStartedEvent = { importId };
    liveWindow()?.webContents.send(IMPORT_STARTED_CHANNEL, event);
  } catch (error) {
    await showMessage(dialogHost(), {
      type: 'error',
      title: 'Import evidence',
      message: 'The import did not start.',
      detail: toBridgeError(error).message,
    });
  }
}

async function about(): Promise<void> {
  await showMessage(dialogHost(), {
    type: 'info',
    title: 'About Casebook',
    message: `Casebook ${APP_VERSION}`,
    detail: [
      `Case: ${cases.casePath ?? 'none'}`,
      `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node.js ${process.versions.node}`,
    ].join('\n'),
  });
}

/** Run a menu action and report an unexpected failure instead of leaving a rejected promise. */
function menuAction(name: string, action: () => Promise<void>): () => void {
  return () => {
    action().catch((error: unknown) => {
      log.error('menu action failed', { action: name, error: (error as Error)?.stack ?? String(error) });
      dialog.showErrorBox('Casebook', `${name} failed: ${(error as Error)?.message ?? String(error)}`);
    });
  };
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: windowTitle(),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: isDevelopment,
    },
  });
  window.once('ready-to-show', () => window.show());
  // Keep the case name in the title rather than the page's <title>.
  window.on('page-title-updated', (event) => event.preventDefault());
  window.on('closed', () => {
    mainWindow = null;
  });
  window.webContents.on('render-process-gone', (_event, details) => {
    log.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode });
  });
  window.loadURL(rendererUrl).catch((error: unknown) => {
    log.error('could not load the renderer', { url: rendererUrl, error: (error as Error).message });
    dialog.showErrorBox('Casebook', `Could not load ${rendererUrl}: ${(error as Error).message}\nRun "npx electron-vite build" first.`);
  });
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession, { rendererDir, allowDevTools: isDevelopment });
  registerIpcHandlers({
    ipcMain,
    api: () => cases.api(),
    windowId: () => liveWindow()?.webContents.id ?? null,
    expectedUrl: rendererUrl,
  });
  if (!(await openStartupCase())) {
    app.exit(1);
    return;
  }
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate(
        {
          newCase: menuAction('New case', newCase),
          openCase: menuAction('Open case', openCase),
          importEvidence: menuAction('Import evidence', importEvidence),
          about: menuAction('About', about),
        },
        { isDevelopment, isMac: process.platform === 'darwin' },
      ),
    ),
  );
  mainWindow = createWindow();
}

// One running app: a second start hands its `--case` to the first and quits, so the
// same case file is never opened by two processes.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const window = liveWindow();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
    try {
      const casePath = caseFromArgv(argv, workingDirectory);
      if (casePath) void openCaseFile(casePath);
    } catch (error) {
      log.warn('ignored the command line of a second start', { error: (error as Error).message });
    }
  });
  app.on('window-all-closed', () => app.quit());

  // Close the case before exit, so a running import is cancelled and the DuckDB file is closed cleanly.
  let shutdown: 'running' | 'closing' | 'closed' = 'running';
  app.on('will-quit', (event) => {
    if (shutdown === 'closed') return;
    event.preventDefault();
    if (shutdown === 'closing') return;
    shutdown = 'closing';
    void cases.close().finally(() => {
      shutdown = 'closed';
      app.quit();
    });
  });

  start().catch((error: unknown) => {
    log.error('start-up failed', { error: (error as Error)?.stack ?? String(error) });
    dialog.showErrorBox('Casebook', `Start-up failed: ${(error as Error)?.message ?? String(error)}`);
    app.exit(1);
  });
}
