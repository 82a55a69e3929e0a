import { existsSync } from 'node:fs';
import path from 'node:path';
import { log } from '../log.ts';
import { type RunningServer, startServer } from '../server/http.ts';
import { openCaseBackend } from './case-open.ts';
import { UsageError } from './usage.ts';

const DEFAULT_WEB_ROOT = path.resolve(import.meta.dirname, '../../out/web');

export interface ServeCliOptions {
  case: string;
  port?: number;
  host: string;
  webRoot?: string;
}

export async function runServe(options: ServeCliOptions): Promise<number> {
  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  if (!existsSync(path.join(webRoot, 'index.html'))) {
    throw new UsageError(`built web UI not found at ${webRoot}: run "npm run build:web" first (or pass --web-root)`);
  }
  const backend = await openCaseBackend(options.case);
  let server: RunningServer;
  try {
    server = await startServer({ api: backend, webRoot, host: options.host, port: options.port ?? 0 });
  } catch (error) {
    await backend.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`${(error as Error).message}: choose another --port, or omit --port to use a free one`);
    }
    throw error;
  }
  process.stdout.write(`Casebook is serving ${options.case}\nOpen ${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info('stopping browser mode', { signal });
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await server.close();
  await backend.close();
  return 0;
}
