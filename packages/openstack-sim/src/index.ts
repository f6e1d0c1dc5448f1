export { startSim, type Sim, type SimControl } from './sim.js';
export type {
  SimOptions,
  SimMode,
  FaultKind,
  FaultOptions,
  RateLimitOptions,
  SimUser,
  SimApplicationCredential,
  SimQuirks,
  SimQuotas,
} from './options.js';
export { defaultUsers } from './options.js';
export { formatEnvExports, type SimEnv } from './env.js';
export { serveUntilSignal, type ServeOptions } from './cli.js';
export type { ServerSnapshot } from './compute/types.js';
export type { SimInspector, RequestLogEntry, ObjectSummary } from './inspect.js';
export { tempUrlSignature, checkTempUrl, type TempUrlDigest } from './object-storage/tempurl.js';
export { PUBLIC_NET_ID, SERVICE_NET_ID } from './network/model.js';
export { COREOS_IMAGE_ID } from './compute/seed.js';
