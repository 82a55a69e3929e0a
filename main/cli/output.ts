// Standard output for commands that stream many lines. A reader that stops early
// (`casebook timeline … | head`) closes the pipe; the command then stops writing and
// exits normally instead of failing on EPIPE.

export interface LineOutput {
  /** Resolves once the text is buffered, waiting for `drain` when the pipe is full. */
  write(text: string): Promise<void>;
  /** True once the reader has closed the pipe. */
  readonly closed: boolean;
  /** Removes the error listener; call when the command ends. */
  release(): void;
}

export function openLineOutput(out: NodeJS.WriteStream = process.stdout): LineOutput {
  let closed = false;
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  };
  out.on('error', onError);
  return {
    get closed() {
      return closed;
    },
    write(text: string): Promise<void> {
      if (closed || out.write(text)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        out.once('drain', resolve);
        out.once('error', () => resolve());
      });
    },
    release() {
      out.off('error', onError);
    },
  };
}
