// Where a bundle may be written. An existing folder is reused only when every file in it
// has a path a scenario writes (hosts/<HOST>/<log>.evtx, hosts/<HOST>/memory/windows.*,
// network/zeek/<log>.log), so a folder of other files is never overwritten or mixed in.

import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { LOG_FILES } from './host.ts';
import { PLUGINS } from './memory/snapshot.ts';
import { ZEEK_LOG_NAMES } from './zeek/schemas.ts';

const HOST = '[A-Z][A-Z0-9-]{0,14}';
const EVTX = Object.values(LOG_FILES).map((name) => name.replace(/[.%]/g, (char) => `\\${char}`));
const PLUGIN = Object.values(PLUGINS).map((name) => name.replace(/\./g, '\\.'));
const OUTPUT_FILE = new RegExp(
  `^(?:hosts/${HOST}/(?:${EVTX.join('|')})|hosts/${HOST}/memory/(?:${PLUGIN.join('|')})\\.(?:txt|csv|json)|network/zeek/(?:${ZEEK_LOG_NAMES.join('|')})\\.log)$`,
);

function listFiles(root: string, relative = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) files.push(...listFiles(root, child));
    else files.push(child);
  }
  return files;
}

/**
 * Checks `dir` before writing: a missing or empty folder is fine, and so is one that holds
 * only a previous scenario's files, which are then removed. Returns the problem, or null.
 */
export function prepareOutputDir(dir: string): string | null {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(dir);
  } catch {
    return null;
  }
  if (!stats.isDirectory()) return `${dir} exists and is not a folder`;
  const files = listFiles(dir);
  const foreign = files.find((file) => !OUTPUT_FILE.test(file));
  if (foreign) return `${dir} is not empty and ${foreign} is not part of a scenario bundle: choose an empty or new folder`;
  for (const entry of readdirSync(dir)) rmSync(path.join(dir, entry), { recursive: true, force: true });
  return null;
}
