/**
 * Typed model of a CoreOS cloud-config document (coreos-cloudinit). Property names are the YAML
 * keys exactly as coreos-cloudinit reads them, so the model maps 1:1 onto the rendered YAML.
 * coreos-cloudinit also accepts `-` for `_` in keys; this model always uses the `_` spelling.
 */

/** `write_files[].encoding` values coreos-cloudinit understands. */
export const FILE_ENCODINGS = ['b64', 'base64', 'gz', 'gzip', 'gz+base64', 'gzip+base64', 'gz+b64', 'gzip+b64'] as const;
export type FileEncoding = (typeof FILE_ENCODINGS)[number];

/** `coreos.units[].command` values: the systemctl verbs coreos-cloudinit runs. */
export const UNIT_COMMANDS = [
  'start',
  'stop',
  'reload',
  'restart',
  'try-restart',
  'reload-or-restart',
  'reload-or-try-restart',
] as const;
export type UnitCommand = (typeof UNIT_COMMANDS)[number];

export const REBOOT_STRATEGIES = ['best-effort', 'etcd-lock', 'reboot', 'off'] as const;
export type RebootStrategy = (typeof REBOOT_STRATEGIES)[number];

export interface CloudConfig {
  hostname?: string;
  manage_etc_hosts?: 'localhost';
  ssh_authorized_keys?: string[];
  users?: User[];
  write_files?: WriteFile[];
  coreos?: CoreOSSection;
}

export interface User {
  name: string;
  passwd?: string;
  gecos?: string;
  homedir?: string;
  no_create_home?: boolean;
  primary_group?: string;
  groups?: string[];
  no_user_group?: boolean;
  system?: boolean;
  no_log_init?: boolean;
  shell?: string;
  ssh_authorized_keys?: string[];
  coreos_ssh_import_github?: string;
  coreos_ssh_import_github_users?: string[];
  coreos_ssh_import_url?: string;
}

export interface WriteFile {
  path: string;
  content?: string;
  /** Octal mode as a STRING, e.g. `'0600'`: an unquoted YAML 0600 would be read as a number. */
  permissions?: string;
  /** `user`, `user:group`, or numeric ids. */
  owner?: string;
  encoding?: FileEncoding;
}

export interface CoreOSSection {
  etcd?: EtcdSection;
  etcd2?: Etcd2Section;
  flannel?: FlannelSection;
  fleet?: FleetSection;
  locksmith?: LocksmithSection;
  update?: UpdateSection;
  oem?: OemSection;
  units?: Unit[];
}

/** etcd 0.4 (`etcd.service`). */
export interface EtcdSection {
  addr?: string;
  bind_addr?: string;
  ca_file?: string;
  cert_file?: string;
  cluster_active_size?: number;
  cluster_remove_delay?: number;
  cluster_sync_interval?: number;
  cors?: string;
  data_dir?: string;
  discovery?: string;
  graphite_host?: string;
  http_read_timeout?: number;
  http_write_timeout?: number;
  key_file?: string;
  max_result_buffer?: number;
  max_retry_attempts?: number;
  name?: string;
  peer_addr?: string;
  peer_bind_addr?: string;
  peer_ca_file?: string;
  peer_cert_file?: string;
  peer_election_timeout?: number;
  peer_heartbeat_interval?: number;
  peer_key_file?: string;
  peers?: string;
  peers_file?: string;
  retry_interval?: number;
  snapshot?: boolean;
  snapshot_count?: number;
  verbose?: boolean;
  very_verbose?: boolean;
}

/** etcd 2.x (`etcd2.service`): each key becomes an `ETCD_*` variable in a drop-in. */
export interface Etcd2Section {
  advertise_client_urls?: string;
  ca_file?: string;
  cert_file?: string;
  client_cert_auth?: boolean;
  cors?: string;
  data_dir?: string;
  debug?: boolean;
  discovery?: string;
  discovery_fallback?: string;
  discovery_srv?: string;
  discovery_proxy?: string;
  election_timeout?: number;
  enable_pprof?: boolean;
  force_new_cluster?: boolean;
  heartbeat_interval?: number;
  initial_advertise_peer_urls?: string;
  initial_cluster?: string;
  initial_cluster_state?: 'new' | 'existing';
  initial_cluster_token?: string;
  key_file?: string;
  listen_client_urls?: string;
  listen_peer_urls?: string;
  log_package_levels?: string;
  max_snapshots?: number;
  max_wals?: number;
  name?: string;
  peer_ca_file?: string;
  peer_cert_file?: string;
  peer_key_file?: string;
  peer_client_cert_auth?: boolean;
  peer_trusted_ca_file?: string;
  proxy?: 'on' | 'off' | 'readonly';
  proxy_dial_timeout?: number;
  proxy_failure_wait?: number;
  proxy_read_timeout?: number;
  proxy_refresh_interval?: number;
  proxy_write_timeout?: number;
  snapshot_count?: number;
  strict_reconfig_check?: boolean;
  trusted_ca_file?: string;
  wal_dir?: string;
}

export interface FlannelSection {
  etcd_endpoints?: string;
  etcd_cafile?: string;
  etcd_certfile?: string;
  etcd_keyfile?: string;
  etcd_prefix?: string;
  etcd_username?: string;
  etcd_password?: string;
  ip_masq?: boolean;
  subnet_file?: string;
  interface?: string;
  public_ip?: string;
}

