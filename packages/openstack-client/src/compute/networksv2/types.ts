/** Rackspace's legacy compute extension for isolated cloud networks. */
export interface RackspaceNetwork {
  id: string;
  label: string;
  cidr?: string;
}

/** Rackspace's fixed networks, which an explicit network list must name to keep them. */
export const RACKSPACE_PUBLICNET_ID = '00000000-0000-0000-0000-000000000000';
export const RACKSPACE_SERVICENET_ID = '11111111-1111-1111-1111-111111111111';
