// The machine a memory-analysis output belongs to. Volatility's output does not name the
// host, but bundles are usually laid out per machine (`DC01/memory/pslist.txt`,
// `hosts/WS01/vol3/psscan.csv`), so the nearest folder that is not a generic name is
// taken as the host. The process index then matches it to the log host whose name or
// first DNS label is the same, and keeps it apart when none is.

/** Folder names that say what is inside, not which machine it came from (compared in lower case). */
const GENERIC_FOLDERS = new Set([
  'analysis',
  'artifacts',
  'artefacts',
  'bundle',
  'case',
  'collection',
  'data',
  'dump',
  'dumps',
  'evidence',
  'export',
  'exports',
  'files',
  'hosts',
  'image',
  'images',
  'incident',
  'logs',
  'mem',
  'memory',
  'out',
  'output',
  'outputs',
  'plugins',
  'ram',
  'results',
  'sample',
  'triage',
  'vol',
  'vol2',
  'vol3',
  'volatility',
  'volatility2',
  'volatility3',
]);

/** A NetBIOS or DNS host name: letters, digits and hyphens, with optional dotted labels. */
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*$/;
/** Archive members are named `archive.zip/member`; an archive's own name is never a host. */
const ARCHIVE_NAME = /\.(?:zip|tar|tgz|tar\.gz|gz|7z|rar)$/i;

/**
 * Returns the host name implied by the folders of an evidence path (as the bundle
 * walker names it, `/`-separated), or null when no folder looks like a machine.
 */
export function memoryHostFromPath(evidencePath: string): string | null {
  const folders = evidencePath.split(/[\\/]/).slice(0, -1);
  for (let index = folders.length - 1; index >= 0; index -= 1) {
    const folder = folders[index]!;
    if (GENERIC_FOLDERS.has(folder.toLowerCase()) || ARCHIVE_NAME.test(folder)) continue;
    if (!HOST_NAME.test(folder) || /^\d+$/.test(folder)) return null;
    return folder;
  }
  return null;
}
