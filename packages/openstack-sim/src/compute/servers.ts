import { createHash, randomBytes } from 'node:crypto';
import type { SimContext } from '../context.js';
import { createPortRecord, NeutronError, PUBLIC_NET_ID, SERVICE_NET_ID, visibleNetworks } from '../network/model.js';
import type { PortRecord, ServerRecord } from '../state/types.js';
import { isoSeconds, uuid } from '../util.js';
import { ComputeError, invalidInput } from './errors.js';
import { atLeast, type Microversion } from './microversion.js';
import type { ServerSnapshot } from './types.js';
import { parseNovaBoolean, pyRepr, requireObject, validateMetadata, validateName, validateUserData } from './validate.js';

/** Per-request facts the compute views need. */
export interface ComputeCall {
  mv: Microversion;
  /** e.g. http://127.0.0.1:PORT/v2.1 or …/v2/123456 */
  linkBase: string;
  /** e.g. http://127.0.0.1:PORT or …/123456 */
  bookmarkBase: string;
  projectId: string;
  userId: string;
}

function links(call: ComputeCall, kind: string, id: string): Array<{ rel: string; href: string }> {
  return [
    { rel: 'self', href: `${call.linkBase}/${kind}/${id}` },
    { rel: 'bookmark', href: `${call.bookmarkBase}/${kind}/${id}` },
  ];
}

export function serverAddresses(ctx: SimContext, server: ServerRecord): Record<string, Array<Record<string, unknown>>> {
  const out: Record<string, Array<Record<string, unknown>>> = {};
  if (server.status === 'BUILD') return out; // Nova fills addresses once the network is wired
  for (const portId of server.portIds) {
    const port = ctx.store.data.ports.find((p) => p.id === portId);
    if (!port) continue;
    const net = ctx.store.data.networks.find((n) => n.id === port.networkId);
    const label = net?.name ?? port.networkId;
    const list = (out[label] ??= []);
    for (const ip of port.fixedIps) {
      list.push({
        version: ip.ipAddress.includes(':') ? 6 : 4,
        addr: ip.ipAddress,
        'OS-EXT-IPS:type': 'fixed',
        'OS-EXT-IPS-MAC:mac_addr': port.macAddress,
      });
    }
  }
  return out;
}

export function snapshot(ctx: SimContext, s: ServerRecord): ServerSnapshot {
  const addresses: ServerSnapshot['addresses'] = {};
  for (const [label, list] of Object.entries(serverAddresses(ctx, s))) {
    addresses[label] = list.map((a) => ({ version: a['version'] as 4 | 6, addr: a['addr'] as string }));
  }
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    projectId: s.projectId,
    imageId: s.imageId,
    flavorId: s.flavorId,
    keyName: s.keyName,
    metadata: { ...s.metadata },
    configDrive: s.configDrive,
    addresses,
    accessIPv4: s.accessIPv4,
    portIds: [...s.portIds],
  };
}

const VM_STATE: Record<ServerRecord['status'], [string, number]> = {
  BUILD: ['building', 0],
  ACTIVE: ['active', 1],
  ERROR: ['error', 0],
  SHUTOFF: ['stopped', 4],
};

