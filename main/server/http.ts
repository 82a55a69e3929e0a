// Browser mode: the same API as the desktop app, over HTTP on the loopback interface.
// Every API call must carry the per-run token; Host and Origin must name this server,
// which stops other web pages in the user's browser (DNS rebinding, cross-site
// requests) from reaching the case.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type API_METHODS, ApiError, type CasebookApi, TOKEN_HEADER } from '../../shared/api.ts';
import { validateArgs } from '../../shared/validate.ts';
import { log } from '../log.ts';

const MAX_BODY_BYTES = 1024 * 1024;

/** The same policy as the desktop window: only our own scripts, no remote anything. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export interface ServeOptions {
  api: CasebookApi;
  /** Folder with the built renderer (index.html and assets). */
  webRoot: string;
  /** Interface to bind; loopback unless the user explicitly asks otherwise. */
  host?: string;
  /** 0 picks a random free port. */
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  /** The address actually bound. */
  address: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** JSON with bigint as decimal text, so 64-bit values are never rounded. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item));
}

function send(response: ServerResponse, status: number, body: string, type = 'application/json'): void {
  response.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': CONTENT_SECURITY_POLICY,
  });
  response.end(body);
}

function sendError(response: ServerResponse, error: ApiError): void {
  const status = { bad_request: 400, unauthorized: 401, not_found: 404, conflict: 409, internal: 500 }[error.code];
  send(response, status, toJson({ ok: false, error: { code: error.code, message: error.message } }));
}

function tokenMatches(expected: string, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError('bad_request', `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Restates a failed listen in words, keeping the system error code (`EADDRINUSE`, ...) and the original error as cause. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): NodeJS.ErrnoException {
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const message =
    error.code === 'EADDRINUSE'
      ? `port ${port} on ${host} is already in use by another program`
      : `listening on ${address} failed: ${error.message}`;
  return Object.assign(new Error(message, { cause: error }), { code: error.code });
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('hex');
  const webRoot = path.resolve(options.webRoot);
  let port = 0;

  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${host}:${port}`]);

  const handleApi = async (request: IncomingMessage, response: ServerResponse, method: string): Promise<void> => {
    if (request.method !== 'POST') throw new ApiError('bad_request', `API calls use POST, got ${request.method}`);
    if (!tokenMatches(token, request.headers[TOKEN_HEADER])) {
      throw new ApiError('unauthorized', `missing or wrong ${TOKEN_HEADER} header: open the URL that "casebook serve" printed`);
    }
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      throw new ApiError('bad_request', 'API calls need content-type: application/json');
    }
    let args: unknown;
    try {
      args = JSON.parse(await readBody(request));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('bad_request', `request body is not valid JSON: ${(error as Error).message}`);
    }
    const checked = validateArgs(method, args);
    const target = options.api[method as (typeof API_METHODS)[number]] as (...values: unknown[]) => Promise<unknown>;
    const result = await target.apply(options.api, checked);
    send(response, 200, toJson({ ok: true, result: result ?? null }));
  };

  const handleStatic = async (request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'method not allowed', 'text/plain');
      return;
    }
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = path.resolve(webRoot, relative);
    if (file !== webRoot && !file.startsWith(webRoot + path.sep)) {
      send(response, 404, 'not found', 'text/plain');
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-length': body.length,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'cache-control': relative === 'index.html' ? 'no-store' : 'max-age=3600',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      send(response, 404, `not found: ${pathname}`, 'text/plain');
    }
  };

  const server: Server = createServer((request, response) => {
    const requestHost = request.headers.host ?? '';
    if (!allowedHosts().has(requestHost)) {
      log.warn('rejected request with foreign Host header', { host: requestHost });
      send(
        response,
        421,
        toJson({ ok: false, error: { code: 'unauthorized', message: `Host ${JSON.stringify(requestHost)} is not this server` } }),
      );
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, ''))) {
      log.warn('rejected cross-origin request', { origin });
      send(
        response,
        403,
        toJson({ ok: false, error: { code: 'unauthorized', message: `Origin ${JSON.stringify(origin)} is not allowed` } }),
      );
      return;
    }
    const pathname = new URL(request.url ?? '/', 'http://placeholder').pathname;
    const apiMatch = /^\/api\/([A-Za-z]+)$/.exec(pathname);
    const work = apiMatch ? handleApi(request, response, apiMatch[1]!) : handleStatic(request, response, pathname);
    work.catch((error: unknown) => {
      if (response.headersSent) return;
      if (error instanceof ApiError) {
        sendError(response, error);
        return;
      }
      log.error('API call failed', { path: pathname, error: (error as Error).message });
      sendError(response, new ApiError('internal', (error as Error).message));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, options.port ?? 0)));
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  port = bound.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/#token=${token}`;
  log.info('browser mode listening', { host, port });
  return {
    url,
    address: bound.address,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
