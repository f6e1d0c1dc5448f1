export interface AbsoluteLimits {
  maxTotalInstances?: number;
  maxTotalCores?: number;
  maxTotalRAMSize?: number;
  maxTotalKeypairs?: number;
  maxServerMeta?: number;
  totalInstancesUsed?: number;
  totalCoresUsed?: number;
  totalRAMUsed?: number;
  [key: string]: number | undefined;
}

export type RateLimitUnit = 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY';

/**
 * One published rate limit (Rackspace and Nova before Newton, `limits.rate[].limit[]`, flattened):
 * `value` requests per `unit` for `verb` ('*' = any) on paths matching `regex`.
 */
export interface RateLimit {
  verb: string;
  uri: string;
  regex: string;
  value: number;
  unit: RateLimitUnit;
  /** Requests left right now, when the cloud says. */
  remaining?: number;
  /** When the next request is allowed, when the cloud says. */
  nextAvailable?: Date;
}

export interface Limits {
  absolute: AbsoluteLimits;
  /** Empty on clouds that publish none (Nova since Newton). */
  rate: RateLimit[];
}
