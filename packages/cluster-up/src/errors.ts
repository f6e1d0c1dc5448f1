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
