import { ipv4 } from '@rax-kube/cloud-config';
import { MAX_NODES, VARIABLES } from './definitions.js';
import type { VariableName } from './definitions.js';
import { ConfigError } from './errors.js';
import type { ConfigIssue } from './errors.js';
import { mergeSources, parseConfigFile, settingsFromEnv } from './sources.js';
import type { RawSettings, SourceKind, SourcedValue } from './sources.js';

export type CloudProfile = 'rackspace' | 'openstack';

/** A validated cluster configuration. */
export interface ClusterConfig {
  clusterName: string;
  numNodes: number;
  image: string;
  masterFlavor: string;
  nodeFlavor: string;
  sshKeyName: string;
  novaNetwork: string;
  novaNetworkLabel: string;
  masterFixedIp: string;
  etcdDiscovery?: string;
  kubeNetwork: string;
  serviceClusterIpRange: string;
  enableClusterDns: boolean;
  dnsServerIp: string;
  dnsDomain: string;
  containerPrefix: string;
  cloudProfile?: CloudProfile;
  /** Where each setting came from, for messages. */
  sources: Partial<Record<VariableName, SourceKind>>;
}

export interface ConfigInputs {
  env?: Readonly<Record<string, string | undefined>>;
  /** Contents and name of the config file, when one is used. */
  configFile?: { text: string; name: string };
  /** Settings given as CLI flags. */
  flags?: RawSettings;
}

const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, yes: true, '1': true, on: true, false: false, no: false, '0': false, off: false };
const NAME = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;
const KEY_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const DOMAIN_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Defaults <- config file <- environment <- flags, then every check, all problems at once.
 * Throws {@link ConfigError} (exit status 2 in the CLI) before anything touches a cloud.
 */
export function resolveConfig(inputs: ConfigInputs): ClusterConfig {
  const defaults: RawSettings = {};
  for (const variable of VARIABLES) if ('default' in variable) defaults[variable.name] = variable.default;
  const merged = mergeSources([
    ['default', defaults],
    ['config file', inputs.configFile ? parseConfigFile(inputs.configFile.text, inputs.configFile.name) : {}],
    ['environment', settingsFromEnv(inputs.env ?? {})],
    ['flag', inputs.flags ?? {}],
  ]);
  return new ConfigChecker(merged).check();
}

class ConfigChecker {
  private readonly issues: ConfigIssue[] = [];
  constructor(private readonly values: Partial<Record<VariableName, SourcedValue>>) {}

