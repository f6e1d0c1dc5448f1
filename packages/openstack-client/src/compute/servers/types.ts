export interface ServerAddress {
  addr: string;
  version: 4 | 6;
  'OS-EXT-IPS:type'?: 'fixed' | 'floating';
  'OS-EXT-IPS-MAC:mac_addr'?: string;
}

export interface ServerFault {
  code?: number;
  message: string;
  details?: string;
  created?: string;
}

export type ServerStatus =
  | 'ACTIVE'
  | 'BUILD'
  | 'DELETED'
  | 'ERROR'
  | 'HARD_REBOOT'
  | 'MIGRATING'
  | 'PASSWORD'
  | 'PAUSED'
  | 'REBOOT'
  | 'REBUILD'
  | 'RESCUE'
  | 'RESIZE'
  | 'REVERT_RESIZE'
  | 'SHELVED'
  | 'SHELVED_OFFLOADED'
  | 'SHUTOFF'
  | 'SOFT_DELETED'
  | 'SUSPENDED'
  | 'UNKNOWN'
  | 'VERIFY_RESIZE';

export interface Server {
  id: string;
  name: string;
  status: ServerStatus | string;
  addresses: Record<string, ServerAddress[]>;
  accessIPv4?: string;
  accessIPv6?: string;
  metadata: Record<string, string>;
  key_name?: string | null;
  flavor?: { id?: string; original_name?: string; [k: string]: unknown };
  image?: { id: string } | '' | null;
  config_drive?: string | boolean;
  fault?: ServerFault;
  created?: string;
  updated?: string;
  tenant_id?: string;
  'OS-EXT-STS:task_state'?: string | null;
  'OS-EXT-STS:vm_state'?: string;
  'OS-EXT-SRV-ATTR:user_data'?: string;
  [key: string]: unknown;
}

/** A NIC: an existing network (optionally a fixed IP on it) or an existing port. */
export type ServerNetwork = { uuid: string; fixedIp?: string } | { port: string };

export interface CreateServerOptions {
  name: string;
  imageRef: string;
  flavorRef: string;
  keyName?: string;
  /** ≤ 40 items, keys and values ≤ 255 bytes each (Rackspace's limits; Nova's are looser). */
  metadata?: Record<string, string>;
  /** Raw user data; the client base64-encodes it. Encoded size must be ≤ 65535 bytes. */
  userData?: string | Buffer;
  configDrive?: boolean;
  /** Explicit NICs. 'auto' / 'none' need compute microversion 2.37 and are sent with it. */
  networks?: ServerNetwork[] | 'auto' | 'none';
  securityGroups?: string[];
  availabilityZone?: string;
  /**
   * Marker stored in metadata under IDEMPOTENCY_METADATA_KEY. When a create times out or its
   * connection resets, the client finds the server by name + this marker instead of re-sending.
   * Generated when absent.
   */
  idempotencyToken?: string;
}

export interface ListServersFilters {
  /** Nova treats this as a regular expression; use `exactName` for a literal match. */
  name?: string;
  exactName?: string;
  status?: string;
  image?: string;
  flavor?: string;
  ip?: string;
  'changes-since'?: string;
  /** Page size; pagination is followed regardless. */
  limit?: number;
  marker?: string;
}

export interface WaitOptions {
  /** Give up after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** First poll interval; grows ×1.5 up to maxIntervalMs. Default 1 s. */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Called with each observed server (progress reporting). */
  onPoll?: (server: Server) => void;
}
