import { UserInputError } from '../errors.js';

/** One bad setting: which variable, what value it had and where from, and what is allowed. */
export interface ConfigIssue {
  variable: string;
  value: string;
  source: string;
  message: string;
}

/** Bad user input in the cluster configuration. The CLI prints it and exits with status 2. */
export class ConfigError extends UserInputError {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super('CONFIG_INVALID', issues.map(formatIssue).join('\n'));
  }
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.variable}=${JSON.stringify(issue.value)} (from ${issue.source}): ${issue.message}`;
}
