import type { SimContext } from '../context.js';
import { InvalidJsonError, isRecord, readJson } from '../http/body.js';
import { empty, json } from '../http/respond.js';
import { Router } from '../http/router.js';
import type { SimRequest, SimResponse } from '../http/types.js';
import { NeutronError, createNetworkRecord, createSubnetRecord, visibleNetworks } from '../network/model.js';
import type { KeypairRecord, ServerRecord } from '../state/types.js';
import { ComputeError, computeError } from './errors.js';
import { atLeast, formatMicroversion, MAX_MICROVERSION, MIN_MICROVERSION } from './microversion.js';
import {
  createServer,
  deleteServer,
  projectServers,
  serverDetailView,
  serverSummaryView,
  sweepServers,
  type ComputeCall,
} from './servers.js';
import { generateRsaKeypair, sshFingerprint } from './ssh-keys.js';

export type ComputeHandler = (req: SimRequest, call: ComputeCall, params: Record<string, string>) => Promise<SimResponse> | SimResponse;

async function body(req: SimRequest): Promise<unknown> {
  try {
    return await readJson(req.req);
  } catch (err) {
    if (err instanceof InvalidJsonError) throw new ComputeError(400, 'Malformed request body');
    throw err;
  }
}

function findServer(ctx: SimContext, call: ComputeCall, id: string): ServerRecord {
  const s = ctx.store.data.servers.find((x) => x.id === id && x.projectId === call.projectId);
  if (!s) throw new ComputeError(404, `Instance ${id} could not be found.`);
  return s;
}

function listServers(ctx: SimContext, req: SimRequest, call: ComputeCall, detail: boolean): SimResponse {
  const q = req.query;
  if (q.has('metadata')) throw new ComputeError(400, 'Invalid filter field: metadata.'); // observed on Nova 26
  let servers = projectServers(ctx, call.projectId);
  const name = q.get('name');
  if (name !== null) {
    let re: RegExp;
    try {
      re = new RegExp(name); // Nova applies the name filter as a regular expression (re.search)
    } catch {
      throw new ComputeError(400, `Invalid filter: name ${name}`);
    }
    servers = servers.filter((s) => re.test(s.name));
  }
  const status = q.get('status');
  if (status !== null) servers = servers.filter((s) => s.status === status.toUpperCase()); // unknown status: empty list
  const image = q.get('image');
  if (image !== null) servers = servers.filter((s) => s.imageId === image);
  const flavor = q.get('flavor');
  if (flavor !== null) servers = servers.filter((s) => s.flavorId === flavor);
  const limitText = q.get('limit');
  if (limitText !== null && !/^[0-9]*$/.test(limitText)) {
    throw new ComputeError(400, `Invalid input for query parameters limit. Value: ${limitText}. '${limitText}' does not match '^[0-9]*$'`);
  }
  const marker = q.get('marker');
  if (marker !== null) {
    const index = servers.findIndex((s) => s.id === marker);
    if (index < 0) throw new ComputeError(400, `marker [${marker}] not found`);
    servers = servers.slice(index + 1);
  }
  const limit = Math.min(limitText ? Number(limitText) : 1000, 1000);
  const page = servers.slice(0, limit);
  const out: Record<string, unknown> = {
    servers: page.map((s) => (detail ? serverDetailView(ctx, s, call) : serverSummaryView(s, call))),
  };
  // Like Nova: a next link whenever the page is full, even if nothing follows.
  if (page.length > 0 && page.length === limit) {
    const next = new URLSearchParams(q);
    next.delete('marker');
    next.set('marker', (page[page.length - 1] as ServerRecord).id);
    out['servers_links'] = [{ rel: 'next', href: `${call.linkBase}/servers${detail ? '/detail' : ''}?${next.toString()}` }];
  }
  return json(200, out);
}

