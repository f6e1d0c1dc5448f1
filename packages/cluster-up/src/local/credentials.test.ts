import { gzipSync } from 'node:zlib';
import { coreosLegacy, render, renderMaster, serialize } from '@rax-kube/cloud-config';
import type { CloudConfig, WriteFile } from '@rax-kube/cloud-config';
import { describe, expect, it } from 'vitest';
import { defaultTestParams } from '../../../cloud-config/src/profiles/coreos-legacy/fixtures.js';
import { MASTER_CREDENTIAL_FILES, credentialsFromUserData } from './credentials.js';

const params = defaultTestParams();
const master = renderMaster(params);

/** The master's document with one write_files entry replaced (or removed), rendered and validated. */
function withFile(path: string, replacement: Omit<WriteFile, 'path'> | undefined): string {
  const document = structuredClone(master.document) as CloudConfig;
  const files = document.write_files ?? [];
  const index = files.findIndex((file) => file.path === path);
  expect(index).toBeGreaterThanOrEqual(0);
  if (replacement === undefined) files.splice(index, 1);
  else files[index] = { path, permissions: '0600', ...replacement };
  return render(document).text;
}

function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected an error');
}

describe('credentialsFromUserData', () => {
  it('reads the basic-auth user and exactly the tokens the master writes to known_tokens.csv at boot', () => {
    const credentials = credentialsFromUserData(master.userData);
    expect(credentials.basicAuth).toEqual([{ user: 'admin', password: 'test-admin-password' }]);
    const expected = coreosLegacy.knownTokensCsv(params).trim().split('\n').map((line) => line.split(',')[0]);
    expect(credentials.tokens).toEqual(new Set(expected));
    expect(credentials.tokens.size).toBe(6 + 2 * params.numNodes);
    expect(credentials.tokens.has(coreosLegacy.nodeToken('test-node-token-key', 'kube-proxy', 'kubernetes-node-4'))).toBe(true);
    expect(credentials.tokens.has(coreosLegacy.nodeToken('test-node-token-key', 'kubelet', 'kubernetes-node-5'))).toBe(false);
  });

  it('follows the cluster name and node count of cluster.env', () => {
    const other = defaultTestParams({ clusterName: 'demo', numNodes: 2 });
    const credentials = credentialsFromUserData(renderMaster(other).userData);
    expect(credentials.tokens).toEqual(new Set(coreosLegacy.knownTokensCsv(other).trim().split('\n').map((line) => line.split(',')[0])));
    expect(credentials.tokens.has(coreosLegacy.nodeToken('test-node-token-key', 'kubelet', 'demo-node-2'))).toBe(true);
    expect(credentials.tokens.has(coreosLegacy.nodeToken('test-node-token-key', 'kubelet', 'kubernetes-node-2'))).toBe(false);
  });

  it('decodes gzip+base64 and base64 contents', () => {
    const csv = 'zipped-password,zipped-admin,admin\n';
    const zipped = withFile(MASTER_CREDENTIAL_FILES.basicAuth, { encoding: 'gzip+base64', content: gzipSync(csv).toString('base64') });
    expect(credentialsFromUserData(zipped).basicAuth).toEqual([{ user: 'zipped-admin', password: 'zipped-password' }]);
    const key = withFile(MASTER_CREDENTIAL_FILES.nodeTokenKey, { encoding: 'b64', content: Buffer.from('other-key\n').toString('base64') });
    const tokens = credentialsFromUserData(key).tokens;
    expect(tokens.has(coreosLegacy.nodeToken('other-key', 'kubelet', 'kubernetes-node-1'))).toBe(true);
    expect(tokens.has(coreosLegacy.nodeToken('test-node-token-key', 'kubelet', 'kubernetes-node-1'))).toBe(false);
  });

  it('says clearly when the text is not a cloud-config or not a valid one', () => {
    expect(errorOf(() => credentialsFromUserData('#!/bin/bash\necho hi\n'))).toBe(
      'master user data: not a cloud-config: the first line must be exactly "#cloud-config"',
    );
    expect(errorOf(() => credentialsFromUserData('#cloud-config\n- a list\n'))).toMatch(/^master user data: not a cloud-config: the document must be a YAML mapping/);
    const invalid = `${master.userData.replace("permissions: '0600'", 'permissions: 384')}`;
    expect(invalid).not.toBe(master.userData);
    expect(errorOf(() => credentialsFromUserData(invalid))).toMatch(/^master user data: not a valid cloud-config: \$\.write_files\[\d+\]\.permissions: /);
  });

  it.each(Object.values(MASTER_CREDENTIAL_FILES))('says which file is missing when %s is', (path) => {
    expect(errorOf(() => credentialsFromUserData(withFile(path, undefined)))).toBe(`master user data: write_files has no ${path}; is this the master's user data?`);
  });

  it('rejects malformed credential files without echoing their contents', () => {
    const short = errorOf(() => credentialsFromUserData(withFile(MASTER_CREDENTIAL_FILES.basicAuth, { content: 'hunter2,admin\n' })));
    expect(short).toBe(`master user data: ${MASTER_CREDENTIAL_FILES.basicAuth}: record 1 has 2 fields, needs at least 3`);
    const emptyToken = errorOf(() => credentialsFromUserData(withFile(MASTER_CREDENTIAL_FILES.knownTokensBase, { content: ',admin,admin\n' })));
    expect(emptyToken).toMatch(/record 1 has an empty secret or user/);
    expect(errorOf(() => credentialsFromUserData(withFile(MASTER_CREDENTIAL_FILES.basicAuth, { content: '\n' })))).toMatch(/has no users/);
    expect(errorOf(() => credentialsFromUserData(withFile(MASTER_CREDENTIAL_FILES.nodeTokenKey, { content: '\n\n' })))).toMatch(/node-token.key is empty/);
    for (const [env, problem] of [
      ['NUM_NODES="4"\n', 'does not set INSTANCE_PREFIX'],
      ['INSTANCE_PREFIX="k"\n', 'does not set NUM_NODES'],
      ['INSTANCE_PREFIX="k"\nNUM_NODES="four"\n', 'NUM_NODES="four" is not a whole number'],
      ['INSTANCE_PREFIX="k"\nNUM_NODES="10001"\n', 'NUM_NODES=10001 is more than 10000'],
      ['INSTANCE_PREFIX="k\n', 'INSTANCE_PREFIX: unterminated double quote'],
    ] as const) {
      expect(errorOf(() => credentialsFromUserData(withFile(MASTER_CREDENTIAL_FILES.clusterEnv, { content: env })))).toContain(problem);
    }
  });

  it('refuses contents that do not decode, as validation does', () => {
    const document = structuredClone(master.document) as CloudConfig;
    const file = document.write_files?.find((entry) => entry.path === MASTER_CREDENTIAL_FILES.basicAuth);
    if (!file) throw new Error('fixture lacks basic_auth.csv');
    Object.assign(file, { encoding: 'gzip+base64', content: Buffer.from('not gzip').toString('base64') });
    expect(errorOf(() => credentialsFromUserData(serialize(document)))).toMatch(
      /^master user data: not a valid cloud-config: \$\.write_files\[\d+\]\.content: does not decode as gzip\+base64/,
    );
  });

  it('reads NUM_NODES="0" as no node tokens', () => {
    const none = withFile(MASTER_CREDENTIAL_FILES.clusterEnv, { content: 'INSTANCE_PREFIX="kubernetes"\nNUM_NODES="0"\n' });
    expect(credentialsFromUserData(none).tokens.size).toBe(6);
  });
});
