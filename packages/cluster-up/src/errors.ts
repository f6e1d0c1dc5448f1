/**
 * A problem the user fixes by changing input (a setting, a file, a name clash in the cloud),
 * not a failed operation. Carries a stable `code`; the CLI prints the message alone and exits 2.
 */
export class UserInputError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * An operation on the cloud that did not succeed, and says why and what to do (a server went into
 * ERROR, the API did not answer in time, the cloud dropped a delete): not a bug, and not bad
 * input. Carries a stable `code`; the CLI prints the message alone and exits 1.
 */
export class ClusterOperationError extends Error {
  readonly exitCode = 1;
  constructor(
    readonly code: 'SERVER_ERROR' | 'ACTIVE_TIMEOUT' | 'API_TIMEOUT' | 'DUPLICATE_SERVERS' | 'SERVER_VANISHED' | 'DELETE_DROPPED' | 'DELETE_TIMEOUT',
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