function keypairView(k: KeypairRecord, call: ComputeCall, full: boolean): Record<string, unknown> {
  const v: Record<string, unknown> = { name: k.name, public_key: k.publicKey, fingerprint: k.fingerprint };
  if (full) Object.assign(v, { user_id: k.userId, created_at: k.createdAt, deleted: false, deleted_at: null, id: k.id, updated_at: null });
  if (atLeast(call.mv, 2, 2)) v['type'] = k.type;
  return v;
}

const KEYPAIR_NAME = /^[_\- 0-9a-zA-Z]+$/;

async function createKeypair(ctx: SimContext, req: SimRequest, call: ComputeCall): Promise<SimResponse> {
  const b = await body(req);
  const kp = isRecord(b) ? b['keypair'] : undefined;
  if (!isRecord(kp) || typeof kp['name'] !== 'string') throw new ComputeError(400, "Invalid input for field/attribute keypair. 'name' is a required property");
  const name = kp['name'];
  if (name.length < 1 || name.length > 255 || !KEYPAIR_NAME.test(name)) {
    // Message observed on Nova 26.
    throw new ComputeError(400, "An invalid 'name' value was provided. The name must be: Only expected characters: [_- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ]");
  }
  const type = atLeast(call.mv, 2, 2) && kp['type'] === 'x509' ? 'x509' : 'ssh';
  const data = ctx.store.data;
  const mine = data.keypairs.filter((k) => k.userId === call.userId);
  if (mine.length >= ctx.options.quotas.maxTotalKeypairs) throw new ComputeError(403, 'Quota exceeded, too many key pairs.');
  if (mine.some((k) => k.name === name)) throw new ComputeError(409, `Key pair '${name}' already exists.`);
  let publicKey: string;
  let privateKey: string | undefined;
  if (typeof kp['public_key'] === 'string') {
    publicKey = kp['public_key'];
  } else {
    const generated = generateRsaKeypair();
    publicKey = generated.publicKey;
    privateKey = generated.privateKey;
  }
  const fingerprint = sshFingerprint(publicKey);
  if (!fingerprint) throw new ComputeError(400, 'Keypair data is invalid: failed to generate fingerprint');
  data.counters.keypairSeq += 1;
  const record: KeypairRecord = {
    name,
    userId: call.userId,
    publicKey,
    fingerprint,
    type,
    createdAt: new Date(ctx.now()).toISOString().replace('Z', '').replace(/\.(\d{3})$/, '.$1000'),
    id: data.counters.keypairSeq,
  };
  data.keypairs.push(record);
  ctx.store.commit();
  const view: Record<string, unknown> = { ...(privateKey ? { private_key: privateKey } : {}), name, public_key: publicKey, fingerprint, user_id: call.userId };
  if (atLeast(call.mv, 2, 2)) view['type'] = type;
  // 200 at 2.1, 201 from 2.2 on (observed on Nova 26).
  return json(atLeast(call.mv, 2, 2) ? 201 : 200, { keypair: view });
}

function flavorView(ctx: SimContext, call: ComputeCall, id: string, detail: boolean): Record<string, unknown> {
  const f = ctx.store.data.flavors.find((x) => x.id === id);
  if (!f) throw new ComputeError(404, `Flavor ${id} could not be found.`);
  const links = [
    { rel: 'self', href: `${call.linkBase}/flavors/${f.id}` },
    { rel: 'bookmark', href: `${call.bookmarkBase}/flavors/${f.id}` },
  ];
  if (!detail) return { id: f.id, name: f.name, links, ...(atLeast(call.mv, 2, 55) ? { description: null } : {}) };
  return {
    id: f.id,
    name: f.name,
    ram: f.ram,
    disk: f.disk,
    swap: f.swap === 0 ? '' : f.swap,
    'OS-FLV-EXT-DATA:ephemeral': f.ephemeral,
    'OS-FLV-DISABLED:disabled': false,
    vcpus: f.vcpus,
    'os-flavor-access:is_public': true,
    rxtx_factor: f.rxtxFactor,
    links,
    ...(atLeast(call.mv, 2, 55) ? { description: null } : {}),
    ...(atLeast(call.mv, 2, 61) ? { extra_specs: {} } : {}),
  };
}

