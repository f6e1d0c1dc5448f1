/** Identity v2.0 wire shapes (Rackspace Cloud Identity and legacy Keystone). */
export interface V2Endpoint {
  region?: string;
  tenantId?: string;
  publicURL?: string;
  internalURL?: string;
  adminURL?: string;
}

export interface V2Service {
  name?: string;
  type: string;
  endpoints: V2Endpoint[];
}

export interface V2AccessResponse {
  access: {
    token: { id: string; expires: string; issued_at?: string; tenant?: { id: string; name?: string } };
    serviceCatalog?: V2Service[];
    user?: { id?: string; name?: string; 'RAX-AUTH:defaultRegion'?: string };
  };
}
