import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api.ts';
import { describeError, toApiError } from './errors.ts';

describe('toApiError', () => {
  it('keeps the code of a desktop bridge rejection', () => {
    const error = toApiError({ code: 'conflict', message: 'import 3 is still running' }, 'startImport');
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('import 3 is still running');
  });

  it('treats an unknown code as internal', () => {
    const error = toApiError({ code: 'teapot', message: 'short and stout' }, 'caseInfo');
    expect(error.code).toBe('internal');
    expect(error.message).toBe('caseInfo failed: short and stout');
  });

  it('wraps a plain value', () => {
    expect(toApiError('boom', 'listEvidence').message).toBe('listEvidence failed: boom');
  });

  it('returns an ApiError unchanged', () => {
    const original = new ApiError('not_found', 'event 4 not found');
    expect(toApiError(original, 'eventDetail')).toBe(original);
  });
});

describe('describeError', () => {
  it('prefixes codes other than internal', () => {
    expect(describeError(new ApiError('bad_request', 'invalid from time'))).toBe('bad_request: invalid from time');
    expect(describeError(new ApiError('internal', 'disk full'))).toBe('disk full');
  });
});
