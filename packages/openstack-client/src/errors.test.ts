import { describe, expect, it } from 'vitest';
import { OpenStackError, outcomeUnknown } from './errors.js';

describe('outcomeUnknown', () => {
  it('is true only for failures that leave open whether the request was carried out', () => {
    const failure = (code: ConstructorParameters<typeof OpenStackError>[0]['code']) => new OpenStackError({ code, message: `POST failed (${code})` });
    expect(['TIMEOUT', 'CONNECTION', 'HTTP_SERVER_ERROR'].map((code) => outcomeUnknown(failure(code as 'TIMEOUT')))).toEqual([true, true, true]);
    expect(['RATE_LIMITED', 'HTTP_CONFLICT', 'AUTH_FAILED'].map((code) => outcomeUnknown(failure(code as 'RATE_LIMITED')))).toEqual([false, false, false]);
    expect(outcomeUnknown(new Error('ETIMEDOUT'))).toBe(false);
  });
});