  check(): ClusterConfig {
    const clusterName = this.matching('INSTANCE_PREFIX', NAME, "must start with a lowercase letter, then lowercase letters, digits or '-' (not at the end), at most 40 characters, so every server name is a valid host name");
    const numNodes = this.integer('NUM_NODES', 1, MAX_NODES);
    const image = this.text('KUBE_IMAGE');
    const masterFlavor = this.text('KUBE_MASTER_FLAVOR');
    const nodeFlavor = this.text('KUBE_NODE_FLAVOR');
    const sshKeyName = this.matching('SSH_KEY_NAME', KEY_NAME, "must be 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' (it names the keypair and the file ~/.ssh/<name>)");
    const novaNetworkLabel = this.values.NOVA_NETWORK_LABEL ? this.text('NOVA_NETWORK_LABEL') : clusterName && `${clusterName}-pool-net`;
    const novaNetwork = this.cidr('NOVA_NETWORK');
    const kubeNetwork = this.cidr('KUBE_NETWORK');
    const serviceRange = this.cidr('SERVICE_CLUSTER_IP_RANGE');
    const enableClusterDns = this.boolean('ENABLE_CLUSTER_DNS');
    const dnsServerIp = this.address('DNS_SERVER_IP');
    const dnsDomain = this.domain('DNS_DOMAIN');
    const containerPrefix = this.containerPrefix();
    const etcdDiscovery = this.optional('ETCD_DISCOVERY', (value) => (/^https?:\/\/[^\s]+$/.test(value) ? undefined : 'must be an http(s) URL such as https://discovery.etcd.io/<token>'));
    const cloudProfile = this.optional('CLOUD_PROFILE', (value) => (value === 'rackspace' || value === 'openstack' ? undefined : 'must be rackspace or openstack')) as CloudProfile | undefined;

    const networks = [
      ['NOVA_NETWORK', novaNetwork],
      ['KUBE_NETWORK', kubeNetwork],
      ['SERVICE_CLUSTER_IP_RANGE', serviceRange],
    ] as const;
    for (let i = 0; i < networks.length; i++) {
      for (let j = i + 1; j < networks.length; j++) {
        const [nameA, a] = networks[i] ?? [];
        const [nameB, b] = networks[j] ?? [];
        if (nameA && nameB && a && b && ipv4.cidrsOverlap(a, b)) {
          this.issue(nameB, `overlaps ${nameA}=${this.raw(nameA)}; the cloud network, the pod network and the service range must not overlap`);
        }
      }
    }
    if (kubeNetwork && numNodes !== undefined) this.checkNodeCapacity(kubeNetwork, numNodes);
    if (novaNetwork && numNodes !== undefined) this.checkMachineAddresses(novaNetwork, numNodes);
    if (serviceRange && dnsServerIp !== undefined && enableClusterDns) {
      const offset = dnsServerIp - serviceRange.network;
      if (!ipv4.cidrContains(serviceRange, dnsServerIp)) this.issue('DNS_SERVER_IP', `must be inside SERVICE_CLUSTER_IP_RANGE=${this.raw('SERVICE_CLUSTER_IP_RANGE')}`);
      else if (offset < 2 || offset === ipv4.cidrSize(serviceRange) - 1) {
        this.issue('DNS_SERVER_IP', `must not be the first two or the last address of SERVICE_CLUSTER_IP_RANGE=${this.raw('SERVICE_CLUSTER_IP_RANGE')} (network address, the kubernetes service, broadcast)`);
      }
    }
    const masterFixedIp = novaNetwork ? this.masterAddress(novaNetwork) : undefined;

    if (this.issues.length > 0) throw new ConfigError(this.issues);
    const sources: Partial<Record<VariableName, SourceKind>> = {};
    for (const [name, sourced] of Object.entries(this.values)) sources[name as VariableName] = sourced.source;
    return {
      clusterName: clusterName ?? '',
      numNodes: numNodes ?? 0,
      image: image ?? '',
      masterFlavor: masterFlavor ?? '',
      nodeFlavor: nodeFlavor ?? '',
      sshKeyName: sshKeyName ?? '',
      novaNetwork: this.raw('NOVA_NETWORK'),
      novaNetworkLabel: novaNetworkLabel ?? '',
      masterFixedIp: masterFixedIp ?? '',
      ...(etcdDiscovery ? { etcdDiscovery } : {}),
      kubeNetwork: this.raw('KUBE_NETWORK'),
      serviceClusterIpRange: this.raw('SERVICE_CLUSTER_IP_RANGE'),
      enableClusterDns: enableClusterDns ?? true,
      dnsServerIp: this.raw('DNS_SERVER_IP'),
      dnsDomain: dnsDomain ?? '',
      containerPrefix: containerPrefix ?? '',
      ...(cloudProfile ? { cloudProfile } : {}),
      sources,
    };
  }

  private raw(name: VariableName): string {
    return this.values[name]?.value ?? '';
  }

  private issue(name: VariableName, message: string): void {
    const sourced = this.values[name];
    this.issues.push({ variable: name, value: sourced?.value ?? '', source: sourced?.source ?? 'default', message });
  }

  private text(name: VariableName): string | undefined {
    const value = this.raw(name);
    if (value.trim() === '' || value.length > 255 || /[\u0000-\u001f\u007f]/.test(value)) {
      this.issue(name, 'must be 1 to 255 printable characters');
      return undefined;
    }
    return value;
  }

  private matching(name: VariableName, pattern: RegExp, message: string): string | undefined {
    const value = this.raw(name);
    if (!pattern.test(value)) {
      this.issue(name, message);
      return undefined;
    }
    return value;
  }

  private optional(name: VariableName, problem: (value: string) => string | undefined): string | undefined {
    const value = this.values[name]?.value;
    if (value === undefined || value === '') return undefined;
    const message = problem(value);
    if (message) {
      this.issue(name, message);
      return undefined;
    }
    return value;
  }

