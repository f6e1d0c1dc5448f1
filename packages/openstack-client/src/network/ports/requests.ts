import { isStatus } from '../../errors.js';
import type { ServiceClient } from '../../service.js';
import { paginateLinks } from '../../service.js';
import { neutronParams } from '../filters.js';
import type { NeutronFilters } from '../filters.js';
import type { CreatePortOptions, Port } from './types.js';
import { portPath, portsPath } from './urls.js';

export function listPorts(svc: ServiceClient, filters?: NeutronFilters & { network_id?: string; device_id?: string }): AsyncGenerator<Port, void, undefined> {
  return paginateLinks<Port>(svc, portsPath(), 'ports', 'ports_links', neutronParams(filters));
}

export async function getPort(svc: ServiceClient, id: string): Promise<Port> {
  return (await svc.get<{ port: Port }>(portPath(id))).port;
}

export function buildCreatePortBody(opts: CreatePortOptions): { port: Record<string, unknown> } {
  const port: Record<string, unknown> = { network_id: opts.networkId };
  if (opts.name !== undefined) port.name = opts.name;
  if (opts.description !== undefined) port.description = opts.description;
  if (opts.adminStateUp !== undefined) port.admin_state_up = opts.adminStateUp;
  if (opts.securityGroups) port.security_groups = opts.securityGroups;
  if (opts.fixedIps) {
    port.fixed_ips = opts.fixedIps.map((f) => ({ ...(f.subnetId ? { subnet_id: f.subnetId } : {}), ...(f.ipAddress ? { ip_address: f.ipAddress } : {}) }));
  }
  return { port };
}

export async function createPort(svc: ServiceClient, opts: CreatePortOptions): Promise<Port> {
  return (await svc.request<{ port: Port }>('POST', portsPath(), { json: buildCreatePortBody(opts) })).body.port;
}

export async function deletePort(svc: ServiceClient, id: string, opts: { ignoreMissing?: boolean } = {}): Promise<void> {
  try {
    await svc.request('DELETE', portPath(id));
  } catch (err) {
    if (opts.ignoreMissing && isStatus(err, 404)) return;
    throw err;
  }
}
