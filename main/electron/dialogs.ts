// Native dialogs of the File menu. The Electron `dialog` module and the window are
// passed in, so this module imports Electron for types only.

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BaseWindow, Dialog, MessageBoxOptions, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { withCaseSuffix } from './cases.ts';

const CASE_FILTERS = [
  { name: 'Casebook case', extensions: ['duckdb'] },
  { name: 'All files', extensions: ['*'] },
];

export interface DialogHost {
  dialog: Dialog;
  /** Parent window of the dialogs, or null to show them unparented. */
  window: BaseWindow | null;
  platform: NodeJS.Platform;
}

function showOpen(host: DialogHost, options: OpenDialogOptions) {
  return host.window ? host.dialog.showOpenDialog(host.window, options) : host.dialog.showOpenDialog(options);
}

function showSave(host: DialogHost, options: SaveDialogOptions) {
  return host.window ? host.dialog.showSaveDialog(host.window, options) : host.dialog.showSaveDialog(options);
}

export function showMessage(host: DialogHost, options: MessageBoxOptions) {
  return host.window ? host.dialog.showMessageBox(host.window, options) : host.dialog.showMessageBox(options);
}

/**
 * Ask for evidence files, archives or folders; null when cancelled. macOS has one
 * dialog for files and folders. Windows and Linux cannot show both in one dialog (with
 * both properties set they show a folder picker), so the user first chooses which.
 */
export async function pickEvidence(host: DialogHost): Promise<string[] | null> {
  let properties: OpenDialogOptions['properties'];
  if (host.platform === 'darwin') {
    properties = ['openFile', 'openDirectory', 'multiSelections'];
  } else {
    const choice = await showMessage(host, {
      type: 'question',
      title: 'Import evidence',
      message: 'Import evidence files and archives, or a whole folder?',
      detail: 'Archives (.zip, .tar, .tar.gz) and folders are walked for every file Casebook can read.',
      buttons: ['Files or archives…', 'Folder…', 'Cancel'],
      defaultId: 0,
      cancelId: 2,
      noLink: true,
    });
    if (choice.response === 2) return null;
    properties = choice.response === 0 ? ['openFile', 'multiSelections'] : ['openDirectory', 'multiSelections'];
  }
  const result = await showOpen(host, { title: 'Import evidence', buttonLabel: 'Import', properties });
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths;
}

/**
 * Ask where to create a new case; null when cancelled or when the file already exists,
 * because creating a case never overwrites one.
 */
export async function pickNewCase(host: DialogHost, defaultPath: string): Promise<string | null> {
  const result = await showSave(host, {
    title: 'New case',
    buttonLabel: 'Create',
    defaultPath,
    filters: CASE_FILTERS,
    properties: ['createDirectory'],
  });
  if (result.canceled || !result.filePath) return null;
  const casePath = withCaseSuffix(result.filePath);
  if (existsSync(casePath)) {
    await showMessage(host, {
      type: 'warning',
      title: 'New case',
      message: `${path.basename(casePath)} already exists.`,
      detail: `Casebook does not overwrite a case file (${casePath}). Open it with File > Open case, or choose another name.`,
    });
    return null;
  }
  return casePath;
}

/** Ask for an existing case file; null when cancelled. */
export async function pickCaseToOpen(host: DialogHost, defaultPath: string): Promise<string | null> {
  const result = await showOpen(host, {
    title: 'Open case',
    buttonLabel: 'Open',
    defaultPath,
    filters: CASE_FILTERS,
    properties: ['openFile'],
  });
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0]!;
}
