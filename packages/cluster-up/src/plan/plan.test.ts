import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/index.js';
import { allocationPoolsWithout, desiredCluster } from './desired.js';
import { describePlan, plan, PlanConflictError } from './plan.js';
import type { ObservedServer, ObservedState } from './plan.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa me';
const desired = desiredCluster(resolveConfig({ env: { NUM_NODES: '2' } }));
const empty: ObservedState = { networks: [], subnets: [], ports: [], servers: [] };
const server = (id: string, name: string, status: string, createdAt = '2026-01-01T00:00:00Z'): ObservedServer => ({
  id,
  name,
  status,
  createdAt,
  metadata: { 'rax-kube-cluster': 'kubernetes' },
});
const built: ObservedState = {
  networks: [{ id: 'net-1', name: 'kubernetes-pool-net' }],
  subnets: [{ id: 'sub-1', networkId: 'net-1', name: 'kubernetes-pool-subnet', cidr: '192.168.0.0/24' }],
  ports: [{ id: 'port-1', networkId: 'net-1', name: 'kubernetes-master-port', fixedIps: ['192.168.0.2'] }],
  keypair: { name: 'id_kubernetes', publicKey: KEY.replace(' me', ' other-comment') },
  servers: [server('m', 'kubernetes-master', 'ACTIVE'), server('n1', 'kubernetes-node-1', 'ACTIVE'), server('n2', 'kubernetes-node-2', 'BUILD')],
};

describe('desired cluster', () => {
  it('names every resource after the cluster and tags servers with it', () => {
    expect(desired.servers.map((s) => s.name)).toEqual(['kubernetes-master', 'kubernetes-node-1', 'kubernetes-node-2']);
    expect(desired.servers[2]?.metadata).toEqual({ 'rax-kube-cluster': 'kubernetes', 'rax-kube-role': 'node', 'rax-kube-index': '2' });
    expect(desired.network).toMatchObject({ name: 'kubernetes-pool-net', subnetName: 'kubernetes-pool-subnet', masterPortName: 'kubernetes-master-port', masterFixedIp: '192.168.0.2' });
  });

  it('keeps the master address out of the allocation pools', () => {
    expect(allocationPoolsWithout('192.168.0.0/24', '192.168.0.2')).toEqual([{ start: '192.168.0.3', end: '192.168.0.254' }]);
    expect(allocationPoolsWithout('192.168.0.0/24', '192.168.0.100')).toEqual([
      { start: '192.168.0.2', end: '192.168.0.99' },
      { start: '192.168.0.101', end: '192.168.0.254' },
    ]);
  });
});

describe('plan', () => {
  it('creates everything on an empty cloud', () => {
    const p = plan(desired, empty, KEY);
    expect(p).toMatchObject({ network: { action: 'create' }, subnet: { action: 'create' }, masterPort: { action: 'create' }, keypair: { action: 'create' } });
    expect(p.servers.map((s) => s.action)).toEqual(['create', 'create', 'create']);
    expect(p.deleteServers).toEqual([]);
  });

  it('changes nothing on a second run over a complete cluster', () => {
    const p = plan(desired, built, KEY);
    expect(describePlan(p)).toEqual(['network: reuse', 'subnet: reuse', 'master port: reuse', 'keypair: reuse', 'servers: 0 to create, 3 to reuse, 0 to replace']);
    expect(p.servers.map((s) => s.id)).toEqual(['m', 'n1', 'n2']);
  });

  it('resumes a half-created cluster: reuses the network, creates the missing subnet, port and servers', () => {
    const p = plan(desired, { ...empty, networks: built.networks, servers: [server('m', 'kubernetes-master', 'BUILD')] }, KEY);
    expect(describePlan(p)).toEqual(['network: reuse', 'subnet: create', 'master port: create', 'keypair: create', 'servers: 2 to create, 1 to reuse, 0 to replace']);
  });

  it('never keeps two servers of one name: the oldest live one stays, the others go', () => {
    const observed = { ...built, servers: [...built.servers, server('n1-dup', 'kubernetes-node-1', 'ACTIVE', '2026-02-01T00:00:00Z')] };
    const p = plan(desired, observed, KEY);
    expect(p.servers[1]).toMatchObject({ action: 'reuse', id: 'n1' });
    expect(p.deleteServers).toEqual([{ id: 'n1-dup', name: 'kubernetes-node-1', reason: 'duplicate' }]);
  });

  it('replaces a server in ERROR, and prefers a live twin over it', () => {
    const errored = plan(desired, { ...built, servers: [built.servers[0] as ObservedServer, server('bad', 'kubernetes-node-1', 'ERROR'), built.servers[2] as ObservedServer] }, KEY);
    expect(errored.servers[1]).toMatchObject({ action: 'replace' });
    expect(errored.deleteServers).toEqual([{ id: 'bad', name: 'kubernetes-node-1', reason: 'error' }]);
    const withTwin = plan(desired, { ...built, servers: [...built.servers, server('bad', 'kubernetes-node-1', 'ERROR', '2025-01-01T00:00:00Z')] }, KEY);
    expect(withTwin.servers[1]).toMatchObject({ action: 'reuse', id: 'n1' });
    expect(withTwin.deleteServers).toEqual([{ id: 'bad', name: 'kubernetes-node-1', reason: 'error' }]);
  });

  it('keeps the oldest of duplicate networks and deletes the rest', () => {
    const p = plan(desired, { ...built, networks: [{ id: 'net-2', name: 'kubernetes-pool-net', createdAt: '2026-03-01' }, { id: 'net-1', name: 'kubernetes-pool-net', createdAt: '2026-01-01' }] }, KEY);
    expect(p.network).toEqual({ action: 'reuse', id: 'net-1' });
    expect(p.deleteNetworks).toEqual(['net-2']);
  });

  it('leaves servers the configuration no longer asks for, and says so', () => {
    const p = plan(desired, { ...built, servers: [...built.servers, server('n3', 'kubernetes-node-3', 'ACTIVE')] }, KEY);
    expect(p.surplusServers).toEqual([{ id: 'n3', name: 'kubernetes-node-3' }]);
    expect(describePlan(p).at(-1)).toBe('leave server kubernetes-node-3 (n3): not in this configuration; down removes it');
  });

  it('stops on a keypair of the same name holding another key', () => {
    const other = { ...built, keypair: { name: 'id_kubernetes', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDIFFERENTbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb x' } };
    expect(() => plan(desired, other, KEY)).toThrow(PlanConflictError);
    expect(() => plan(desired, other, KEY)).toThrow('SSH_KEY_NAME=id_kubernetes: the cloud already has a keypair of that name with a different key');
  });

  it('stops when the master port exists with another address', () => {
    const moved = { ...built, ports: [{ id: 'port-1', networkId: 'net-1', name: 'kubernetes-master-port', fixedIps: ['192.168.0.9'] }] };
    expect(() => plan(desired, moved, KEY)).toThrow('MASTER_FIXED_IP=192.168.0.2: the existing port kubernetes-master-port has 192.168.0.9; run down first to change it');
  });
});
