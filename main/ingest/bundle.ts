// Walks evidence inputs (files, folders, zip, tar, tar.gz, nested archives) and yields
// one item per evidence file. Archive members are extracted one at a time into a
// private workspace, hashed on the way, and deleted after use. The evidence itself is
// only ever opened for reading.

import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import { type ContainerKind, isTar, sniffContainer } from './sniff.ts';

/** Archives nested deeper than this are listed as skipped, which bounds zip-in-zip recursion. */
const MAX_NESTING = 8;
const SNIFF_BYTES = 512;

export interface BundleFile {
  type: 'file';
  /** Path inside the bundle, archive members as `outer.zip/member/path`. */
  path: string;
  name: string;
  /** Where the bytes are on disk: the evidence itself or a workspace copy of an archive member. */
  diskPath: string;
  size: number;
  /** SHA-256 of the file as stored (for `.gz`, of the compressed bytes). */
  sha256: string;
  /** True when the stored bytes are gzip and the content must be decompressed. */
  gzip: boolean;
  /** Bundle path of the archive this file came from, if any. */
  container: string | null;
}

export interface BundleContainer {
  type: 'container';
  path: string;
  kind: Exclude<ContainerKind, null> | 'tar.gz' | 'folder';
  diskPath: string;
  size: number;
  sha256: string;
  container: string | null;
}

export interface BundleProblem {
  type: 'problem';
  path: string;
  message: string;
  container: string | null;
}

export type BundleEntry = BundleFile | BundleContainer | BundleProblem;

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