export function serverDetailView(ctx: SimContext, s: ServerRecord, call: ComputeCall): Record<string, unknown> {
  const flavor = ctx.store.data.flavors.find((f) => f.id === s.flavorId);
  const [vmState, powerState] = VM_STATE[s.status];
  const building = s.status === 'BUILD';
  const view: Record<string, unknown> = {
    id: s.id,
    name: s.name,
    status: s.status,
    tenant_id: s.projectId,
    user_id: s.userId,
    metadata: s.metadata,
    hostId: building ? '' : s.hostId,
    image: { id: s.imageId, links: [{ rel: 'bookmark', href: `${call.bookmarkBase}/images/${s.imageId}` }] },
    flavor: atLeast(call.mv, 2, 47)
      ? {
          vcpus: flavor?.vcpus ?? 0,
          ram: flavor?.ram ?? 0,
          disk: flavor?.disk ?? 0,
          ephemeral: flavor?.ephemeral ?? 0,
          swap: flavor?.swap ?? 0,
          original_name: flavor?.name ?? s.flavorId,
          extra_specs: {},
        }
      : { id: s.flavorId, links: [{ rel: 'bookmark', href: `${call.bookmarkBase}/flavors/${s.flavorId}` }] },
    created: s.createdAt,
    updated: s.updatedAt,
    addresses: serverAddresses(ctx, s),
    accessIPv4: s.accessIPv4,
    accessIPv6: s.accessIPv6,
    links: links(call, 'servers', s.id),
    'OS-DCF:diskConfig': 'MANUAL',
    progress: 0,
    'OS-EXT-AZ:availability_zone': building ? '' : 'nova',
    config_drive: s.configDrive ? 'True' : '',
    key_name: s.keyName,
    'OS-SRV-USG:launched_at': s.launchedAt,
    'OS-SRV-USG:terminated_at': null,
    ...(building ? {} : { security_groups: [{ name: 'default' }] }),
    'OS-EXT-SRV-ATTR:host': building ? null : 'sim-compute',
    'OS-EXT-SRV-ATTR:instance_name': building ? '' : `instance-${s.instanceSeq.toString(16).padStart(8, '0')}`,
    'OS-EXT-SRV-ATTR:hypervisor_hostname': building ? null : 'sim-compute',
  };
  if (atLeast(call.mv, 2, 3)) {
    Object.assign(view, {
      'OS-EXT-SRV-ATTR:reservation_id': s.reservationId,
      'OS-EXT-SRV-ATTR:launch_index': 0,
      'OS-EXT-SRV-ATTR:hostname': s.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'server',
      'OS-EXT-SRV-ATTR:kernel_id': '',
      'OS-EXT-SRV-ATTR:ramdisk_id': '',
      'OS-EXT-SRV-ATTR:root_device_name': building ? null : '/dev/vda',
      'OS-EXT-SRV-ATTR:user_data': s.userData,
    });
  }
  Object.assign(view, {
    'OS-EXT-STS:task_state': s.taskState,
    'OS-EXT-STS:vm_state': vmState,
    'OS-EXT-STS:power_state': powerState,
    'os-extended-volumes:volumes_attached': [],
  });
  if (atLeast(call.mv, 2, 9)) view['locked'] = false;
  if (atLeast(call.mv, 2, 16)) view['host_status'] = building ? '' : 'UP';
  if (atLeast(call.mv, 2, 19)) view['description'] = null;
  if (atLeast(call.mv, 2, 26)) view['tags'] = [];
  if (atLeast(call.mv, 2, 63)) view['trusted_image_certificates'] = null;
  if (atLeast(call.mv, 2, 71)) view['server_groups'] = [];
  if (atLeast(call.mv, 2, 73)) view['locked_reason'] = null;
  if (s.fault) view['fault'] = s.fault;
  return view;
}

export function serverSummaryView(s: ServerRecord, call: ComputeCall): Record<string, unknown> {
  return { id: s.id, name: s.name, links: links(call, 'servers', s.id) };
}

/** Server records of a project, newest first (Nova's default sort: created_at desc). */
export function projectServers(ctx: SimContext, projectId: string): ServerRecord[] {
  return ctx.store.data.servers
    .map((s, index) => ({ s, index }))
    .filter(({ s }) => s.projectId === projectId)
    .sort((a, b) => b.s.createdAt.localeCompare(a.s.createdAt) || b.index - a.index)
    .map(({ s }) => s);
}

// ---- lifecycle ----

export function activateServer(ctx: SimContext, server: ServerRecord): void {
  if (server.status !== 'BUILD' || server.deletedAt !== null) return;
  const now = ctx.now();
  server.status = 'ACTIVE';
  server.taskState = null;
  server.launchedAt = new Date(now).toISOString().replace('Z', '').replace(/\.(\d{3})$/, '.$1000');
  server.updatedAt = isoSeconds(now);
  for (const portId of server.portIds) {
    const port = ctx.store.data.ports.find((p) => p.id === portId);
    if (port) {
      port.status = 'ACTIVE';
      port.bindingHostId = 'sim-compute';
    }
  }
  // Rackspace sets accessIPv4 to the PublicNet address; plain OpenStack leaves it empty.
  if (ctx.options.mode === 'rackspace') {
    const pub = server.portIds
      .map((id) => ctx.store.data.ports.find((p) => p.id === id))
      .find((p) => p?.networkId === PUBLIC_NET_ID);
    server.accessIPv4 = pub?.fixedIps.find((f) => !f.ipAddress.includes(':'))?.ipAddress ?? '';
    server.accessIPv6 = pub?.fixedIps.find((f) => f.ipAddress.includes(':'))?.ipAddress ?? '';
  }
  ctx.store.commit();
  const userData = server.userData === null ? undefined : Buffer.from(server.userData, 'base64').toString('utf8');
  ctx.notifyServerActive(snapshot(ctx, server), userData);
}

