// Session and webContents hardening for the desktop window: no permissions, no
// requests outside the built renderer folder, a Content-Security-Policy header on
// every response, and no navigation, new windows or <webview>. Electron objects are
// passed in, so this module imports Electron for types only.

import type { Session, WebContents } from 'electron';
import { log } from '../log.ts';
import { isAllowedRequest, withContentSecurityPolicy } from './security.ts';

export interface SessionPolicy {
  /** Folder of the built renderer (out/renderer); the only files the window may load. */
  rendererDir: string;
  /** Allow devtools: pages (development builds only). */
  allowDevTools: boolean;
}

export function hardenSession(session: Session, policy: SessionPolicy): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('denied permission request', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setSpellCheckerEnabled(false);

  // NOTE: whether Chromium runs these hooks for file:// loads in Electron 45 is
  // unverified here (no Electron runtime on the build machine). The renderer page
  // should carry the same policy in a <meta http-equiv="Content-Security-Policy"> tag.
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, policy.rendererDir, policy.allowDevTools);
    if (!allowed) log.warn('blocked request', { url: details.url.slice(0, 200), type: details.resourceType });
    callback({ cancel: !allowed });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
}

/** Applied to every webContents the app creates (see `app.on('web-contents-created')`). */
export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('blocked new window', { url: url.slice(0, 200) });
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    log.warn('blocked navigation', { url: event.url.slice(0, 200) });
    event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame) return; // will-navigate covers the top frame
    log.warn('blocked frame navigation', { url: event.url.slice(0, 200) });
    event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    log.warn('blocked redirect', { url: event.url.slice(0, 200) });
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    log.warn('blocked <webview>');
    event.preventDefault();
  });
}
