import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { kubeconfigPath, KubeconfigError, mergeKubeconfig, writeKubeconfig } from './merge.js';

const access = { name: 'rackspace_demo', server: 'https://10.1.2.3', username: 'admin', password: 'pw', token: 'tok' };
const other = `apiVersion: v1
kind: Config
current-context: prod
clusters:
  - name: prod
    cluster: { server: 'https://prod.example', certificate-authority-data: QUJD }
users:
  - name: prod
    user: { token: prod-token }
contexts:
  - name: prod
    context: { cluster: prod, user: prod, namespace: team }
preferences: { colors: true }
`;

describe('kubeconfig merge', () => {
  it('adds the cluster, user and context and keeps every other entry and the current context', () => {
    const merged = load(mergeKubeconfig(other, access)) as Record<string, unknown>;
    const original = load(other) as Record<string, Array<Record<string, unknown>>>;
    expect(merged['current-context']).toBe('prod');
    expect(merged.preferences).toEqual({ colors: true });
    for (const key of ['clusters', 'users', 'contexts'] as const) {
      const list = merged[key] as Array<Record<string, unknown>>;
      expect(list[0]).toEqual(original[key]?.[0]);
      expect(list[1]?.name).toBe('rackspace_demo');
    }
    expect((merged.clusters as Array<Record<string, unknown>>)[1]?.cluster).toEqual({ server: 'https://10.1.2.3', 'insecure-skip-tls-verify': true });
  });

  it('replaces its own entries on a second run instead of adding duplicates', () => {
    const once = mergeKubeconfig(other, access);
    const twice = load(mergeKubeconfig(once, { ...access, server: 'https://10.9.9.9', certificateAuthorityPem: 'PEM' })) as Record<string, Array<Record<string, unknown>>>;
    expect(twice.contexts).toHaveLength(2);
    expect(twice.clusters?.[1]?.cluster).toEqual({ server: 'https://10.9.9.9', 'certificate-authority-data': Buffer.from('PEM').toString('base64') });
  });

  it('makes a new file current on its own context, and refuses files it cannot read safely', () => {
    expect((load(mergeKubeconfig(undefined, access)) as Record<string, unknown>)['current-context']).toBe('rackspace_demo');
    expect(() => mergeKubeconfig('clusters: {a: 1}\n', access, '/k')).toThrow(KubeconfigError);
    expect(() => mergeKubeconfig(': : :\n  - [', access, '/k')).toThrow(/\/k is not valid YAML/);
  });

  it('writes $KUBECONFIG (its first entry) with mode 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rax-kube-kubeconfig-'));
    try {
      const path = kubeconfigPath({ KUBECONFIG: `${join(dir, 'a', 'config')}:${join(dir, 'b')}` });
      expect(path).toBe(join(dir, 'a', 'config'));
      await writeKubeconfig(path, access);
      await writeFile(path, mergeKubeconfig(await readFile(path, 'utf8'), access));
      await writeKubeconfig(path, access);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((load(await readFile(path, 'utf8')) as Record<string, unknown[]>).users).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
