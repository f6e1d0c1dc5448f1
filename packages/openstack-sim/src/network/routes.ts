import type { SimContext } from '../context.js';
import { InvalidJsonError, isRecord, readJson } from '../http/body.js';
import { empty, json } from '../http/respond.js';
import { Router } from '../http/router.js';
import type { SimRequest, SimResponse } from '../http/types.js';
import type { NetworkRecord, PortRecord, SubnetRecord } from '../state/types.js';
import { isoSeconds } from '../util.js';
import {
  NeutronError,
  createNetworkRecord,
  createPortRecord,
  createSubnetRecord,
  networkNotFound,
  visibleNetworks,
  type FixedIpRequest,
} from './model.js';

export function neutronError(status: number, type: string, message: string): SimResponse {
  return json(status, { NeutronError: { type, message, detail: '' } });
}

export function networkView(ctx: SimContext, n: NetworkRecord): Record<string, unknown> {
  const subnets = n.special ? [] : ctx.store.data.subnets.filter((s) => s.networkId === n.id).map((s) => s.id);
  return {
    id: n.id,
    name: n.name,
    tenant_id: n.projectId,
    admin_state_up: n.adminStateUp,
    mtu: n.mtu,
    status: 'ACTIVE',
    subnets,
    shared: n.shared,
    project_id: n.projectId,
    port_security_enabled: true,
    'router:external': n.external,
    is_default: false,
    availability_zone_hints: [],
    availability_zones: ['nova'],
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    description: n.description,
    tags: [],
    created_at: n.createdAt,
    updated_at: n.updatedAt,
    revision_number: n.revision,
  };
}

export function subnetView(s: SubnetRecord): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    tenant_id: s.projectId,
    network_id: s.networkId,
    ip_version: s.ipVersion,
    subnetpool_id: null,
    enable_dhcp: s.enableDhcp,
    ipv6_ra_mode: null,
    ipv6_address_mode: null,
    gateway_ip: s.gatewayIp,
    cidr: s.cidr,
    allocation_pools: s.allocationPools.map((p) => ({ start: p.start, end: p.end })),
    host_routes: s.hostRoutes,
    dns_nameservers: s.dnsNameservers,
    description: s.description,
    service_types: [],
    tags: [],
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    revision_number: s.revision,
    project_id: s.projectId,
  };
}

export function portView(p: PortRecord): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    network_id: p.networkId,
    tenant_id: p.projectId,
    mac_address: p.macAddress,
    admin_state_up: p.adminStateUp,
    status: p.status,
    device_id: p.deviceId,
    device_owner: p.deviceOwner,
    fixed_ips: p.fixedIps.map((f) => ({ subnet_id: f.subnetId, ip_address: f.ipAddress })),
    project_id: p.projectId,
    port_security_enabled: true,
    security_groups: [],
    'binding:vnic_type': 'normal',
    'binding:profile': {},
    'binding:host_id': p.bindingHostId,
    'binding:vif_type': p.bindingHostId ? 'ovs' : 'unbound',
    'binding:vif_details': {},
    allowed_address_pairs: [],
    extra_dhcp_opts: [],
    description: p.description,
    tags: [],
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    revision_number: p.revision,
  };
}

const RESERVED_QUERY = new Set(['fields', 'limit', 'marker', 'sort_key', 'sort_dir', 'page_reverse']);

function matchesFilters(view: Record<string, unknown>, query: URLSearchParams): boolean {
  for (const key of new Set(query.keys())) {
    if (RESERVED_QUERY.has(key)) continue;
    const wanted = query.getAll(key);
    const actual = view[key];
    if (key === 'fixed_ips') {
      const ips = (actual as Array<{ subnet_id: string; ip_address: string }>) ?? [];
      const ok = wanted.every((w) => {
        const [k, v] = w.split('=', 2);
        return ips.some((ip) => (k === 'ip_address' ? ip.ip_address === v : k === 'subnet_id' ? ip.subnet_id === v : false));
      });
      if (!ok) return false;
      continue;
    }
    if (actual === undefined || (typeof actual === 'object' && actual !== null)) {
      // Neutron ignores filters on unknown attributes (with the filter-validation extension
      // disabled); a filter on a list/object attribute matches nothing here.
      if (actual === undefined) continue;
      return false;
    }
    const text = typeof actual === 'boolean' ? String(actual) : String(actual);
    if (!wanted.some((w) => (typeof actual === 'boolean' ? w.toLowerCase() === text : w === text))) return false;
  }
  return true;
}