function imageView(ctx: SimContext, call: ComputeCall, id: string, detail: boolean): Record<string, unknown> {
  const img = ctx.store.data.images.find((x) => x.id === id);
  if (!img) throw new ComputeError(404, 'Image not found.');
  const links = [
    { rel: 'self', href: `${call.linkBase}/images/${img.id}` },
    { rel: 'bookmark', href: `${call.bookmarkBase}/images/${img.id}` },
    { rel: 'alternate', type: 'application/vnd.openstack.image', href: `${ctx.publicUrl()}/images/${img.id}` },
  ];
  if (!detail) return { id: img.id, name: img.name, links };
  return {
    id: img.id,
    name: img.name,
    minRam: img.minRam,
    minDisk: img.minDisk,
    metadata: img.metadata,
    created: img.createdAt,
    updated: img.updatedAt,
    status: 'ACTIVE',
    progress: 100,
    'OS-EXT-IMG-SIZE:size': img.size,
    links,
  };
}

function limitsView(ctx: SimContext, call: ComputeCall): Record<string, unknown> {
  const q = ctx.options.quotas;
  const mine = ctx.store.data.servers.filter((s) => s.projectId === call.projectId);
  const flavors = mine.map((s) => ctx.store.data.flavors.find((f) => f.id === s.flavorId));
  const absolute: Record<string, number> = {
    maxTotalInstances: q.maxTotalInstances,
    maxTotalCores: q.maxTotalCores,
    maxTotalRAMSize: q.maxTotalRAMSize,
    maxServerMeta: q.maxServerMeta,
    maxImageMeta: q.maxImageMeta,
    maxPersonality: q.maxPersonality,
    maxPersonalitySize: q.maxPersonalitySize,
    maxTotalKeypairs: q.maxTotalKeypairs,
    maxServerGroups: q.maxServerGroups,
    maxServerGroupMembers: q.maxServerGroupMembers,
    maxTotalFloatingIps: -1,
    maxSecurityGroups: -1,
    maxSecurityGroupRules: -1,
    totalRAMUsed: flavors.reduce((sum, f) => sum + (f?.ram ?? 0), 0),
    totalCoresUsed: flavors.reduce((sum, f) => sum + (f?.vcpus ?? 0), 0),
    totalInstancesUsed: mine.length,
    totalFloatingIpsUsed: 0,
    totalSecurityGroupsUsed: 0,
    totalServerGroupsUsed: 0,
  };
  // Nova drops proxied network limits at 2.36, image metadata at 2.39, personality at 2.57.
  if (atLeast(call.mv, 2, 36)) {
    for (const k of ['maxTotalFloatingIps', 'maxSecurityGroups', 'maxSecurityGroupRules', 'totalFloatingIpsUsed', 'totalSecurityGroupsUsed']) delete absolute[k];
  }
  if (atLeast(call.mv, 2, 39)) delete absolute['maxImageMeta'];
  if (atLeast(call.mv, 2, 57)) {
    delete absolute['maxPersonality'];
    delete absolute['maxPersonalitySize'];
  }
  // Nova's legacy rate-limit view of compute's bucket: its refill rate per minute, the whole
  // requests left now (this request already took one) and when the next one is allowed.
  const rl = ctx.options.rateLimit;
  const bucket = ctx.rateLimitState('compute');
  const rate =
    rl && bucket
      ? [
          {
            uri: '*',
            regex: '.*',
            limit: [{ verb: '*', value: Math.round(rl.requestsPerSecond * 60), remaining: bucket.remaining, unit: 'MINUTE', 'next-available': new Date(bucket.nextAvailableMs).toISOString() }],
          },
        ]
      : [];
  return { limits: { rate, absolute } };
}

