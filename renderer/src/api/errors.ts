// Errors from either transport become ApiError, so the UI shows one kind of message.

import { API_ERROR_CODES, ApiError, type ApiErrorCode } from '../../../shared/api.ts';

function isErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && (API_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Converts whatever a call rejected with into an ApiError. The desktop bridge rejects
 * with plain `{code, message}` objects (contextBridge drops an Error's own properties),
 * and fetch rejects with a TypeError when the server is gone.
 */
export function toApiError(error: unknown, method: string): ApiError {
  if (error instanceof ApiError) return error;
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (isErrorCode(code) && typeof message === 'string') return new ApiError(code, message);
    if (typeof message === 'string') return new ApiError('internal', `${method} failed: ${message}`);
  }
  return new ApiError('internal', `${method} failed: ${String(error)}`);
}

/** One line for the user: the message, prefixed with the code unless it is a plain internal failure. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.code === 'internal' ? error.message : `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