function listResponse(ctx: SimContext, req: SimRequest, collection: string, views: Array<Record<string, unknown>>): SimResponse {
  let items = views.filter((v) => matchesFilters(v, req.query));
  const limitText = req.query.get('limit');
  const marker = req.query.get('marker');
  const links: Array<{ rel: string; href: string }> = [];
  if (marker) {
    const index = items.findIndex((v) => v['id'] === marker);
    if (index < 0) return neutronError(404, 'NotFound', `Marker ${marker} could not be found.`);
    items = items.slice(index + 1);
  }
  if (limitText !== null) {
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 0) {
      return neutronError(400, 'BadRequest', `Bad limit request: Limit must be an integer 0 or greater and not '${limitText}'.`);
    }
    if (limit > 0 && items.length > limit) {
      items = items.slice(0, limit);
      const last = items[items.length - 1];
      const next = new URLSearchParams(req.query);
      next.set('marker', String(last?.['id']));
      links.push({ rel: 'next', href: `${req.baseUrl}${req.rawPath}?${next.toString()}` });
    }
  }
  const fields = req.query.getAll('fields');
  if (fields.length > 0) {
    items = items.map((v) => Object.fromEntries(Object.entries(v).filter(([k]) => fields.includes(k))));
  }
  return json(200, { [collection]: items, ...(links.length ? { [`${collection}_links`]: links } : {}) });
}

async function readResource(req: SimRequest, key: string): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await readJson(req.req);
  } catch (err) {
    if (err instanceof InvalidJsonError) throw new NeutronError(400, 'HTTPBadRequest', 'Malformed request body');
    throw err;
  }
  const inner = isRecord(body) ? body[key] : undefined;
  if (!isRecord(inner)) throw new NeutronError(400, 'HTTPBadRequest', `Resource body required`);
  return inner;
}

function optString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new NeutronError(400, 'HTTPBadRequest', `Invalid input for ${key}. Reason: '${String(v)}' is not a valid string.`);
  return v;
}

function projectOf(req: SimRequest): string {
  return req.token?.projectId ?? '';
}

function findNetwork(ctx: SimContext, req: SimRequest, id: string): NetworkRecord {
  const n = visibleNetworks(ctx, projectOf(req)).find((x) => x.id === id);
  if (!n) throw networkNotFound(id);
  return n;
}

function findSubnet(ctx: SimContext, req: SimRequest, id: string): SubnetRecord {
  const visible = new Set(visibleNetworks(ctx, projectOf(req)).filter((n) => !n.special).map((n) => n.id));
  const s = ctx.store.data.subnets.find((x) => x.id === id && visible.has(x.networkId));
  if (!s) throw new NeutronError(404, 'SubnetNotFound', `Subnet ${id} could not be found.`);
  return s;
}

function findPort(ctx: SimContext, req: SimRequest, id: string): PortRecord {
  const p = ctx.store.data.ports.find((x) => x.id === id && x.projectId === projectOf(req));
  if (!p) throw new NeutronError(404, 'PortNotFound', `Port ${id} could not be found.`);
  return p;
}

function parseFixedIps(value: unknown): FixedIpRequest[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new NeutronError(400, 'HTTPBadRequest', `Invalid input for fixed_ips. Reason: Invalid data format for fixed IP: '${JSON.stringify(value)}'.`);
  return value.map((entry) => {
    if (!isRecord(entry)) throw new NeutronError(400, 'HTTPBadRequest', `Invalid input for fixed_ips. Reason: Invalid data format for fixed IP: '${JSON.stringify(entry)}'.`);
    const out: FixedIpRequest = {};
    if (typeof entry['subnet_id'] === 'string') out.subnetId = entry['subnet_id'];
    if (typeof entry['ip_address'] === 'string') out.ipAddress = entry['ip_address'];
    return out;
  });
}

function touch(ctx: SimContext, r: { updatedAt: string; revision: number }): void {
  r.updatedAt = isoSeconds(ctx.now());
  r.revision += 1;
}