async function readHead(file: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Read the first bytes of a gzip file's content, tolerating a truncated stream. */
async function gunzipHead(file: string, bytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  const source = createReadStream(file);
  const gunzip = createGunzip();
  source.pipe(gunzip);
  try {
    for await (const chunk of gunzip) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      if (total >= bytes) break;
    }
  } catch {
    // A damaged stream still gives what it decompressed; the handler reports the damage.
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}

/** Open a file's content for reading, decompressing gzip. */
export function openContent(file: BundleFile): Readable {
  const raw = createReadStream(file.diskPath);
  if (!file.gzip) return raw;
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

function hashingTap(hash: ReturnType<typeof createHash>): Transform {
  return new Transform({
    transform(chunk, _encoding, callback) {
      hash.update(chunk as Buffer);
      callback(null, chunk);
    },
  });
}

export class BundleWalker {
  private workspace: string | null = null;
  private counter = 0;
  private readonly signal: AbortSignal | undefined;

  constructor(signal?: AbortSignal) {
    this.signal = signal;
  }

  private async workspaceFile(name: string): Promise<string> {
    this.workspace ??= await mkdtemp(path.join(tmpdir(), 'casebook-import-'));
    this.counter += 1;
    const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-80);
    return path.join(this.workspace, `${this.counter}-${safe}`);
  }

  async dispose(): Promise<void> {
    if (this.workspace) await rm(this.workspace, { recursive: true, force: true });
    this.workspace = null;
  }

  /** Yield every evidence entry under the given paths, in a stable (sorted) order. */
  async *walk(inputs: string[]): AsyncGenerator<BundleEntry> {
    for (const input of inputs) {
      const absolute = path.resolve(input);
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(absolute);
      } catch (error) {
        yield {
          type: 'problem',
          path: input,
          message: `cannot read ${absolute}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          container: null,
        };
        continue;
      }
      const display = path.basename(absolute);
      if (info.isDirectory()) yield* this.walkFolder(absolute, display);
      else yield* this.walkFile(absolute, display, null, 0, false);
    }
  }

  private async *walkFolder(folder: string, display: string): AsyncGenerator<BundleEntry> {
    let names: string[];
    try {
      names = (await readdir(folder)).sort();
    } catch (error) {
      yield { type: 'problem', path: display, message: `cannot list folder ${folder}: ${(error as Error).message}`, container: null };
      return;
    }
    for (const name of names) {
      this.signal?.throwIfAborted();
      const full = path.join(folder, name);
      const child = `${display}/${name}`;
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(full);
      } catch (error) {
        yield { type: 'problem', path: child, message: `cannot read ${full}: ${(error as Error).message}`, container: null };
        continue;
      }
      if (info.isDirectory()) yield* this.walkFolder(full, child);
      else if (info.isFile()) yield* this.walkFile(full, child, null, 0, false);
    }
  }

  /**
   * Classify one file on disk. `owned` marks workspace copies, which are deleted once
   * the consumer has moved past them; evidence files are never modified or removed.
   */
  private async *walkFile(
    file: string,
    display: string,
    container: string | null,
    depth: number,
    owned: boolean,
    knownSha?: string,
  ): AsyncGenerator<BundleEntry> {
    try {
      let info: Awaited<ReturnType<typeof stat>>;
      let head: Uint8Array;
      let sha256: string;
      let kind: ContainerKind;
      let gzipped: boolean;
      try {
        info = await stat(file);
        head = await readHead(file, SNIFF_BYTES);
        const sniffed = sniffContainer(head);
        gzipped = sniffed === 'gzip';
        kind = gzipped && isTar(await gunzipHead(file, SNIFF_BYTES)) ? 'tar' : sniffed;
        sha256 = knownSha ?? (await sha256File(file));
      } catch (error) {
        // One unreadable file is reported on its own; the rest of the bundle still imports.
        yield {
          type: 'problem',
          path: display,
          message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          container,
        };
        return;
      }
      const name = path.basename(display);
      if (kind === null || kind === 'gzip') {
        yield {
          type: 'file',
          path: display,
          name: name.replace(/\.gz$/i, ''),
          diskPath: file,
          size: info.size,
          sha256,
          gzip: gzipped,
          container,
        };
        return;
      }
      const containerKind = kind === 'tar' && gzipped ? 'tar.gz' : kind;
      yield { type: 'container', path: display, kind: containerKind, diskPath: file, size: info.size, sha256, container };
      if (depth >= MAX_NESTING) {
        yield {
          type: 'problem',
          path: display,
          message: `archive nested more than ${MAX_NESTING} levels deep: not opened`,
          container: display,
        };
        return;
      }
      if (kind === 'zip') yield* this.walkZip(file, display, depth);
      else yield* this.walkTar(file, display, depth, gzipped);
    } finally {
      if (owned) await rm(file, { force: true });
    }
  }

  private async *walkZip(file: string, display: string, depth: number): AsyncGenerator<BundleEntry> {
    let zip: yauzl.ZipFile;
    try {
      zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
        yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (error, opened) =>
          error ? reject(error) : resolve(opened),
        );
      });
    } catch (error) {
      yield { type: 'problem', path: display, message: `invalid zip archive: ${(error as Error).message}`, container: display };
      return;
    }
    try {
      for (;;) {
        this.signal?.throwIfAborted();
        let entry: yauzl.Entry | null;
        try {
          entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
            const onEntry = (value: yauzl.Entry) => {
              cleanup();
              resolve(value);
            };
            const onEnd = () => {
              cleanup();
              resolve(null);
            };
            const onError = (error: Error) => {
              cleanup();
              reject(error);
            };
            const cleanup = () => {
              zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
            };
            zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
            zip.readEntry();
          });
        } catch (error) {
          yield {
            type: 'problem',
            path: display,
            message: `zip directory unreadable, later members skipped: ${(error as Error).message}`,
            container: display,
          };
          return;
        }
        if (entry === null) return;
        // Names are decoded here rather than by yauzl, whose check stops the whole archive at
        // the first unsafe name (`../x`, `/x`). Nothing is extracted to a path built from a
        // name, so such a member is read like any other and keeps its name as written.
        // NOTE: names without the UTF-8 flag are CP437 in the zip format; they are read as UTF-8 here.
        const fileName = Buffer.isBuffer(entry.fileName) ? entry.fileName.toString('utf8') : String(entry.fileName);
        if (fileName.endsWith('/')) continue;
        const member = `${display}/${fileName}`;
        const target = await this.workspaceFile(fileName);
        const hash = createHash('sha256');
        try {
          const stream = await new Promise<Readable>((resolve, reject) => {
            zip.openReadStream(entry, (error, opened) => (error ? reject(error) : resolve(opened)));
          });
          await pipeline(stream, hashingTap(hash), createWriteStream(target));
        } catch (error) {
          await rm(target, { force: true });
          yield { type: 'problem', path: member, message: `cannot extract zip member: ${(error as Error).message}`, container: display };
          continue;
        }
        yield* this.walkFile(target, member, display, depth + 1, true, hash.digest('hex'));
      }
    } finally {
      zip.close();
    }
  }

  private async *walkTar(file: string, display: string, depth: number, gzipped: boolean): AsyncGenerator<BundleEntry> {
    // tar-stream delivers entries through callbacks; a queue turns them into an async sequence.
    const extract = tar.extract();
    const queue: (BundleEntry | { type: 'member'; target: string; member: string; sha256: string })[] = [];
    let wake: (() => void) | null = null;
    let finished = false;
    let failure: Error | null = null;
    let resumeEntry: (() => void) | null = null;
    const notify = () => {
      wake?.();
      wake = null;
    };
    extract.on('entry', (header, stream, next) => {
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        stream.resume();
        next();
        return;
      }
      const member = `${display}/${header.name.replace(/^\.\//, '')}`;
      void this.workspaceFile(header.name).then((target) => {
        const hash = createHash('sha256');
        pipeline(stream, hashingTap(hash), createWriteStream(target)).then(
          () => {
            queue.push({ type: 'member', target, member, sha256: hash.digest('hex') });
            resumeEntry = next;
            notify();
          },
          (error: Error) => {
            queue.push({ type: 'problem', path: member, message: `cannot extract tar member: ${error.message}`, container: display });
            resumeEntry = next;
            notify();
          },
        );
      });
    });
    extract.on('finish', () => {
      finished = true;
      notify();
    });
    const source = createReadStream(file);
    const input = gzipped ? source.pipe(createGunzip()) : source.pipe(new PassThrough());
    input.on('error', (error) => {
      failure = error;
      notify();
      extract.destroy();
    });
    extract.on('error', (error) => {
      failure = error;
      notify();
    });
    input.pipe(extract);
    try {
      for (;;) {
        this.signal?.throwIfAborted();
        const item = queue.shift();
        if (item) {
          if (item.type === 'member') yield* this.walkFile(item.target, item.member, display, depth + 1, true, item.sha256);
          else yield item;
          const next = resumeEntry as (() => void) | null;
          resumeEntry = null;
          next?.();
          continue;
        }
        if (failure) {
          yield {
            type: 'problem',
            path: display,
            message: `tar archive damaged, later members skipped: ${(failure as Error).message}`,
            container: display,
          };
          return;
        }
        if (finished) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      source.destroy();
      extract.destroy();
    }
  }
}
