// Security decisions of the desktop shell as pure functions, so they are unit-tested
// without the Electron runtime: the Content-Security-Policy, which IPC senders are
// trusted, and which URLs the renderer may load.

import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Policy sent with every response the window loads. Only the app's own files run;
 * inline styles are allowed because ag-grid sets element styles at run time.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Return the file URL of the built renderer page, `<outDir>/renderer/index.html`. */
export function rendererPageUrl(outDir: string): string {
  return pathToFileURL(path.join(path.resolve(outDir), 'renderer', 'index.html')).href;
}

export interface SenderFacts {
  /** `webContents.id` of the sender. */
  senderId: number;
  /** `webContents.id` of the main window, or null when it is gone. */
  windowId: number | null;
  /** URL of the frame that sent the message, or null when the frame no longer exists. */
  frameUrl: string | null;
  /** True when the frame is the top-level frame of its page (no parent). */
  isTopFrame: boolean;
}

/**
 * Decide whether an IPC message comes from the app's own page in the main window.
 * Returns null when it does, otherwise the reason for rejecting it.
 *
 * The frame URL must equal `expectedUrl` character for character, apart from a
 * fragment (hash routing changes it without a navigation). Comparing the raw text
 * rather than a parsed URL means `..` segments, percent-encoded dots, a `localhost`
 * host or a query string all fail, whatever file they would resolve to.
 */
export function checkSender(facts: SenderFacts, expectedUrl: string): string | null {
  if (facts.windowId === null || facts.senderId !== facts.windowId) {
    return `sender webContents ${facts.senderId} is not the main window`;
  }
  if (facts.frameUrl === null) return 'sending frame no longer exists';
  if (!facts.isTopFrame) return `sender is a subframe (${facts.frameUrl})`;
  const hashAt = facts.frameUrl.indexOf('#');
  const withoutFragment = hashAt === -1 ? facts.frameUrl : facts.frameUrl.slice(0, hashAt);
  if (withoutFragment !== expectedUrl) return `sender URL ${JSON.stringify(facts.frameUrl)} is not ${expectedUrl}`;
  return null;
}

/**
 * Decide whether the window may load `url`: files inside the built renderer folder,
 * `data:` images, and `devtools:` pages when developer tools are enabled. Everything
 * else, every network scheme included, is cancelled.
 */
export function isAllowedRequest(url: string, rendererDir: string, allowDevTools: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'data:') return true;
  if (parsed.protocol === 'devtools:') return allowDevTools;
  if (parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return false;
  // The URL parser has already resolved `..` and percent-encoded dots in the path.
  let filePath: string;
  try {
    filePath = path.resolve(decodeURIComponent(parsed.pathname));
  } catch {
    return false;
  }
  const root = path.resolve(rendererDir);
  return filePath.startsWith(root + path.sep);
}

/**
 * Copy of response headers with the app's Content-Security-Policy in place of any
 * policy the response carried (header names are case-insensitive).
 */
export function withContentSecurityPolicy(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}
