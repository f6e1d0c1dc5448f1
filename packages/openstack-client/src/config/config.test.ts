import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenStackError } from '../errors.js';
import { loadCloudsYaml } from './clouds-yaml.js';
import { detectIdentityVersion } from './detect.js';
import { configFromEnv } from './env.js';

describe('detectIdentityVersion', () => {
  it.each([
    [{ authUrl: 'https://identity.api.rackspacecloud.com/v2.0/' }, 'v2.0'],
    [{ authUrl: 'https://identity.api.rackspacecloud.com/' }, 'v2.0'],
    [{ authUrl: 'https://lon.identity.api.rackspacecloud.com' }, 'v2.0'],
    [{ authUrl: 'http://keystone:5000/v3' }, 'v3'],
    [{ authUrl: 'http://keystone:5000/' }, 'v3'],
    [{ authUrl: 'http://keystone:5000/', authType: 'rackspace_apikey' }, 'v2.0'],
    [{ authUrl: 'http://keystone:5000/', authType: 'RAX-KSKEY' }, 'v2.0'],
    [{ authUrl: 'http://x/v2.0', authType: 'v3password' }, 'v3'],
    [{ authUrl: 'http://x/v2.0', authType: 'v3applicationcredential' }, 'v3'],
    [{ authUrl: 'http://x/v3', identityApiVersion: '2' }, 'v2.0'],
    [{ authUrl: 'https://identity.api.rackspacecloud.com/v2.0', identityApiVersion: 3 }, 'v3'],
  ] as const)('%j → %s', (input, expected) => {
    expect(detectIdentityVersion(input)).toBe(expected);
  });
});

describe('configFromEnv', () => {
  it('Rackspace v2.0: OS_PASSWORD is the API key, OS_TENANT_NAME the tenant', () => {
    const c = configFromEnv({
      OS_AUTH_URL: 'https://identity.api.rackspacecloud.com/v2.0/',
      OS_USERNAME: 'me',
      OS_PASSWORD: 'key',
      OS_TENANT_NAME: '12345',
      OS_REGION_NAME: 'DFW',
      OS_INTERFACE: 'internalURL',
    });
    expect(c.credentials).toEqual({ kind: 'v2-apikey', authUrl: 'https://identity.api.rackspacecloud.com/v2.0/', username: 'me', apiKey: 'key', tenantName: '12345' });
    expect(c.region).toBe('DFW');
    expect(c.interface).toBe('internal');
  });

  it('v2.0 with an explicit password auth type uses passwordCredentials', () => {
    const c = configFromEnv({ OS_AUTH_URL: 'http://k/v2.0', OS_AUTH_TYPE: 'v2password', OS_USERNAME: 'me', OS_PASSWORD: 'pw' });
    expect(c.credentials.kind).toBe('v2-password');
  });

  it('Keystone v3 password with domains (the aio.env shape)', () => {
    const c = configFromEnv({
      OS_AUTH_URL: 'http://127.0.0.1:5000/v3',
      OS_IDENTITY_API_VERSION: '3',
      OS_AUTH_TYPE: 'password',
      OS_USERNAME: 'admin',
      OS_PASSWORD: 'secret',
      OS_PROJECT_NAME: 'admin',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_REGION_NAME: 'RegionOne',
    });
    expect(c.credentials).toEqual({
      kind: 'v3-password',
      authUrl: 'http://127.0.0.1:5000/v3',
      username: 'admin',
      password: 'secret',
      userDomainName: 'Default',
      projectName: 'admin',
      projectDomainName: 'Default',
    });
  });

  it('application credential and token', () => {
    expect(
      configFromEnv({ OS_AUTH_URL: 'http://k/v3', OS_AUTH_TYPE: 'v3applicationcredential', OS_APPLICATION_CREDENTIAL_ID: 'id', OS_APPLICATION_CREDENTIAL_SECRET: 's' }).credentials,
    ).toEqual({ kind: 'v3-application-credential', authUrl: 'http://k/v3', applicationCredentialId: 'id', secret: 's' });
    expect(configFromEnv({ OS_AUTH_URL: 'http://k/v3', OS_TOKEN: 'tok', OS_PROJECT_ID: 'p' }).credentials).toEqual({ kind: 'v3-token', authUrl: 'http://k/v3', token: 'tok', projectId: 'p' });
  });

  it.each([
    [{}, /OS_AUTH_URL is required/],
    [{ OS_AUTH_URL: 'http://k/v3', OS_PASSWORD: 'x' }, /OS_USERNAME or OS_USER_ID is required/],
    [{ OS_AUTH_URL: 'http://k/v2.0', OS_USERNAME: 'u' }, /OS_PASSWORD \(the API key\) is required/],
    [{ OS_AUTH_URL: 'http://k/v3', OS_USERNAME: 'u', OS_INTERFACE: 'sideways', OS_PASSWORD: 'p' }, /interface "sideways"/],
  ])('names what is missing: %j', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(message);
  });
});

