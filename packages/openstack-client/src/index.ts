export { createClient, clientFromEnv, optionsFromConfig, IdentityFacet, ComputeFacet, NetworkFacet, ObjectStorageFacet } from './client.js';
export type { ClientOptions, OpenStackClient, CloudProfile, TempUrlRequest } from './client.js';

export { OpenStackError, isStatus, isOpenStackError, outcomeUnknown, parseApiMessage, requestIdFrom } from './errors.js';
export type { OpenStackErrorCode, OpenStackErrorInit } from './errors.js';
export { Redactor, redact, redactUrl, redactHeaders, redactPatterns, REDACTED } from './redact.js';
export { silentLogger, redactingLogger } from './logger.js';
export type { Logger, LogFields } from './logger.js';

export { createTransport, defaultSleep, toOpenStackError } from './transport/transport.js';
export type { AuthProvider, TransportContext, TransportOptions } from './transport/transport.js';
export { decideRetry, parseRetryAfter, DEFAULT_RETRY_POLICY, IDEMPOTENT_METHODS } from './transport/backoff.js';
export type { RetryPolicy, RetryInput, RetryDecision } from './transport/backoff.js';

export { AuthSession } from './identity/session.js';
export { findEndpoint, describeCatalog } from './identity/catalog.js';
export type { EndpointQuery } from './identity/catalog.js';
export { parseExpires } from './identity/expires.js';
export type * from './identity/types.js';

export { configFromEnv } from './config/env.js';
export type { Env } from './config/env.js';
export { loadCloudsYaml } from './config/clouds-yaml.js';
export type { LoadCloudsYamlOptions } from './config/clouds-yaml.js';
export type { ResolvedCloudConfig } from './config/credentials.js';
export { detectIdentityVersion } from './config/detect.js';

export { IDEMPOTENCY_METADATA_KEY, serverIPv4, buildCreateServerBody } from './compute/servers/requests.js';
export type { CreateServerBehaviour } from './compute/servers/requests.js';
export type * from './compute/servers/types.js';
export type { Keypair } from './compute/keypairs/types.js';
export type { Flavor } from './compute/flavors/types.js';
export type { Image } from './compute/images/types.js';
export type { Limits, AbsoluteLimits, RateLimit, RateLimitUnit } from './compute/limits/types.js';
export { parseRateLimits } from './compute/limits/requests.js';
export { RACKSPACE_PUBLICNET_ID, RACKSPACE_SERVICENET_ID } from './compute/networksv2/types.js';
export type { RackspaceNetwork } from './compute/networksv2/types.js';

export type { Network, CreateNetworkOptions } from './network/networks/types.js';
export type { Subnet, CreateSubnetOptions, AllocationPool } from './network/subnets/types.js';
export type { Port, CreatePortOptions, FixedIp } from './network/ports/types.js';
export type { NeutronFilters } from './network/filters.js';

export { makeTempUrl, makePrefixTempUrl, tempUrlSignature } from './object-storage/tempurl/tempurl.js';
export type { TempUrlDigest, TempUrlMethod, TempUrlOptions, PrefixTempUrl } from './object-storage/tempurl/tempurl.js';
export { planSegments } from './object-storage/slo/requests.js';
export type { SloOptions, SloResult, SloSegment } from './object-storage/slo/requests.js';
export { md5OfFile } from './object-storage/objects/requests.js';
export type { DownloadResult, UploadSource } from './object-storage/objects/requests.js';
export type * from './object-storage/types.js';
