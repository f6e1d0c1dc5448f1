/** Everything the sim knows, as plain JSON-serialisable records (persisted to `stateFile`). */

export interface TokenRecord {
  id: string;
  userId: string;
  projectId: string;
  methods: string[];
  issuedAt: string;
  expiresAt: string;
  auditId: string;
  applicationCredentialId?: string;
}

export interface FlavorRecord {
  id: string;
  name: string;
  ram: number;
  disk: number;
  vcpus: number;
  ephemeral: number;
  swap: number;
  rxtxFactor: number;
}

export interface ImageRecord {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  size: number;
  minDisk: number;
  minRam: number;
  diskFormat: string;
  containerFormat: string;
  metadata: Record<string, string>;
  checksum: string;
}

export interface KeypairRecord {
  name: string;
  userId: string;
  publicKey: string;
  fingerprint: string;
  type: 'ssh' | 'x509';
  createdAt: string;
  id: number;
}

export interface NetworkRecord {
  id: string;
  name: string;
  description: string;
  projectId: string;
  shared: boolean;
  external: boolean;
  adminStateUp: boolean;
  mtu: number;
  createdAt: string;
  updatedAt: string;
  revision: number;
  /** Rackspace PublicNet / ServiceNet: not deletable, no Neutron subnets shown to tenants. */
  special?: 'public' | 'private';
}

export interface AllocationPool {
  start: string;
  end: string;
}

export interface SubnetRecord {
  id: string;
  name: string;
  description: string;
  networkId: string;
  projectId: string;
  ipVersion: 4 | 6;
  cidr: string;
  gatewayIp: string | null;
  allocationPools: AllocationPool[];
  enableDhcp: boolean;
  dnsNameservers: string[];
  hostRoutes: Array<{ destination: string; nexthop: string }>;
  createdAt: string;
  updatedAt: string;
  revision: number;
}

export interface FixedIp {
  subnetId: string;
  ipAddress: string;
}

export interface PortRecord {
  id: string;
  name: string;
  description: string;
  networkId: string;
  projectId: string;
  macAddress: string;
  fixedIps: FixedIp[];
  deviceId: string;
  deviceOwner: string;
  adminStateUp: boolean;
  status: 'DOWN' | 'ACTIVE';
  bindingHostId: string;
  createdAt: string;
  updatedAt: string;
  revision: number;
  /** True when Nova created the port for a server (deleted with the server). */
  createdByCompute: boolean;
}

export type ServerStatus = 'BUILD' | 'ACTIVE' | 'ERROR' | 'SHUTOFF';

export interface ServerRecord {
  id: string;
  name: string;
  projectId: string;
  userId: string;
  imageId: string;
  flavorId: string;
  keyName: string | null;
  metadata: Record<string, string>;
  /** Base64 as sent by the client. */
  userData: string | null;
  configDrive: boolean;
  portIds: string[];
  status: ServerStatus;
  taskState: string | null;
  createdAt: string;
  updatedAt: string;
  launchedAt: string | null;
  /** When BUILD turns into ACTIVE (epoch ms). */
  activeAt: number;
  /** Set by DELETE; the record disappears at this time (epoch ms). */
  deletedAt: number | null;
  instanceSeq: number;
  reservationId: string;
  adminPass: string;
  accessIPv4: string;
  accessIPv6: string;
  fault: { code: number; message: string; details?: string; created: string } | null;
  hostId: string;
}

export interface SwiftObjectRecord {
  name: string;
  size: number;
  /** MD5 hex of the stored bytes (of the manifest JSON for an SLO). */
  etag: string;
  contentType: string;
  lastModified: string;
  timestamp: string;
  meta: Record<string, string>;
  /** Other stored headers such as Content-Disposition / Content-Encoding. */
  extraHeaders: Record<string, string>;
  blobId: string;
  slo?: SloSegment[];
}

export interface SloSegment {
  name: string;
  bytes: number;
  hash: string;
  contentType: string;
  lastModified: string;
  subSlo?: boolean;
}

export interface SwiftContainerRecord {
  name: string;
  createdAt: string;
  timestamp: string;
  meta: Record<string, string>;
  objects: Record<string, SwiftObjectRecord>;
}

export interface SwiftAccountRecord {
  name: string;
  projectId: string;
  timestamp: string;
  meta: Record<string, string>;
  containers: Record<string, SwiftContainerRecord>;
}

export interface SimStateData {
  version: 1;
  mode: 'openstack' | 'rackspace';
  tokens: Record<string, TokenRecord>;
  flavors: FlavorRecord[];
  images: ImageRecord[];
  keypairs: KeypairRecord[];
  servers: ServerRecord[];
  networks: NetworkRecord[];
  subnets: SubnetRecord[];
  ports: PortRecord[];
  accounts: Record<string, SwiftAccountRecord>;
  counters: { instanceSeq: number; keypairSeq: number; blobSeq: number };
}
