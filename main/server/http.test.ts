import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../backend/backend.ts';
import type { CasebookBackend } from '../backend/types.ts';
import { LATEST_SCHEMA_VERSION } from '../case/migrations/index.ts';
import { type RunningServer, startServer } from './http.ts';

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A raw HTTP request to the test server, so Host and Origin can be set freely. */
function call(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser-mode HTTP bridge', () => {
  let backend: CasebookBackend;
  let server: RunningServer;
  let host: string;

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'serve-'));
    const webRoot = path.join(dir, 'web');
    await mkdir(webRoot);
    await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>Casebook</title>');
    await writeFile(path.join(dir, 'secret.txt'), 'outside the web root');
    backend = await createBackend({ casePath: path.join(dir, 'case.duckdb') });
    server = await startServer({ api: backend, webRoot });
    host = `127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server.close();
    await backend.close();
  });

  const api = (method: string, body: string, headers: Record<string, string> = {}) =>
    call(server.port, {
      method: 'POST',
      path: `/api/${method}`,
      headers: { host, 'content-type': 'application/json', 'x-casebook-token': server.token, ...headers },
      body,
    });

  it('prints a loopback URL carrying the token in the fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('answers an API call that carries the token', async () => {
    const reply = await api('caseInfo', '[]');
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.body);
    expect(body.ok).toBe(true);
    expect(body.result.events).toBe(0);
    expect(body.result.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
  });

  it('rejects a call without the token or with a wrong one', async () => {
    const missing = await call(server.port, {
      method: 'POST',
      path: '/api/caseInfo',
      headers: { host, 'content-type': 'application/json' },
      body: '[]',
    });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body).error.code).toBe('unauthorized');
    const wrong = await api('caseInfo', '[]', { 'x-casebook-token': 'f'.repeat(48) });
    expect(wrong.status).toBe(401);
  });

  it('rejects a foreign Host header (DNS rebinding)', async () => {
    const reply = await api('caseInfo', '[]', { host: `attacker.example:${server.port}` });
    expect(reply.status).toBe(421);
  });

  it('rejects a cross-origin request even with the token', async () => {
    const reply = await api('caseInfo', '[]', { origin: 'http://attacker.example' });
    expect(reply.status).toBe(403);
    const same = await api('caseInfo', '[]', { origin: `http://${host}` });
    expect(same.status).toBe(200);
  });

  it('validates arguments and names the bad one', async () => {
    const reply = await api(
      'timelinePage',
      JSON.stringify([{ filters: [{ column: 'data; DROP TABLE events', op: 'contains', value: 'x' }] }, 0, 100]),
    );
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).error.message).toMatch(/filters\[0\]\.column/);
    const unknown = await api('dropEverything', '[]');
    expect(unknown.status).toBe(404);
    const notJson = await api('caseInfo', '{');
    expect(notJson.status).toBe(400);
  });

  it('serves the web UI with a strict CSP and never a file outside the web root', async () => {
    const index = await call(server.port, { path: '/', headers: { host } });
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>Casebook</title>');
    expect(String(index.headers['content-security-policy'])).toContain("default-src 'self'");
    const traversal = await call(server.port, { path: '/..%2Fsecret.txt', headers: { host } });
    expect(traversal.status).toBe(404);
    expect(traversal.body).not.toContain('outside the web root');
  });

  it('binds only the loopback interface by default', () => {
    expect(server.address).toBe('127.0.0.1');
  });

  it('names a port in use when listen fails', async () => {
    const attempt = startServer({ api: backend, webRoot: path.join(tmpdir(), 'unused'), port: server.port });
    await expect(attempt).rejects.toThrow(`port ${server.port} on 127.0.0.1 is already in use by another program`);
    await expect(attempt).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
