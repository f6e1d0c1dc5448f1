import type { Logger } from '../logger.js';
import type { Redactor } from '../redact.js';
import type { RetryPolicy } from '../transport/backoff.js';
import type { AuthProvider } from '../transport/transport.js';

/** What object storage needs beyond the service client: streaming downloads retry and re-auth by hand. */
export interface ObjectStorageDeps {
  auth: AuthProvider | undefined;
  redactor: Redactor;
  logger: Logger;
  retry: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
}