export function removeServer(ctx: SimContext, server: ServerRecord): void {
  const data = ctx.store.data;
  data.servers = data.servers.filter((s) => s.id !== server.id);
  // Ports Nova created go away with the server; ports the user passed in are only detached.
  data.ports = data.ports.filter((p) => !(server.portIds.includes(p.id) && p.createdByCompute));
  for (const p of data.ports) {
    if (p.deviceId === server.id) {
      p.deviceId = '';
      p.deviceOwner = '';
      p.status = 'DOWN';
      p.bindingHostId = '';
    }
  }
  ctx.store.commit();
}

/** Applies transitions whose time has come (timers may not have fired yet, e.g. after a restart). */
export function sweepServers(ctx: SimContext): void {
  const now = ctx.now();
  for (const s of [...ctx.store.data.servers]) {
    if (s.deletedAt !== null && s.deletedAt <= now) removeServer(ctx, s);
    else if (s.status === 'BUILD' && s.deletedAt === null && s.activeAt <= now) activateServer(ctx, s);
  }
}

export function scheduleLifecycle(ctx: SimContext, server: ServerRecord): void {
  const now = ctx.now();
  if (server.deletedAt !== null) {
    ctx.schedule(Math.max(0, server.deletedAt - now), () => {
      const current = ctx.store.data.servers.find((s) => s.id === server.id);
      if (current) removeServer(ctx, current);
    });
  } else if (server.status === 'BUILD') {
    ctx.schedule(Math.max(0, server.activeAt - now), () => {
      const current = ctx.store.data.servers.find((s) => s.id === server.id);
      if (current) activateServer(ctx, current);
    });
  }
}

export function deleteServer(ctx: SimContext, server: ServerRecord): void {
  if (server.deletedAt !== null) return;
  const now = ctx.now();
  server.taskState = 'deleting';
  server.updatedAt = isoSeconds(now);
  server.deletedAt = now + ctx.options.deleteTimeMs;
  if (ctx.options.deleteTimeMs <= 0) {
    removeServer(ctx, server);
    return;
  }
  ctx.store.commit();
  scheduleLifecycle(ctx, server);
}

// ---- create ----

const CREATE_KEYS = new Set([
  'name', 'imageRef', 'flavorRef', 'adminPass', 'metadata', 'networks', 'OS-DCF:diskConfig', 'accessIPv4', 'accessIPv6',
  'personality', 'availability_zone', 'block_device_mapping', 'block_device_mapping_v2', 'config_drive', 'key_name',
  'min_count', 'max_count', 'return_reservation_id', 'security_groups', 'user_data', 'description', 'tags',
]);

interface NicRequest {
  networkId?: string;
  portId?: string;
  fixedIp?: string;
}

function parseNetworks(call: ComputeCall, value: unknown, server: Record<string, unknown>): NicRequest[] | 'auto' | 'none' | undefined {
  if (value === undefined) {
    if (atLeast(call.mv, 2, 37)) throw invalidInput('server', pyRepr(server), "'networks' is a required property");
    return undefined;
  }
  if (value === 'auto' || value === 'none') {
    if (!atLeast(call.mv, 2, 37)) throw invalidInput('networks', String(value), `${pyRepr(value)} is not of type 'array'`);
    return value;
  }
  if (!Array.isArray(value)) throw invalidInput('networks', pyRepr(value), `${pyRepr(value)} is not of type 'array'`);
  return value.map((entry) => {
    const nic = requireObject('networks', entry);
    const extra = Object.keys(nic).filter((k) => !['uuid', 'port', 'fixed_ip', 'tag'].includes(k));
    if (extra.length) throw invalidInput('networks', pyRepr(nic), `Additional properties are not allowed (${extra.map(pyRepr).join(', ')} was unexpected)`);
    const out: NicRequest = {};
    if (typeof nic['port'] === 'string') out.portId = nic['port'];
    if (typeof nic['uuid'] === 'string') out.networkId = nic['uuid'];
    if (typeof nic['fixed_ip'] === 'string') out.fixedIp = nic['fixed_ip'];
    if (!out.portId && !out.networkId) throw new ComputeError(400, 'Bad networks format: network uuid is not in proper format ()');
    return out;
  });
}