export function computeRouter(ctx: SimContext): Router {
  const r = new Router();
  const on = (method: string, path: string, fn: ComputeHandler): void => {
    r.on(method, path, async (req, params) => {
      const call = (req as SimRequest & { compute: ComputeCall }).compute;
      try {
        sweepServers(ctx);
        return await fn(req, call, params);
      } catch (err) {
        if (err instanceof ComputeError) return computeError(err.status, err.message);
        throw err;
      }
    });
  };

  on('GET', '/', (req) =>
    json(200, {
      version: {
        id: 'v2.1',
        status: 'CURRENT',
        version: formatMicroversion(MAX_MICROVERSION),
        min_version: formatMicroversion(MIN_MICROVERSION),
        updated: '2013-07-23T11:33:21Z',
        links: [{ rel: 'self', href: `${req.baseUrl}${req.rawPath.replace(/\/?$/, '/')}` }],
        'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
      },
    }),
  );

  on('GET', '/servers', (req, call) => listServers(ctx, req, call, false));
  on('GET', '/servers/detail', (req, call) => listServers(ctx, req, call, true));
  on('GET', '/servers/:id', (_req, call, p) => json(200, { server: serverDetailView(ctx, findServer(ctx, call, p['id'] as string), call) }));
  on('POST', '/servers', async (req, call) => {
    const { server } = createServer(ctx, call, await body(req));
    const self = `${call.linkBase}/servers/${server.id}`;
    return json(
      202,
      {
        server: {
          id: server.id,
          links: [
            { rel: 'self', href: self },
            { rel: 'bookmark', href: `${call.bookmarkBase}/servers/${server.id}` },
          ],
          'OS-DCF:diskConfig': 'MANUAL',
          security_groups: [{ name: 'default' }],
          adminPass: server.adminPass,
        },
      },
      { Location: self },
    );
  });
  on('DELETE', '/servers/:id', (_req, call, p) => {
    deleteServer(ctx, findServer(ctx, call, p['id'] as string));
    return empty(204); // observed on Nova 26
  });
  on('GET', '/servers/:id/metadata', (_req, call, p) => json(200, { metadata: findServer(ctx, call, p['id'] as string).metadata }));
  on('GET', '/servers/:id/os-interface', (_req, call, p) => {
    const s = findServer(ctx, call, p['id'] as string);
    const ports = s.portIds.map((id) => ctx.store.data.ports.find((x) => x.id === id)).filter((x) => x !== undefined);
    return json(200, {
      interfaceAttachments: ports.map((x) => ({
        port_state: x.status,
        fixed_ips: x.fixedIps.map((f) => ({ subnet_id: f.subnetId, ip_address: f.ipAddress })),
        port_id: x.id,
        net_id: x.networkId,
        mac_addr: x.macAddress,
      })),
    });
  });

  on('GET', '/os-keypairs', (_req, call) =>
    json(200, {
      keypairs: ctx.store.data.keypairs
        .filter((k) => k.userId === call.userId)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((k) => ({ keypair: keypairView(k, call, false) })),
    }),
  );
  on('GET', '/os-keypairs/:name', (_req, call, p) => {
    const k = ctx.store.data.keypairs.find((x) => x.name === p['name'] && x.userId === call.userId);
    if (!k) throw new ComputeError(404, `Keypair ${p['name'] ?? ''} not found for user ${call.userId}`);
    return json(200, { keypair: keypairView(k, call, true) });
  });
  on('POST', '/os-keypairs', (req, call) => createKeypair(ctx, req, call));
  on('DELETE', '/os-keypairs/:name', (_req, call, p) => {
    const data = ctx.store.data;
    const k = data.keypairs.find((x) => x.name === p['name'] && x.userId === call.userId);
    if (!k) throw new ComputeError(404, `Keypair ${p['name'] ?? ''} not found for user ${call.userId}`);
    data.keypairs = data.keypairs.filter((x) => x !== k);
    ctx.store.commit();
    // 202 at 2.1, 204 from 2.2 on (observed on Nova 26 for 2.1).
    return empty(atLeast(call.mv, 2, 2) ? 204 : 202);
  });

  on('GET', '/flavors', (_req, call) => json(200, { flavors: ctx.store.data.flavors.map((f) => flavorView(ctx, call, f.id, false)) }));
  on('GET', '/flavors/detail', (_req, call) => json(200, { flavors: ctx.store.data.flavors.map((f) => flavorView(ctx, call, f.id, true)) }));
  on('GET', '/flavors/:id', (_req, call, p) => json(200, { flavor: flavorView(ctx, call, p['id'] as string, true) }));

  const imageProxy = (fn: ComputeHandler): ComputeHandler => (req, call, p) => {
    // The image proxy API is gone from microversion 2.36 on.
    if (atLeast(call.mv, 2, 36)) throw new ComputeError(404, 'The resource could not be found.');
    return fn(req, call, p);
  };
  on('GET', '/images', imageProxy((_req, call) => json(200, { images: ctx.store.data.images.map((i) => imageView(ctx, call, i.id, false)) })));
  on('GET', '/images/detail', imageProxy((_req, call) => json(200, { images: ctx.store.data.images.map((i) => imageView(ctx, call, i.id, true)) })));
  on('GET', '/images/:id', imageProxy((_req, call, p) => json(200, { image: imageView(ctx, call, p['id'] as string, true) })));

  on('GET', '/limits', (_req, call) => json(200, limitsView(ctx, call)));

  if (ctx.options.mode === 'rackspace') addNetworksV2(ctx, on);
  return r;
}

