/** Keystone v3 wire shapes. */
export interface V3Endpoint {
  id?: string;
  interface: 'public' | 'internal' | 'admin';
  region_id?: string;
  region?: string;
  url: string;
}

export interface V3Service {
  id?: string;
  type: string;
  name?: string;
  endpoints: V3Endpoint[];
}

export interface V3TokenResponse {
  token: {
    expires_at: string;
    issued_at?: string;
    methods?: string[];
    catalog?: V3Service[];
    project?: { id: string; name?: string; domain?: { id?: string; name?: string } };
    user?: { id?: string; name?: string };
  };
}
