export interface Network {
  id: string;
  name: string;
  description?: string;
  status: string;
  subnets: string[];
  admin_state_up: boolean;
  shared?: boolean;
  'router:external'?: boolean;
  tags?: string[];
  project_id?: string;
  mtu?: number;
  [key: string]: unknown;
}

export interface CreateNetworkOptions {
  name: string;
  description?: string;
  adminStateUp?: boolean;
  shared?: boolean;
  mtu?: number;
}