/** Rackspace's nova extension for isolated networks: `{"network": {"cidr", "label"}}`. */
function addNetworksV2(ctx: SimContext, on: (method: string, path: string, fn: ComputeHandler) => void): void {
  const view = (id: string): Record<string, unknown> => {
    const net = ctx.store.data.networks.find((n) => n.id === id);
    const subnet = ctx.store.data.subnets.find((s) => s.networkId === id && s.ipVersion === 4);
    // PublicNet and ServiceNet are listed without a cidr (Rackspace Cloud Servers API reference).
    return { ...(net?.special ? {} : { cidr: subnet?.cidr }), id, label: net?.name };
  };
  on('GET', '/os-networksv2', (_req, call) => json(200, { networks: visibleNetworks(ctx, call.projectId).map((n) => view(n.id)) }));
  on('GET', '/os-networksv2/:id', (_req, call, p) => {
    if (!visibleNetworks(ctx, call.projectId).some((n) => n.id === p['id'])) throw new ComputeError(404, 'Network could not be found');
    return json(200, { network: view(p['id'] as string) });
  });
  on('POST', '/os-networksv2', async (req, call) => {
    const b = await body(req);
    const n = isRecord(b) ? b['network'] : undefined;
    if (!isRecord(n) || typeof n['cidr'] !== 'string' || typeof n['label'] !== 'string') {
      throw new ComputeError(400, 'Bad network format: cidr and label are required');
    }
    const net = createNetworkRecord(ctx, { name: n['label'], projectId: call.projectId });
    try {
      createSubnetRecord(ctx, { networkId: net.id, cidr: n['cidr'], projectId: call.projectId, name: n['label'] });
    } catch (err) {
      ctx.store.data.networks = ctx.store.data.networks.filter((x) => x.id !== net.id);
      if (err instanceof NeutronError) throw new ComputeError(400, err.message);
      throw err;
    }
    ctx.store.commit();
    return json(200, { network: view(net.id) });
  });
  on('DELETE', '/os-networksv2/:id', (_req, call, p) => {
    const data = ctx.store.data;
    const net = data.networks.find((x) => x.id === p['id'] && x.projectId === call.projectId && !x.special);
    if (!net) throw new ComputeError(404, 'Network could not be found');
    if (data.ports.some((x) => x.networkId === net.id)) throw new ComputeError(409, `Network ${net.id} is in use`);
    data.subnets = data.subnets.filter((s) => s.networkId !== net.id);
    data.networks = data.networks.filter((x) => x.id !== net.id);
    ctx.store.commit();
    return empty(202);
  });
}
