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

export interface Limits {
  absolute: AbsoluteLimits;
  rate: unknown[];
}
