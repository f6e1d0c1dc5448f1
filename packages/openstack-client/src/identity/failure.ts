import { OpenStackError } from '../errors.js';

/** Wraps an identity request failure as AUTH_FAILED, keeping status, request id and the API message. */
export function authFailure(err: unknown, what: string): OpenStackError {
  if (!(err instanceof OpenStackError)) {
    return new OpenStackError({ code: 'AUTH_FAILED', message: `authentication failed (${what})`, cause: err });
  }
  // Connectivity problems keep their own code: they are not a credentials problem.
  if (err.status === undefined) return err;
  if (err.code === 'RATE_LIMITED' || err.code === 'HTTP_SERVER_ERROR') return err;
  return new OpenStackError({
    code: 'AUTH_FAILED',
    message: `authentication failed (${what}): ${err.status}${err.apiMessage ? ` ${err.apiMessage}` : ''}${err.requestId ? ` [request ${err.requestId}]` : ''}`,
    status: err.status,
    ...(err.method ? { method: err.method } : {}),
    ...(err.url ? { url: err.url } : {}),
    ...(err.requestId ? { requestId: err.requestId } : {}),
    ...(err.apiMessage ? { apiMessage: err.apiMessage } : {}),
    cause: err,
  });
}
