import type { BlobStore } from './state/blobs.js';
import type { ResolvedOptions } from './options.js';
import type { SimStore } from './state/store.js';
import type { ServerSnapshot } from './compute/types.js';
import type { ServiceName } from './http/types.js';

/** Shared by every service: configuration, state, clock and the URLs the sim is reachable at. */
export interface SimContext {
  readonly options: ResolvedOptions;
  readonly store: SimStore;
  readonly blobs: BlobStore;
  now(): number;
  /** http://127.0.0.1:PORT */
  publicUrl(): string;
  /** The ServiceNet listener (rackspace mode), else the public URL. */
  internalUrl(): string;
  /** Runs `fn` after `ms` unless the sim is closed first. */
  schedule(ms: number, fn: () => void): void;
  notifyServerActive(server: ServerSnapshot, userData: string | undefined): void;
  /** The state of a service's rate-limit bucket (compute's `/limits` reports its own); undefined without a rate limit. */
  rateLimitState(service: ServiceName): { remaining: number; nextAvailableMs: number } | undefined;
}
