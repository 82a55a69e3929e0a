// Browser-mode transport: every API method is `POST /api/<method>` with the arguments
// as a JSON array and the per-run token in a header. The token arrives once in the
// URL fragment (`#token=<hex>`), which the browser never sends to the server.

import { API_METHODS, ApiError, type CasebookApi, TOKEN_HEADER } from '../../../shared/api.ts';
import { toApiError } from './errors.ts';

const TOKEN_STORAGE_KEY = 'casebook.token';

/**
 * Returns the API token: from `#token=` in the address (then stored in sessionStorage
 * and removed from the address bar, so it does not linger in history or screenshots),
 * else the one stored earlier in this tab. Returns null when there is none.
 */
export function takeToken(location: Location, storage: Storage, history: History): string | null {
  const match = /(?:^#|&)token=([0-9a-fA-F]+)/.exec(location.hash);
  if (match) {
    storage.setItem(TOKEN_STORAGE_KEY, match[1]!);
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    return match[1]!;
  }
  return storage.getItem(TOKEN_STORAGE_KEY);
}

interface Envelope {
  ok: boolean;
  result?: unknown;
  error?: { code?: unknown; message?: unknown };
}

async function readEnvelope(response: Response, method: string): Promise<Envelope> {
  const text = await response.text();
  try {
    return JSON.parse(text) as Envelope;
  } catch {
    throw new ApiError('internal', `${method}: HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
}

/** Builds a CasebookApi that calls the loopback server this page was loaded from. */
export function createHttpApi(token: string | null, fetchImpl: typeof fetch = fetch.bind(globalThis)): CasebookApi {
  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    if (token === null) {
      throw new ApiError('unauthorized', 'no API token: open the full URL that "casebook serve" printed, including #token=…');
    }
    let response: Response;
    try {
      response = await fetchImpl(`./api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(args),
      });
    } catch (error) {
      throw new ApiError(
        'internal',
        `${method}: the Casebook server did not respond (${(error as Error).message}); is "casebook serve" still running?`,
      );
    }
    const envelope = await readEnvelope(response, method);
    if (response.ok && envelope.ok) return envelope.result;
    throw toApiError(envelope.error ?? { message: `HTTP ${response.status}` }, method);
  };

  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of API_METHODS) api[method] = (...args: unknown[]) => call(method, args);
  return api as unknown as CasebookApi;
}
