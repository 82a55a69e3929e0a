// Container and compression detection by magic bytes, never by file name.

export type ContainerKind = 'zip' | 'tar' | 'gzip' | null;

export function sniffContainer(head: Uint8Array): ContainerKind {
  if (
    head.length >= 4 &&
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    (head[2] === 0x03 || head[2] === 0x05) &&
    (head[3] === 0x04 || head[3] === 0x06)
  ) {
    return 'zip';
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (isTar(head)) return 'tar';
  return null;
}

/** POSIX and GNU tar headers carry `ustar` at offset 257 (POSIX.1-1988 ustar format). */
export function isTar(head: Uint8Array): boolean {
  if (head.length < 262) return false;
  const magic = String.fromCharCode(...head.subarray(257, 262));
  return magic === 'ustar';
}