/** Creates the server record and its ports; the caller answers 202. */
export function createServer(ctx: SimContext, call: ComputeCall, body: unknown): { server: ServerRecord } {
  const root = requireObject('server', body);
  const extraRoot = Object.keys(root).filter((k) => !['server', 'os:scheduler_hints', 'OS-SCH-HNT:scheduler_hints'].includes(k));
  if (extraRoot.length) throw invalidInput('root', pyRepr(root), `Additional properties are not allowed (${extraRoot.map(pyRepr).join(', ')} was unexpected)`);
  if (!('server' in root)) throw invalidInput('root', pyRepr(root), "'server' is a required property");
  const req = requireObject('server', root['server']);
  const extra = Object.keys(req).filter((k) => !CREATE_KEYS.has(k));
  if (extra.length) throw invalidInput('server', pyRepr(req), `Additional properties are not allowed (${extra.map(pyRepr).join(', ')} was unexpected)`);
  for (const required of ['name', 'flavorRef']) {
    if (!(required in req)) throw invalidInput('server', pyRepr(req), `${pyRepr(required)} is a required property`);
  }
  const name = validateName('name', req['name'], req);
  const metadata = req['metadata'] === undefined ? {} : validateMetadata(req['metadata']);
  const userData = validateUserData(req['user_data']);
  const configDrive = req['config_drive'] === undefined ? false : parseNovaBoolean('config_drive', req['config_drive']);
  const keyName = req['key_name'] === undefined || req['key_name'] === null ? null : validateName('key_name', req['key_name'], req);
  const nics = parseNetworks(call, req['networks'], req);
  const maxCount = req['max_count'] ?? req['min_count'] ?? 1;
  if (maxCount !== 1) throw new ComputeError(400, 'The sim creates one server per request; min_count/max_count > 1 are not supported.');

  const data = ctx.store.data;
  const flavorRef = String(req['flavorRef']);
  const flavorId = flavorRef.replace(/^.*\/flavors\//, '');
  const flavor = data.flavors.find((f) => f.id === flavorId);
  if (!flavor) throw new ComputeError(400, `Flavor ${flavorRef} could not be found.`);
  const imageRef = typeof req['imageRef'] === 'string' ? req['imageRef'].replace(/^.*\/images\//, '') : '';
  const image = data.images.find((i) => i.id === imageRef);
  if (!image) throw new ComputeError(400, 'Can not find requested image');
  if (keyName !== null && !data.keypairs.some((k) => k.name === keyName && k.userId === call.userId)) {
    throw new ComputeError(400, 'Invalid key_name provided.');
  }
  const quotas = ctx.options.quotas;
  if (Object.keys(metadata).length > quotas.maxServerMeta) {
    throw new ComputeError(403, `Maximum number of metadata items exceeds ${quotas.maxServerMeta}`);
  }
  const mine = data.servers.filter((s) => s.projectId === call.projectId);
  if (quotas.maxTotalInstances >= 0 && mine.length + 1 > quotas.maxTotalInstances) {
    throw new ComputeError(403, `Quota exceeded for instances: Requested 1, but already used ${mine.length} of ${quotas.maxTotalInstances} instances`);
  }
  const usedCores = mine.reduce((sum, s) => sum + (data.flavors.find((f) => f.id === s.flavorId)?.vcpus ?? 0), 0);
  if (quotas.maxTotalCores >= 0 && usedCores + flavor.vcpus > quotas.maxTotalCores) {
    throw new ComputeError(403, `Quota exceeded for cores: Requested ${flavor.vcpus}, but already used ${usedCores} of ${quotas.maxTotalCores} cores`);
  }
  const usedRam = mine.reduce((sum, s) => sum + (data.flavors.find((f) => f.id === s.flavorId)?.ram ?? 0), 0);
  if (quotas.maxTotalRAMSize >= 0 && usedRam + flavor.ram > quotas.maxTotalRAMSize) {
    throw new ComputeError(403, `Quota exceeded for ram: Requested ${flavor.ram}, but already used ${usedRam} of ${quotas.maxTotalRAMSize} ram`);
  }

  const serverId = uuid();
  const ports = attachNetworks(ctx, call, serverId, nics);
  const now = ctx.now();
  data.counters.instanceSeq += 1;
  const server: ServerRecord = {
    id: serverId,
    name,
    projectId: call.projectId,
    userId: call.userId,
    imageId: image.id,
    flavorId: flavor.id,
    keyName,
    metadata,
    userData,
    configDrive,
    portIds: ports.map((p) => p.id),
    status: 'BUILD',
    taskState: 'spawning',
    createdAt: isoSeconds(now),
    updatedAt: isoSeconds(now),
    launchedAt: null,
    activeAt: now + ctx.options.bootTimeMs,
    deletedAt: null,
    instanceSeq: data.counters.instanceSeq,
    reservationId: `r-${randomBytes(4).toString('hex')}`,
    adminPass: typeof req['adminPass'] === 'string' ? req['adminPass'] : randomBytes(9).toString('base64url').slice(0, 12),
    accessIPv4: typeof req['accessIPv4'] === 'string' ? req['accessIPv4'] : '',
    accessIPv6: typeof req['accessIPv6'] === 'string' ? req['accessIPv6'] : '',
    fault: null,
    hostId: createHash('sha224').update(`${call.projectId}sim-compute`).digest('hex'),
  };
  data.servers.push(server);
  ctx.store.commit();
  scheduleLifecycle(ctx, server);
  return { server };
}

function attachNetworks(ctx: SimContext, call: ComputeCall, serverId: string, nics: NicRequest[] | 'auto' | 'none' | undefined): PortRecord[] {
  const data = ctx.store.data;
  const visible = visibleNetworks(ctx, call.projectId);
  let requests: NicRequest[];
  if (nics === 'none') {
    requests = [];
  } else if (nics === undefined || nics === 'auto') {
    if (ctx.options.mode === 'rackspace') {
      // Without a network list a Rackspace server gets PublicNet and ServiceNet.
      requests = [{ networkId: PUBLIC_NET_ID }, { networkId: SERVICE_NET_ID }];
    } else {
      const tenantNets = visible.filter((n) => !n.special && !n.external && !n.shared);
      if (tenantNets.length > 1) throw new ComputeError(409, 'Multiple possible networks found, use a Network ID to be more specific.');
      requests = tenantNets.map((n) => ({ networkId: n.id }));
    }
  } else {
    requests = [...nics];
    if (ctx.options.mode === 'rackspace' && !ctx.options.quirks.explicitNetworksOnly) {
      // With the quirk off, PublicNet and ServiceNet come along even when not listed.
      for (const id of [PUBLIC_NET_ID, SERVICE_NET_ID]) {
        if (!requests.some((r) => r.networkId === id)) requests.push({ networkId: id });
      }
    }
  }
  // Validate everything before allocating anything, so that a failed create leaves no ports.
  for (const nic of requests) {
    if (nic.portId !== undefined) {
      const port = data.ports.find((p) => p.id === nic.portId && p.projectId === call.projectId);
      if (!port) throw new ComputeError(400, `Port id ${nic.portId} could not be found.`);
      if (port.deviceId) throw new ComputeError(409, `Port ${nic.portId} is still in use.`);
    } else if (!visible.some((n) => n.id === nic.networkId)) {
      throw new ComputeError(400, `Network ${nic.networkId ?? ''} could not be found.`);
    }
  }
  const created: PortRecord[] = [];
  const attached: PortRecord[] = [];
  try {
    for (const nic of requests) {
      if (nic.portId !== undefined) {
        const port = data.ports.find((p) => p.id === nic.portId) as PortRecord;
        attached.push(port);
        continue;
      }
      const port = createPortRecord(ctx, {
        networkId: nic.networkId as string,
        projectId: call.projectId,
        deviceId: serverId,
        deviceOwner: 'compute:nova',
        createdByCompute: true,
        ...(nic.fixedIp !== undefined ? { fixedIps: [{ ipAddress: nic.fixedIp }] } : {}),
      });
      created.push(port);
    }
  } catch (err) {
    data.ports = data.ports.filter((p) => !created.includes(p));
    if (err instanceof NeutronError) {
      const fixed = requests.find((r) => r.fixedIp !== undefined)?.fixedIp;
      if (err.type === 'IpAddressAlreadyAllocated' && fixed !== undefined) {
        // Message observed on Nova 26 (the instance name is empty in it).
        throw new ComputeError(400, `Fixed IP address ${fixed} is already in use on instance .`);
      }
      if (err.type === 'IpAddressGenerationFailure') throw new ComputeError(409, err.message);
      throw new ComputeError(400, err.message);
    }
    throw err;
  }
  for (const port of attached) {
    port.deviceId = serverId;
    port.deviceOwner = 'compute:nova';
  }
  // Keep the order the client asked for.
  return requests.map((nic, i) => (nic.portId !== undefined ? (attached.find((p) => p.id === nic.portId) as PortRecord) : (created[requests.slice(0, i).filter((r) => r.portId === undefined).length] as PortRecord)));
}
