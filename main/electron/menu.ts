// The application menu as a template. Electron is imported for types only; main.ts
// passes the template to Menu.buildFromTemplate.

import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  newCase(): void;
  openCase(): void;
  importEvidence(): void;
  about(): void;
}

export interface MenuOptions {
  /** Development build: adds reload and developer tools to the View menu. */
  isDevelopment: boolean;
  /** macOS keeps Quit and About in the application menu. */
  isMac: boolean;
}

export function buildMenuTemplate(actions: MenuActions, options: MenuOptions): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New case…', accelerator: 'CmdOrCtrl+N', click: () => actions.newCase() },
      { label: 'Open case…', accelerator: 'CmdOrCtrl+O', click: () => actions.openCase() },
      { type: 'separator' },
      { label: 'Import evidence…', accelerator: 'CmdOrCtrl+I', click: () => actions.importEvidence() },
      { type: 'separator' },
      options.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const developmentItems: MenuItemConstructorOptions[] = options.isDevelopment
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...developmentItems,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: '&Help',
    submenu: [{ label: 'About Casebook', click: () => actions.about() }],
  };
  const template: MenuItemConstructorOptions[] = [file, { role: 'editMenu' }, view, help];
  if (options.isMac) {
    template.unshift({
      label: 'Casebook',
      submenu: [{ label: 'About Casebook', click: () => actions.about() }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  return template;
}