export function networkRouter(ctx: SimContext): Router {
  const r = new Router();
  const guard =
    (fn: (req: SimRequest, params: Record<string, string>) => Promise<SimResponse> | SimResponse) =>
    async (req: SimRequest, params: Record<string, string>): Promise<SimResponse> => {
      try {
        return await fn(req, params);
      } catch (err) {
        if (err instanceof NeutronError) return neutronError(err.status, err.type, err.message);
        throw err;
      }
    };

  r.on('GET', '/v2.0/networks', guard((req) => listResponse(ctx, req, 'networks', visibleNetworks(ctx, projectOf(req)).map((n) => networkView(ctx, n)))));
  r.on('GET', '/v2.0/networks/:id', guard((req, p) => json(200, { network: networkView(ctx, findNetwork(ctx, req, p['id'] as string)) })));
  r.on('POST', '/v2.0/networks', guard(async (req) => {
    const body = await readResource(req, 'network');
    const net = createNetworkRecord(ctx, {
      name: optString(body, 'name') ?? '',
      description: optString(body, 'description') ?? '',
      projectId: projectOf(req),
      shared: body['shared'] === true,
    });
    if (body['admin_state_up'] === false) net.adminStateUp = false;
    ctx.store.commit();
    return json(201, { network: networkView(ctx, net) });
  }));
  r.on('PUT', '/v2.0/networks/:id', guard(async (req, p) => {
    const net = findNetwork(ctx, req, p['id'] as string);
    if (net.special || net.projectId !== projectOf(req)) throw new NeutronError(403, 'HTTPForbidden', `update_network on network ${net.id} is not allowed.`);
    const body = await readResource(req, 'network');
    const name = optString(body, 'name');
    const description = optString(body, 'description');
    if (name !== undefined) net.name = name;
    if (description !== undefined) net.description = description;
    if (typeof body['admin_state_up'] === 'boolean') net.adminStateUp = body['admin_state_up'];
    touch(ctx, net);
    ctx.store.commit();
    return json(200, { network: networkView(ctx, net) });
  }));
  r.on('DELETE', '/v2.0/networks/:id', guard((req, p) => {
    const net = findNetwork(ctx, req, p['id'] as string);
    if (net.special || net.projectId !== projectOf(req)) throw new NeutronError(403, 'HTTPForbidden', `delete_network on network ${net.id} is not allowed.`);
    const ports = ctx.store.data.ports.filter((x) => x.networkId === net.id);
    if (ports.length > 0) {
      // Message observed on Neutron 21; port ids are listed newest first there.
      throw new NeutronError(
        409,
        'NetworkInUse',
        `Unable to complete operation on network ${net.id}. There are one or more ports still in use on the network, id for these ports is: ${ports.map((x) => x.id).reverse().join(',')}.`,
      );
    }
    ctx.store.data.subnets = ctx.store.data.subnets.filter((s) => s.networkId !== net.id);
    ctx.store.data.networks = ctx.store.data.networks.filter((n) => n.id !== net.id);
    ctx.store.commit();
    return empty(204);
  }));

  const subnetViews = (req: SimRequest): Array<Record<string, unknown>> => {
    const visible = new Set(visibleNetworks(ctx, projectOf(req)).filter((n) => !n.special).map((n) => n.id));
    return ctx.store.data.subnets.filter((s) => visible.has(s.networkId)).map(subnetView);
  };
  r.on('GET', '/v2.0/subnets', guard((req) => listResponse(ctx, req, 'subnets', subnetViews(req))));
  r.on('GET', '/v2.0/subnets/:id', guard((req, p) => json(200, { subnet: subnetView(findSubnet(ctx, req, p['id'] as string)) })));
  r.on('POST', '/v2.0/subnets', guard(async (req) => {
    const body = await readResource(req, 'subnet');
    const networkId = optString(body, 'network_id');
    const cidr = optString(body, 'cidr');
    if (!networkId) throw new NeutronError(400, 'HTTPBadRequest', "Failed to parse request. Required attribute 'network_id' not specified");
    if (!cidr) throw new NeutronError(400, 'BadRequest', 'Bad subnets request: a subnetpool must be specified in the absence of a cidr.');
    const net = findNetwork(ctx, req, networkId);
    if (net.special) throw new NeutronError(403, 'HTTPForbidden', `create_subnet on network ${net.id} is not allowed.`);
    const pools = body['allocation_pools'];
    const subnet = createSubnetRecord(ctx, {
      networkId,
      cidr,
      projectId: projectOf(req),
      name: optString(body, 'name') ?? '',
      description: optString(body, 'description') ?? '',
      ...(typeof body['ip_version'] === 'number' ? { ipVersion: body['ip_version'] } : {}),
      ...('gateway_ip' in body ? { gatewayIp: body['gateway_ip'] === null ? null : String(body['gateway_ip']) } : {}),
      ...(Array.isArray(pools)
        ? { allocationPools: pools.filter(isRecord).map((x) => ({ start: String(x['start']), end: String(x['end']) })) }
        : {}),
      ...(typeof body['enable_dhcp'] === 'boolean' ? { enableDhcp: body['enable_dhcp'] } : {}),
      ...(Array.isArray(body['dns_nameservers']) ? { dnsNameservers: body['dns_nameservers'].map(String) } : {}),
    });
    touch(ctx, net);
    ctx.store.commit();
    return json(201, { subnet: subnetView(subnet) });
  }));
  r.on('PUT', '/v2.0/subnets/:id', guard(async (req, p) => {
    const subnet = findSubnet(ctx, req, p['id'] as string);
    const body = await readResource(req, 'subnet');
    const name = optString(body, 'name');
    const description = optString(body, 'description');
    if (name !== undefined) subnet.name = name;
    if (description !== undefined) subnet.description = description;
    touch(ctx, subnet);
    ctx.store.commit();
    return json(200, { subnet: subnetView(subnet) });
  }));
  r.on('DELETE', '/v2.0/subnets/:id', guard((req, p) => {
    const subnet = findSubnet(ctx, req, p['id'] as string);
    if (ctx.store.data.ports.some((x) => x.fixedIps.some((f) => f.subnetId === subnet.id))) {
      throw new NeutronError(409, 'SubnetInUse', `Unable to complete operation on subnet ${subnet.id}: One or more ports have an IP allocation from this subnet.`);
    }
    ctx.store.data.subnets = ctx.store.data.subnets.filter((s) => s.id !== subnet.id);
    ctx.store.commit();
    return empty(204);
  }));

  r.on('GET', '/v2.0/ports', guard((req) => listResponse(ctx, req, 'ports', ctx.store.data.ports.filter((x) => x.projectId === projectOf(req)).map(portView))));
  r.on('GET', '/v2.0/ports/:id', guard((req, p) => json(200, { port: portView(findPort(ctx, req, p['id'] as string)) })));
  r.on('POST', '/v2.0/ports', guard(async (req) => {
    const body = await readResource(req, 'port');
    const networkId = optString(body, 'network_id');
    if (!networkId) throw new NeutronError(400, 'HTTPBadRequest', "Failed to parse request. Required attribute 'network_id' not specified");
    const net = findNetwork(ctx, req, networkId);
    const fixedIps = parseFixedIps(body['fixed_ips']);
    const port = createPortRecord(ctx, {
      networkId: net.id,
      projectId: projectOf(req),
      name: optString(body, 'name') ?? '',
      description: optString(body, 'description') ?? '',
      ...(fixedIps ? { fixedIps } : {}),
      deviceId: optString(body, 'device_id') ?? '',
      deviceOwner: optString(body, 'device_owner') ?? '',
      ...(optString(body, 'mac_address') ? { macAddress: optString(body, 'mac_address') as string } : {}),
    });
    ctx.store.commit();
    return json(201, { port: portView(port) });
  }));
  r.on('PUT', '/v2.0/ports/:id', guard(async (req, p) => {
    const port = findPort(ctx, req, p['id'] as string);
    const body = await readResource(req, 'port');
    for (const [key, field] of [['name', 'name'], ['description', 'description'], ['device_id', 'deviceId'], ['device_owner', 'deviceOwner']] as const) {
      const v = optString(body, key);
      if (v !== undefined) port[field] = v;
    }
    if (typeof body['admin_state_up'] === 'boolean') port.adminStateUp = body['admin_state_up'];
    touch(ctx, port);
    ctx.store.commit();
    return json(200, { port: portView(port) });
  }));
  r.on('DELETE', '/v2.0/ports/:id', guard((req, p) => {
    const port = findPort(ctx, req, p['id'] as string);
    ctx.store.data.ports = ctx.store.data.ports.filter((x) => x.id !== port.id);
    // A server keeps running without the port; its address disappears from `addresses`.
    for (const s of ctx.store.data.servers) s.portIds = s.portIds.filter((id) => id !== port.id);
    ctx.store.commit();
    return empty(204);
  }));
  r.on('GET', '/v2.0', async (req) =>
    json(200, { resources: ['networks', 'subnets', 'ports'].map((name) => ({ name: name.slice(0, -1), collection: name, links: [{ rel: 'self', href: `${req.baseUrl}/v2.0/${name}` }] })) }),
  );
  return r;
}
