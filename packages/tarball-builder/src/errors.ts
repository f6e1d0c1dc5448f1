/**
 * Every failure this package reports on purpose is a `TarballError` with a stable `code`, so the
 * CLI can print `message` for expected failures and a stack only for real bugs.
 */
export type TarballErrorCode =
  | 'TARBALL_NOT_FOUND'
  | 'TARBALL_CORRUPT'
  | 'TARBALL_TRUNCATED'
  | 'TARBALL_INVALID_LAYOUT'
  | 'BUILD_INPUT_INVALID'
  | 'RELEASE_VERSION_INVALID'
  | 'RELEASE_DOWNLOAD_FAILED'
  | 'RELEASE_DIGEST_MISMATCH'
  | 'UPLOAD_FAILED'
  | 'UPLOAD_OPTIONS_INVALID'
  | 'TEMP_URL_OPTIONS_INVALID';

export interface TarballErrorInit {
  /** The file or URL the error is about, when there is one. */
  path?: string;
  /** Every place looked at, for TARBALL_NOT_FOUND. */
  searched?: string[];
  cause?: unknown;
}

export class TarballError extends Error {
  override readonly name = 'TarballError';
  readonly code: TarballErrorCode;
  readonly path: string | undefined;
  readonly searched: readonly string[];

  constructor(code: TarballErrorCode, message: string, init: TarballErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.path = init.path;
    this.searched = init.searched ?? [];
  }
}

export function isTarballError(err: unknown, code?: TarballErrorCode): err is TarballError {
  return err instanceof TarballError && (code === undefined || err.code === code);
}
