import { describe, expect, it } from 'vitest';
import { ApiError, TOKEN_HEADER } from '../../../shared/api.ts';
import { createHttpApi, takeToken } from './http.ts';

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

function fakeLocation(hash: string): Location {
  return { hash, pathname: '/', search: '' } as Location;
}

function fakeHistory(replaced: string[]): History {
  const replaceState = (_data: unknown, _unused: string, url?: string | URL | null): void => {
    replaced.push(String(url));
  };
  return { replaceState } as unknown as History;
}

describe('takeToken', () => {
  it('moves the token from the fragment to storage', () => {
    const storage = new MemoryStorage();
    const replaced: string[] = [];
    expect(takeToken(fakeLocation('#token=ab12cd'), storage as unknown as Storage, fakeHistory(replaced))).toBe('ab12cd');
    expect(storage.getItem('casebook.token')).toBe('ab12cd');
    expect(replaced).toEqual(['/']);
  });

  it('falls back to the stored token', () => {
    const storage = new MemoryStorage();
    storage.setItem('casebook.token', 'ff00');
    const replaced: string[] = [];
    expect(takeToken(fakeLocation(''), storage as unknown as Storage, fakeHistory(replaced))).toBe('ff00');
    expect(replaced).toEqual([]);
  });

  it('returns null without any token', () => {
    expect(takeToken(fakeLocation('#other=1'), new MemoryStorage() as unknown as Storage, fakeHistory([]))).toBeNull();
  });
});

describe('createHttpApi', () => {
  it('posts the arguments with the token', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetchStub = async (url: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(url), init: init! });
      return new Response(JSON.stringify({ ok: true, result: { rows: [], matched: 0, total: 5 } }), { status: 200 });
    };
    const api = createHttpApi('ab12', fetchStub as typeof fetch);
    const page = await api.timelinePage({ search: 'x' }, 0, 100);
    expect(page.total).toBe(5);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('./api/timelinePage');
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.body).toBe('[{"search":"x"},0,100]');
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers[TOKEN_HEADER]).toBe('ab12');
    expect(headers['content-type']).toBe('application/json');
  });

  it('turns an error envelope into ApiError', async () => {
    const fetchStub = async () =>
      new Response(JSON.stringify({ ok: false, error: { code: 'not_found', message: 'event 9 not found in this case' } }), { status: 404 });
    const api = createHttpApi('ab12', fetchStub as typeof fetch);
    const failure = await api.eventDetail(9).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('not_found');
    expect((failure as ApiError).message).toBe('event 9 not found in this case');
  });

  it('reports a body that is not JSON', async () => {
    const fetchStub = async () => new Response('<html>proxy error</html>', { status: 502 });
    const api = createHttpApi('ab12', fetchStub as typeof fetch);
    await expect(api.caseInfo()).rejects.toThrow(/caseInfo: HTTP 502 with a body that is not JSON/);
  });

  it('reports a server that is gone', async () => {
    const fetchStub = async () => {
      throw new TypeError('Failed to fetch');
    };
    const api = createHttpApi('ab12', fetchStub as typeof fetch);
    await expect(api.listEvidence()).rejects.toThrow(/did not respond \(Failed to fetch\)/);
  });

  it('rejects every call without a token', async () => {
    const api = createHttpApi(null, (async () => new Response('{}')) as typeof fetch);
    const failure = await api.capabilities().catch((error: unknown) => error);
    expect((failure as ApiError).code).toBe('unauthorized');
  });
});