describe('loadCloudsYaml', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'clouds-'));
    mkdirSync(join(dir, 'home', '.config', 'openstack'), { recursive: true });
    mkdirSync(join(dir, 'cwd'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const opts = (extra: Record<string, unknown> = {}) => ({ cwd: join(dir, 'cwd'), homeDir: join(dir, 'home'), env: {}, ...extra });
  const userFile = () => join(dir, 'home', '.config', 'openstack', 'clouds.yaml');

  it('reads the user config dir and merges secure.yaml over it', () => {
    writeFileSync(
      userFile(),
      `clouds:\n  aio:\n    auth:\n      auth_url: http://127.0.0.1:5000/v3\n      username: admin\n      project_name: admin\n      user_domain_name: Default\n      project_domain_name: Default\n    region_name: RegionOne\n    interface: public\n    identity_api_version: 3\n`,
    );
    writeFileSync(join(dir, 'home', '.config', 'openstack', 'secure.yaml'), 'clouds:\n  aio:\n    auth:\n      password: from-secure\n');
    const c = loadCloudsYaml(opts({ cloud: 'aio' }));
    expect(c.credentials).toMatchObject({ kind: 'v3-password', username: 'admin', password: 'from-secure', projectName: 'admin', userDomainName: 'Default' });
    expect(c.region).toBe('RegionOne');
    expect(c.interface).toBe('public');
    expect(c.source).toContain('secure.yaml');
  });

  it('prefers ./clouds.yaml over the user dir, and OS_CLIENT_CONFIG_FILE over both', () => {
    writeFileSync(userFile(), 'clouds:\n  a:\n    auth: {auth_url: "http://user/v3", username: u, password: p}\n');
    writeFileSync(join(dir, 'cwd', 'clouds.yaml'), 'clouds:\n  a:\n    auth: {auth_url: "http://cwd/v3", username: u, password: p}\n');
    expect(loadCloudsYaml(opts({ cloud: 'a' })).credentials.authUrl).toBe('http://cwd/v3');
    const explicit = join(dir, 'explicit.yaml');
    writeFileSync(explicit, 'clouds:\n  a:\n    auth: {auth_url: "http://explicit/v3", username: u, password: p}\n');
    expect(loadCloudsYaml(opts({ cloud: 'a', env: { OS_CLIENT_CONFIG_FILE: explicit } })).credentials.authUrl).toBe('http://explicit/v3');
  });

  it('uses OS_CLOUD, the only cloud, or says which clouds exist', () => {
    writeFileSync(userFile(), 'clouds:\n  one:\n    auth: {auth_url: "http://1/v3", username: u, password: p}\n  two:\n    auth: {auth_url: "http://2/v3", username: u, password: p}\n');
    expect(loadCloudsYaml(opts({ env: { OS_CLOUD: 'two' } })).credentials.authUrl).toBe('http://2/v3');
    expect(() => loadCloudsYaml(opts())).toThrow(/defines 2 clouds \(one, two\)/);
    expect(() => loadCloudsYaml(opts({ cloud: 'three' }))).toThrow(/"three" is not in .*it has: one, two/);
  });

  it('Rackspace API key cloud (rackspace_apikey) with a list of regions', () => {
    writeFileSync(
      userFile(),
      'clouds:\n  rax:\n    auth_type: rackspace_apikey\n    auth:\n      auth_url: https://identity.api.rackspacecloud.com/v2.0/\n      username: me\n      api_key: KEY\n    region_name: [DFW, ORD]\n',
    );
    const c = loadCloudsYaml(opts({ cloud: 'rax', region: 'ORD' }));
    expect(c.credentials).toEqual({ kind: 'v2-apikey', authUrl: 'https://identity.api.rackspacecloud.com/v2.0/', username: 'me', apiKey: 'KEY' });
    expect(c.region).toBe('ORD');
    expect(loadCloudsYaml(opts({ cloud: 'rax' })).region).toBe('DFW');
  });

  it('application credentials in clouds.yaml', () => {
    writeFileSync(userFile(), 'clouds:\n  ac:\n    auth_type: v3applicationcredential\n    auth:\n      auth_url: http://k/v3\n      application_credential_id: abc\n      application_credential_secret: s3\n');
    expect(loadCloudsYaml(opts({ cloud: 'ac' })).credentials).toEqual({ kind: 'v3-application-credential', authUrl: 'http://k/v3', applicationCredentialId: 'abc', secret: 's3' });
  });

  it('reports a missing file with the places it looked, and bad YAML as CONFIG', () => {
    let err: OpenStackError | undefined;
    try {
      loadCloudsYaml(opts({ cloud: 'x' }));
    } catch (e) {
      err = e as OpenStackError;
    }
    expect(err?.code).toBe('CONFIG');
    expect(err?.message).toContain(join(dir, 'cwd', 'clouds.yaml'));
    expect(err?.message).toContain('/etc/openstack/clouds.yaml');
    writeFileSync(userFile(), 'clouds: [unclosed');
    expect(() => loadCloudsYaml(opts({ cloud: 'x' }))).toThrow(/cannot read/);
  });
});