export interface FleetSection {
  agent_ttl?: string;
  disable_engine?: boolean;
  disable_watches?: boolean;
  engine_reconcile_interval?: number;
  etcd_cafile?: string;
  etcd_certfile?: string;
  etcd_keyfile?: string;
  etcd_key_prefix?: string;
  etcd_request_timeout?: number;
  etcd_servers?: string;
  etcd_username?: string;
  etcd_password?: string;
  metadata?: string;
  public_ip?: string;
  token_limit?: number;
  verbosity?: number;
}

export interface LocksmithSection {
  endpoint?: string;
  etcd_cafile?: string;
  etcd_certfile?: string;
  etcd_keyfile?: string;
  etcd_username?: string;
  etcd_password?: string;
  group?: string;
  window_start?: string;
  window_length?: string;
}

export interface UpdateSection {
  reboot_strategy?: RebootStrategy;
  group?: string;
  server?: string;
}

export interface OemSection {
  id?: string;
  name?: string;
  version_id?: string;
  home_url?: string;
  bug_report_url?: string;
}

export interface Unit {
  name: string;
  mask?: boolean;
  enable?: boolean;
  runtime?: boolean;
  /** The unit file itself; omit to act on a unit the machine image ships (e.g. `docker.service`). */
  content?: string;
  command?: UnitCommand;
  drop_ins?: DropIn[];
}

export interface DropIn {
  /** File name in `<unit>.d/`; must end in `.conf`. */
  name: string;
  content: string;
}

/**
 * The keys each mapping accepts. The validator warns on anything else; it is also the single
 * list the property tests draw field names from.
 */
export const KNOWN_KEYS = {
  root: ['hostname', 'manage_etc_hosts', 'ssh_authorized_keys', 'users', 'write_files', 'coreos'],
  user: [
    'name', 'passwd', 'gecos', 'homedir', 'no_create_home', 'primary_group', 'groups', 'no_user_group', 'system',
    'no_log_init', 'shell', 'ssh_authorized_keys', 'coreos_ssh_import_github', 'coreos_ssh_import_github_users',
    'coreos_ssh_import_url',
  ],
  write_file: ['path', 'content', 'permissions', 'owner', 'encoding'],
  coreos: ['etcd', 'etcd2', 'flannel', 'fleet', 'locksmith', 'update', 'oem', 'units'],
  etcd: [
    'addr', 'bind_addr', 'ca_file', 'cert_file', 'cluster_active_size', 'cluster_remove_delay', 'cluster_sync_interval',
    'cors', 'data_dir', 'discovery', 'graphite_host', 'http_read_timeout', 'http_write_timeout', 'key_file',
    'max_result_buffer', 'max_retry_attempts', 'name', 'peer_addr', 'peer_bind_addr', 'peer_ca_file', 'peer_cert_file',
    'peer_election_timeout', 'peer_heartbeat_interval', 'peer_key_file', 'peers', 'peers_file', 'retry_interval',
    'snapshot', 'snapshot_count', 'verbose', 'very_verbose',
  ],
  etcd2: [
    'advertise_client_urls', 'ca_file', 'cert_file', 'client_cert_auth', 'cors', 'data_dir', 'debug', 'discovery',
    'discovery_fallback', 'discovery_srv', 'discovery_proxy', 'election_timeout', 'enable_pprof', 'force_new_cluster',
    'heartbeat_interval', 'initial_advertise_peer_urls', 'initial_cluster', 'initial_cluster_state',
    'initial_cluster_token', 'key_file', 'listen_client_urls', 'listen_peer_urls', 'log_package_levels',
    'max_snapshots', 'max_wals', 'name', 'peer_ca_file', 'peer_cert_file', 'peer_key_file', 'peer_client_cert_auth',
    'peer_trusted_ca_file', 'proxy', 'proxy_dial_timeout', 'proxy_failure_wait', 'proxy_read_timeout',
    'proxy_refresh_interval', 'proxy_write_timeout', 'snapshot_count', 'strict_reconfig_check', 'trusted_ca_file',
    'wal_dir',
  ],
  flannel: [
    'etcd_endpoints', 'etcd_cafile', 'etcd_certfile', 'etcd_keyfile', 'etcd_prefix', 'etcd_username', 'etcd_password',
    'ip_masq', 'subnet_file', 'interface', 'public_ip',
  ],
  fleet: [
    'agent_ttl', 'disable_engine', 'disable_watches', 'engine_reconcile_interval', 'etcd_cafile', 'etcd_certfile',
    'etcd_keyfile', 'etcd_key_prefix', 'etcd_request_timeout', 'etcd_servers', 'etcd_username', 'etcd_password',
    'metadata', 'public_ip', 'token_limit', 'verbosity',
  ],
  locksmith: [
    'endpoint', 'etcd_cafile', 'etcd_certfile', 'etcd_keyfile', 'etcd_username', 'etcd_password', 'group',
    'window_start', 'window_length',
  ],
  update: ['reboot_strategy', 'group', 'server'],
  oem: ['id', 'name', 'version_id', 'home_url', 'bug_report_url'],
  unit: ['name', 'mask', 'enable', 'runtime', 'content', 'command', 'drop_ins'],
  drop_in: ['name', 'content'],
} as const satisfies Record<string, readonly string[]>;
