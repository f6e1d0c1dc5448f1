export interface AllocationPool {
  start: string;
  end: string;
}

export interface Subnet {
  id: string;
  name: string;
  network_id: string;
  cidr: string;
  ip_version: 4 | 6;
  gateway_ip: string | null;
  allocation_pools: AllocationPool[];
  enable_dhcp: boolean;
  dns_nameservers: string[];
  description?: string;
  tags?: string[];
  [key: string]: unknown;
}

export interface CreateSubnetOptions {
  networkId: string;
  cidr: string;
  name?: string;
  description?: string;
  ipVersion?: 4 | 6;
  /** null: no gateway. */
  gatewayIp?: string | null;
  allocationPools?: AllocationPool[];
  enableDhcp?: boolean;
  dnsNameservers?: string[];
}
