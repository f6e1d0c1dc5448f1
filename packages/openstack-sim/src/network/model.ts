import { randomBytes } from 'node:crypto';
import type { SimContext } from '../context.js';
import type { FixedIp, NetworkRecord, PortRecord, SubnetRecord } from '../state/types.js';
import { isoSeconds, uuid } from '../util.js';
import { cidrContains, cidrsOverlap, defaultGatewayAndPool, firstFree, normalizeCidr, parseCidr, parseIp } from './ipam.js';

export const PUBLIC_NET_ID = '00000000-0000-0000-0000-000000000000';
export const SERVICE_NET_ID = '11111111-1111-1111-1111-111111111111';

/** A Neutron error: `{"NeutronError": {type, message, detail}}` with its HTTP status. */
export class NeutronError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export function networkNotFound(id: string): NeutronError {
  return new NeutronError(404, 'NetworkNotFound', `Network ${id} could not be found.`);
}

export function newMac(): string {
  const b = randomBytes(3);
  return `fa:16:3e:${[...b].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
}

export function createNetworkRecord(
  ctx: SimContext,
  input: { name: string; description?: string; projectId: string; shared?: boolean; id?: string; special?: 'public' | 'private' },
): NetworkRecord {
  const now = isoSeconds(ctx.now());
  const net: NetworkRecord = {
    id: input.id ?? uuid(),
    name: input.name,
    description: input.description ?? '',
    projectId: input.projectId,
    shared: input.shared ?? false,
    external: false,
    adminStateUp: true,
    mtu: 1500,
    createdAt: now,
    updatedAt: now,
    revision: 1,
    ...(input.special ? { special: input.special } : {}),
  };
  ctx.store.data.networks.push(net);
  return net;
}

export interface SubnetInput {
  networkId: string;
  cidr: string;
  name?: string;
  description?: string;
  ipVersion?: number;
  gatewayIp?: string | null;
  allocationPools?: Array<{ start: string; end: string }>;
  enableDhcp?: boolean;
  dnsNameservers?: string[];
  projectId: string;
}

export function createSubnetRecord(ctx: SimContext, input: SubnetInput): SubnetRecord {
  const net = ctx.store.data.networks.find((n) => n.id === input.networkId);
  if (!net) throw networkNotFound(input.networkId);
  const cidr = parseCidr(input.cidr);
  if (!cidr) throw new NeutronError(400, 'HTTPBadRequest', `Invalid input for cidr. Reason: '${input.cidr}' is not a valid IP subnet.`);
  if (input.ipVersion !== undefined && input.ipVersion !== cidr.version) {
    throw new NeutronError(400, 'InvalidInput', `Invalid input for operation: Cidr ${input.cidr} does not match ip_version ${input.ipVersion}.`);
  }
  for (const other of ctx.store.data.subnets.filter((s) => s.networkId === net.id)) {
    const oc = parseCidr(other.cidr);
    if (oc && cidrsOverlap(oc, cidr)) {
      throw new NeutronError(
        400,
        'InvalidInput',
        `Invalid input for operation: Requested subnet with cidr: ${normalizeCidr(cidr)} for network: ${net.id} overlaps with another subnet.`,
      );
    }
  }
  const defaults = defaultGatewayAndPool(cidr);
  const gatewayIp = input.gatewayIp === undefined ? defaults.gateway : input.gatewayIp;
  const pools = input.allocationPools ?? [defaults.pool];
  for (const p of pools) {
    const s = parseIp(p.start);
    const e = parseIp(p.end);
    if (!s || !e || !cidrContains(cidr, s.version, s.value) || !cidrContains(cidr, e.version, e.value) || s.value > e.value) {
      throw new NeutronError(400, 'InvalidAllocationPool', `The allocation pool ${p.start}-${p.end} spans beyond the subnet cidr ${normalizeCidr(cidr)}.`);
    }
  }
  const now = isoSeconds(ctx.now());
  const subnet: SubnetRecord = {
    id: uuid(),
    name: input.name ?? '',
    description: input.description ?? '',
    networkId: net.id,
    projectId: input.projectId,
    ipVersion: cidr.version,
    cidr: normalizeCidr(cidr),
    gatewayIp,
    allocationPools: pools,
    enableDhcp: input.enableDhcp ?? true,
    dnsNameservers: input.dnsNameservers ?? [],
    hostRoutes: [],
    createdAt: now,
    updatedAt: now,
    revision: 0,
  };
  ctx.store.data.subnets.push(subnet);
  return subnet;
}

function usedIps(ctx: SimContext, subnetId: string): Set<string> {
  const used = new Set<string>();
  for (const port of ctx.store.data.ports) for (const ip of port.fixedIps) if (ip.subnetId === subnetId) used.add(ip.ipAddress);
  return used;
}

export interface FixedIpRequest {
  subnetId?: string;
  ipAddress?: string;
}

/** Neutron IPAM: explicit addresses are checked; otherwise the lowest free address is used. */
export function allocateFixedIps(ctx: SimContext, net: NetworkRecord, requests: FixedIpRequest[] | undefined): FixedIp[] {
  const subnets = ctx.store.data.subnets.filter((s) => s.networkId === net.id);
  const result: FixedIp[] = [];
  const taken = (subnetId: string): Set<string> => {
    const set = usedIps(ctx, subnetId);
    for (const r of result) if (r.subnetId === subnetId) set.add(r.ipAddress);
    return set;
  };
  if (requests === undefined) {
    // One address per IP version, from the first subnet of that version that has room.
    for (const version of [4, 6] as const) {
      const candidates = subnets.filter((s) => s.ipVersion === version);
      if (candidates.length === 0) continue;
      let allocated = false;
      for (const s of candidates) {
        const ip = firstFree(s.allocationPools, version, taken(s.id));
        if (ip) {
          result.push({ subnetId: s.id, ipAddress: ip });
          allocated = true;
          break;
        }
      }
      if (!allocated) throw new NeutronError(409, 'IpAddressGenerationFailure', `No more IP addresses available on network ${net.id}.`);
    }
    return result;
  }
  for (const req of requests) {
    let subnet: SubnetRecord | undefined;
    if (req.subnetId !== undefined) {
      subnet = subnets.find((s) => s.id === req.subnetId);
      if (!subnet) {
        const elsewhere = ctx.store.data.subnets.some((s) => s.id === req.subnetId);
        if (elsewhere) {
          throw new NeutronError(400, 'InvalidInput', `Invalid input for operation: Failed to create port on network ${net.id}, because fixed_ips included invalid subnet ${req.subnetId}.`);
        }
        throw new NeutronError(404, 'SubnetNotFound', `Subnet ${req.subnetId} could not be found.`);
      }
    }
    if (req.ipAddress !== undefined) {
      const ip = parseIp(req.ipAddress);
      if (!ip) throw new NeutronError(400, 'HTTPBadRequest', `Invalid input for ip_address. Reason: '${req.ipAddress}' is not a valid IP address.`);
      if (!subnet) {
        subnet = subnets.find((s) => {
          const c = parseCidr(s.cidr);
          return !!c && cidrContains(c, ip.version, ip.value);
        });
        if (!subnet) throw new NeutronError(400, 'InvalidIpForNetwork', `IP address ${req.ipAddress} is not a valid IP for any of the subnets on the specified network.`);
      }
      const c = parseCidr(subnet.cidr);
      if (!c || !cidrContains(c, ip.version, ip.value) || ip.value === c.network || (c.version === 4 && ip.value === c.last)) {
        // Observed on Neutron 21 for an address outside the subnet.
        throw new NeutronError(400, 'InvalidIpForSubnet', `IP address ${req.ipAddress} is not a valid IP for the specified subnet.`);
      }
      if (taken(subnet.id).has(req.ipAddress) || subnet.gatewayIp === req.ipAddress) {
        // Observed on Neutron 21: 409 IpAddressAlreadyAllocated.
        throw new NeutronError(409, 'IpAddressAlreadyAllocated', `IP address ${req.ipAddress} already allocated in subnet ${subnet.id}`);
      }
      result.push({ subnetId: subnet.id, ipAddress: req.ipAddress });
    } else if (subnet) {
      const ip = firstFree(subnet.allocationPools, subnet.ipVersion, taken(subnet.id));
      if (!ip) throw new NeutronError(409, 'IpAddressGenerationFailure', `No more IP addresses available on network ${net.id}.`);
      result.push({ subnetId: subnet.id, ipAddress: ip });
    }
  }
  return result;
}

export interface PortInput {
  networkId: string;
  projectId: string;
  name?: string;
  description?: string;
  fixedIps?: FixedIpRequest[];
  deviceId?: string;
  deviceOwner?: string;
  macAddress?: string;
  createdByCompute?: boolean;
}

export function createPortRecord(ctx: SimContext, input: PortInput): PortRecord {
  const net = ctx.store.data.networks.find((n) => n.id === input.networkId);
  if (!net) throw networkNotFound(input.networkId);
  const fixedIps = allocateFixedIps(ctx, net, input.fixedIps);
  const now = isoSeconds(ctx.now());
  const port: PortRecord = {
    id: uuid(),
    name: input.name ?? '',
    description: input.description ?? '',
    networkId: net.id,
    projectId: input.projectId,
    macAddress: input.macAddress ?? newMac(),
    fixedIps,
    deviceId: input.deviceId ?? '',
    deviceOwner: input.deviceOwner ?? '',
    adminStateUp: true,
    status: 'DOWN',
    bindingHostId: '',
    createdAt: now,
    updatedAt: now,
    revision: 1,
    createdByCompute: input.createdByCompute ?? false,
  };
  ctx.store.data.ports.push(port);
  return port;
}

/** Rackspace's PublicNet and ServiceNet, with address ranges that are never routable from here. */
export function seedRackspaceNetworks(ctx: SimContext): void {
  const pub = createNetworkRecord(ctx, { id: PUBLIC_NET_ID, name: 'public', projectId: 'rackspace', shared: true, special: 'public' });
  // TEST-NET-2 and the IPv6 documentation prefix: addresses that exist only in the sim.
  createSubnetRecord(ctx, { networkId: pub.id, cidr: '198.18.0.0/15', projectId: 'rackspace', name: 'public-v4' });
  createSubnetRecord(ctx, { networkId: pub.id, cidr: '2001:db8:1::/64', projectId: 'rackspace', name: 'public-v6' });
  const snet = createNetworkRecord(ctx, { id: SERVICE_NET_ID, name: 'private', projectId: 'rackspace', shared: true, special: 'private' });
  createSubnetRecord(ctx, { networkId: snet.id, cidr: '10.176.0.0/16', projectId: 'rackspace', name: 'servicenet' });
}

/** Networks a project can see: its own plus shared ones. */
export function visibleNetworks(ctx: SimContext, projectId: string): NetworkRecord[] {
  return ctx.store.data.networks.filter((n) => n.projectId === projectId || n.shared);
}
