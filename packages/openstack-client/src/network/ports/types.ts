export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

export interface Port {
  id: string;
  name: string;
  network_id: string;
  fixed_ips: FixedIp[];
  mac_address: string;
  status: string;
  device_id: string;
  device_owner: string;
  security_groups?: string[];
  description?: string;
  tags?: string[];
  'binding:host_id'?: string;
  'binding:vif_type'?: string;
  [key: string]: unknown;
}

export interface CreatePortOptions {
  networkId: string;
  name?: string;
  description?: string;
  /** Each entry: a subnet, an address, or both. */
  fixedIps?: Array<{ subnetId?: string; ipAddress?: string }>;
  securityGroups?: string[];
  adminStateUp?: boolean;
}
