export type EndpointInterface = 'public' | 'internal' | 'admin';
export type IdentityVersion = 'v2.0' | 'v3';

export interface CatalogEndpoint {
  /** Undefined for global (region-less) endpoints, e.g. Rackspace first-generation cloudServers. */
  region: string | undefined;
  interface: EndpointInterface;
  url: string;
  tenantId?: string;
}

export interface CatalogService {
  type: string;
  name: string | undefined;
  endpoints: CatalogEndpoint[];
}

/** What a successful authentication gives, in one shape for both identity generations. */
export interface AuthResult {
  token: string;
  expiresAt: Date;
  issuedAt: Date;
  catalog: CatalogService[];
  identityVersion: IdentityVersion;
  projectId: string | undefined;
  projectName: string | undefined;
  userId: string | undefined;
}

/** Rackspace identity v2.0 with the account's API key (`RAX-KSKEY:apiKeyCredentials`). */
export interface V2ApiKeyCredentials {
  kind: 'v2-apikey';
  authUrl: string;
  username: string;
  apiKey: string;
  tenantName?: string;
  tenantId?: string;
}

/** Identity v2.0 `passwordCredentials`. */
export interface V2PasswordCredentials {
  kind: 'v2-password';
  authUrl: string;
  username: string;
  password: string;
  tenantName?: string;
  tenantId?: string;
}

/** Keystone v3 scope: a project (by id, or by name + domain) or a domain. */
export interface V3Scope {
  projectId?: string;
  projectName?: string;
  projectDomainId?: string;
  projectDomainName?: string;
  domainId?: string;
  domainName?: string;
}

export interface V3PasswordCredentials extends V3Scope {
  kind: 'v3-password';
  authUrl: string;
  userId?: string;
  username?: string;
  userDomainId?: string;
  userDomainName?: string;
  password: string;
}

/** Application credentials are scoped already: no scope is sent. */
export interface V3ApplicationCredential {
  kind: 'v3-application-credential';
  authUrl: string;
  applicationCredentialId?: string;
  applicationCredentialName?: string;
  /** Needed with a credential name. */
  username?: string;
  userId?: string;
  userDomainId?: string;
  userDomainName?: string;
  secret: string;
}

/** An existing token, re-scoped (method "token"). */
export interface V3TokenCredentials extends V3Scope {
  kind: 'v3-token';
  authUrl: string;
  token: string;
}

export type Credentials =
  | V2ApiKeyCredentials
  | V2PasswordCredentials
  | V3PasswordCredentials
  | V3ApplicationCredential
  | V3TokenCredentials;