  private integer(name: VariableName, min: number, max: number): number | undefined {
    const value = this.raw(name);
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(parsed >= min && parsed <= max)) {
      this.issue(name, `must be a whole number from ${min} to ${max}`);
      return undefined;
    }
    return parsed;
  }

  private boolean(name: VariableName): boolean | undefined {
    const value = BOOLEANS[this.raw(name).toLowerCase()];
    if (value === undefined) this.issue(name, 'must be true or false');
    return value;
  }

  private cidr(name: VariableName): ipv4.Cidr | undefined {
    const parsed = ipv4.parseCidr(this.raw(name));
    if (typeof parsed === 'string') {
      this.issue(name, `is not a valid IPv4 CIDR: ${parsed}`);
      return undefined;
    }
    return parsed;
  }

  private address(name: VariableName): number | undefined {
    const parsed = ipv4.parseIpv4(this.raw(name));
    if (parsed === undefined) this.issue(name, 'must be an IPv4 address such as 10.0.0.10');
    return parsed;
  }

  private domain(name: VariableName): string | undefined {
    const value = this.raw(name);
    if (value.length > 253 || !value.split('.').every((label) => DOMAIN_LABEL.test(label))) {
      this.issue(name, "must be a DNS domain such as cluster.local: lowercase letters, digits and '-' in dot-separated labels");
      return undefined;
    }
    return value;
  }

  private containerPrefix(): string | undefined {
    const value = this.raw('CONTAINER_PREFIX');
    if (value.startsWith('/') || value.split('/').includes('..') || value.length > 512 || /[\u0000-\u001f\u007f]/.test(value)) {
      this.issue('CONTAINER_PREFIX', "must be an object name prefix such as devel/: no leading '/', no '..' segment, no control characters, at most 512 characters");
      return undefined;
    }
    return value;
  }

  /** Node i (1..N) takes the i-th /24 of KUBE_NETWORK for its bridge. */
  private checkNodeCapacity(kubeNetwork: ipv4.Cidr, numNodes: number): void {
    if (kubeNetwork.prefix > 24) {
      this.issue('KUBE_NETWORK', 'must be a /24 or larger: each node takes a /24 of it');
      return;
    }
    const capacity = 2 ** (24 - kubeNetwork.prefix) - 1;
    if (numNodes > capacity) {
      const needed = 24 - Math.ceil(Math.log2(numNodes + 1));
      this.issue('NUM_NODES', `is more than KUBE_NETWORK=${this.raw('KUBE_NETWORK')} can hold: it has room for ${capacity} node subnets (/24 each); use a /${needed} or larger KUBE_NETWORK, or fewer nodes`);
    }
  }

  /** Every machine takes one address of NOVA_NETWORK; its network, gateway (.1) and broadcast addresses are not for machines. */
  private checkMachineAddresses(novaNetwork: ipv4.Cidr, numNodes: number): void {
    const hosts = ipv4.cidrSize(novaNetwork) - 3;
    if (hosts >= 5 && numNodes + 1 > hosts) {
      const prefix = 32 - Math.ceil(Math.log2(numNodes + 1 + 3));
      this.issue('NUM_NODES', `is more than NOVA_NETWORK=${this.raw('NOVA_NETWORK')} has addresses for: ${hosts} machines (the master and ${hosts - 1} nodes); use a /${prefix} or larger NOVA_NETWORK, or fewer nodes`);
    }
  }

  private masterAddress(novaNetwork: ipv4.Cidr): string | undefined {
    const given = this.values.MASTER_FIXED_IP?.value;
    if (given === undefined || given === '') {
      if (ipv4.cidrSize(novaNetwork) < 8) {
        this.issue('NOVA_NETWORK', 'must be a /29 or larger, to hold the gateway, the master and the nodes');
        return undefined;
      }
      return ipv4.hostAddress(novaNetwork, 2);
    }
    const address = ipv4.parseIpv4(given);
    if (address === undefined) {
      this.issue('MASTER_FIXED_IP', 'must be an IPv4 address inside NOVA_NETWORK');
      return undefined;
    }
    const offset = address - novaNetwork.network;
    if (!ipv4.cidrContains(novaNetwork, address) || offset < 2 || offset === ipv4.cidrSize(novaNetwork) - 1) {
      this.issue('MASTER_FIXED_IP', `must be a host address inside NOVA_NETWORK=${this.raw('NOVA_NETWORK')}, not its network, gateway (.1) or broadcast address`);
      return undefined;
    }
    return given;
  }
}
