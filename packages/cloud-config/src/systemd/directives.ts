/**
 * Which directives belong in which section, per systemd.unit(5), systemd.service(5),
 * systemd.exec(5), systemd.kill(5), systemd.resource-control(5), systemd.socket(5),
 * systemd.timer(5), systemd.path(5), systemd.mount(5) and systemd.network(5) / systemd.netdev(5).
 * Not exhaustive: a key missing here is reported as a warning, but a key that is known to
 * belong to ANOTHER section (the original's `Restart=` under `[Unit]`) is an error, because
 * systemd ignores it there and the behaviour silently differs from what was written.
 */

const UNIT = [
  'Description', 'Documentation', 'Wants', 'Requires', 'Requisite', 'BindsTo', 'PartOf', 'Upholds', 'Conflicts',
  'Before', 'After', 'OnFailure', 'OnSuccess', 'PropagatesReloadTo', 'ReloadPropagatedFrom', 'PropagatesStopTo',
  'StopPropagatedFrom', 'JoinsNamespaceOf', 'RequiresMountsFor', 'OnFailureJobMode', 'IgnoreOnIsolate',
  'StopWhenUnneeded', 'RefuseManualStart', 'RefuseManualStop', 'AllowIsolate', 'DefaultDependencies',
  'CollectMode', 'FailureAction', 'SuccessAction', 'FailureActionExitStatus', 'SuccessActionExitStatus',
  'JobTimeoutSec', 'JobRunningTimeoutSec', 'JobTimeoutAction', 'JobTimeoutRebootArgument', 'StartLimitIntervalSec',
  'StartLimitBurst', 'StartLimitAction', 'RebootArgument', 'SourcePath', 'ConditionArchitecture',
  'ConditionFirmware', 'ConditionVirtualization', 'ConditionHost', 'ConditionKernelCommandLine',
  'ConditionKernelVersion', 'ConditionEnvironment', 'ConditionSecurity', 'ConditionCapability',
  'ConditionACPower', 'ConditionNeedsUpdate', 'ConditionFirstBoot', 'ConditionPathExists',
  'ConditionPathExistsGlob', 'ConditionPathIsDirectory', 'ConditionPathIsSymbolicLink',
  'ConditionPathIsMountPoint', 'ConditionPathIsReadWrite', 'ConditionPathIsEncrypted',
  'ConditionDirectoryNotEmpty', 'ConditionFileNotEmpty', 'ConditionFileIsExecutable', 'ConditionUser',
  'ConditionGroup', 'ConditionControlGroupController', 'ConditionMemory', 'ConditionCPUs', 'AssertPathExists',
  'AssertPathIsDirectory', 'AssertFileNotEmpty', 'AssertFileIsExecutable', 'StartLimitInterval',
];

const INSTALL = ['Alias', 'WantedBy', 'RequiredBy', 'UpheldBy', 'Also', 'DefaultInstance'];

/** systemd.exec(5), systemd.kill(5) and systemd.resource-control(5): shared by several unit types. */
const EXEC_KILL_RESOURCES = [
  'WorkingDirectory', 'RootDirectory', 'RootImage', 'User', 'Group', 'DynamicUser', 'SupplementaryGroups',
  'PAMName', 'CapabilityBoundingSet', 'AmbientCapabilities', 'NoNewPrivileges', 'SecureBits', 'Environment',
  'EnvironmentFile', 'PassEnvironment', 'UnsetEnvironment', 'StandardInput', 'StandardOutput', 'StandardError',
  'SyslogIdentifier', 'SyslogFacility', 'SyslogLevel', 'SyslogLevelPrefix', 'LogLevelMax', 'LogExtraFields',
  'TTYPath', 'TTYReset', 'TTYVHangup', 'UMask', 'Nice', 'CPUSchedulingPolicy', 'CPUSchedulingPriority',
  'CPUAffinity', 'IOSchedulingClass', 'IOSchedulingPriority', 'OOMScoreAdjust', 'TimerSlackNSec',
  'Personality', 'LimitCPU', 'LimitFSIZE', 'LimitDATA', 'LimitSTACK', 'LimitCORE', 'LimitRSS', 'LimitNOFILE',
  'LimitAS', 'LimitNPROC', 'LimitMEMLOCK', 'LimitLOCKS', 'LimitSIGPENDING', 'LimitMSGQUEUE', 'LimitNICE',
  'LimitRTPRIO', 'LimitRTTIME', 'PrivateTmp', 'PrivateDevices', 'PrivateNetwork', 'PrivateUsers',
  'ProtectSystem', 'ProtectHome', 'ProtectKernelTunables', 'ProtectKernelModules', 'ProtectControlGroups',
  'ReadWritePaths', 'ReadOnlyPaths', 'InaccessiblePaths', 'BindPaths', 'BindReadOnlyPaths', 'MountFlags',
  'RuntimeDirectory', 'RuntimeDirectoryMode', 'StateDirectory', 'CacheDirectory', 'LogsDirectory',
  'ConfigurationDirectory', 'SystemCallFilter', 'SystemCallArchitectures', 'SystemCallErrorNumber',
  'RestrictAddressFamilies', 'RestrictNamespaces', 'RestrictRealtime', 'LockPersonality',
  'MemoryDenyWriteExecute', 'RemoveIPC', 'KeyringMode', 'Slice', 'Delegate', 'CPUAccounting', 'CPUWeight',
  'CPUShares', 'CPUQuota', 'MemoryAccounting', 'MemoryLow', 'MemoryHigh', 'MemoryMax', 'MemoryLimit',
  'MemorySwapMax', 'TasksAccounting', 'TasksMax', 'IOAccounting', 'IOWeight', 'BlockIOAccounting',
  'BlockIOWeight', 'DeviceAllow', 'DevicePolicy', 'IPAccounting', 'IPAddressAllow', 'IPAddressDeny',
  'KillMode', 'KillSignal', 'SendSIGHUP', 'SendSIGKILL', 'FinalKillSignal', 'RestartKillSignal',
];

const SERVICE = [
  'Type', 'RemainAfterExit', 'GuessMainPID', 'PIDFile', 'BusName', 'ExecStart', 'ExecStartPre', 'ExecStartPost',
  'ExecCondition', 'ExecReload', 'ExecStop', 'ExecStopPost', 'RestartSec', 'TimeoutStartSec', 'TimeoutStopSec',
  'TimeoutAbortSec', 'TimeoutSec', 'RuntimeMaxSec', 'WatchdogSec', 'Restart', 'SuccessExitStatus',
  'RestartPreventExitStatus', 'RestartForceExitStatus', 'RootDirectoryStartOnly', 'NonBlocking', 'NotifyAccess',
  'Sockets', 'FileDescriptorStoreMax', 'USBFunctionDescriptors', 'USBFunctionStrings', 'OOMPolicy',
  'StartLimitInterval', 'StartLimitBurst', 'StartLimitAction', 'PermissionsStartOnly',
  ...EXEC_KILL_RESOURCES,
];

const SOCKET = [
  'ListenStream', 'ListenDatagram', 'ListenSequentialPacket', 'ListenFIFO', 'ListenSpecial', 'ListenNetlink',
  'ListenMessageQueue', 'ListenUSBFunction', 'SocketProtocol', 'BindIPv6Only', 'Backlog', 'BindToDevice',
  'SocketUser', 'SocketGroup', 'SocketMode', 'DirectoryMode', 'Accept', 'Writable', 'MaxConnections',
  'MaxConnectionsPerSource', 'KeepAlive', 'NoDelay', 'Priority', 'ReceiveBuffer', 'SendBuffer', 'IPTOS', 'IPTTL',
  'Mark', 'ReusePort', 'FreeBind', 'Transparent', 'Broadcast', 'PassCredentials', 'PassSecurity', 'Service',
  'RemoveOnStop', 'Symlinks', 'FileDescriptorName', 'TriggerLimitIntervalSec', 'TriggerLimitBurst', 'ExecStartPre',
  'ExecStartPost', 'ExecStopPre', 'ExecStopPost', 'TimeoutSec', ...EXEC_KILL_RESOURCES,
];

const TIMER = [
  'OnActiveSec', 'OnBootSec', 'OnStartupSec', 'OnUnitActiveSec', 'OnUnitInactiveSec', 'OnCalendar', 'AccuracySec',
  'RandomizedDelaySec', 'Unit', 'Persistent', 'WakeSystem', 'RemainAfterElapse',
];

const PATH = ['PathExists', 'PathExistsGlob', 'PathChanged', 'PathModified', 'DirectoryNotEmpty', 'Unit', 'MakeDirectory', 'DirectoryMode'];

const MOUNT = ['What', 'Where', 'Type', 'Options', 'SloppyOptions', 'LazyUnmount', 'ForceUnmount', 'DirectoryMode', 'TimeoutSec', ...EXEC_KILL_RESOURCES];

const NETDEV = ['Description', 'Name', 'Kind', 'MTUBytes', 'MACAddress'];
const MATCH = ['MACAddress', 'PermanentMACAddress', 'Path', 'Driver', 'Type', 'Name', 'Property', 'Host', 'Virtualization', 'KernelCommandLine', 'KernelVersion', 'Architecture'];
const NETWORK = [
  'Description', 'DHCP', 'DHCPServer', 'LinkLocalAddressing', 'IPv6AcceptRA', 'LLMNR', 'MulticastDNS', 'DNSSEC',
  'LLDP', 'EmitLLDP', 'BindCarrier', 'Address', 'Gateway', 'DNS', 'Domains', 'NTP', 'IPForward', 'IPMasquerade',
  'IPv6PrivacyExtensions', 'Bridge', 'Bond', 'VLAN', 'MACVLAN', 'VXLAN', 'Tunnel', 'ConfigureWithoutCarrier',
];

/** Sections each unit type (file suffix) may hold. */
export const SECTIONS_BY_SUFFIX: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  service: { Unit: UNIT, Service: SERVICE, Install: INSTALL },
  socket: { Unit: UNIT, Socket: SOCKET, Install: INSTALL },
  timer: { Unit: UNIT, Timer: TIMER, Install: INSTALL },
  path: { Unit: UNIT, Path: PATH, Install: INSTALL },
  mount: { Unit: UNIT, Mount: MOUNT, Install: INSTALL },
  automount: { Unit: UNIT, Automount: ['Where', 'DirectoryMode', 'TimeoutIdleSec'], Install: INSTALL },
  swap: { Unit: UNIT, Swap: ['What', 'Priority', 'Options', 'TimeoutSec', ...EXEC_KILL_RESOURCES], Install: INSTALL },
  target: { Unit: UNIT, Install: INSTALL },
  slice: { Unit: UNIT, Slice: EXEC_KILL_RESOURCES, Install: INSTALL },
  scope: { Unit: UNIT, Scope: EXEC_KILL_RESOURCES },
  device: { Unit: UNIT, Install: INSTALL },
  netdev: { Match: MATCH, NetDev: NETDEV, Bridge: ['HelloTimeSec', 'MaxAgeSec', 'ForwardDelaySec', 'STP', 'Priority'] },
  network: {
    Match: MATCH,
    Link: ['MACAddress', 'MTUBytes', 'ARP', 'Unmanaged', 'RequiredForOnline'],
    Network: NETWORK,
    Address: ['Address', 'Peer', 'Broadcast', 'Label', 'Scope'],
    Route: ['Gateway', 'Destination', 'Source', 'Metric', 'Scope', 'Table'],
    DHCP: ['UseDNS', 'UseNTP', 'UseMTU', 'SendHostname', 'UseHostname', 'Hostname', 'UseDomains', 'UseRoutes', 'CriticalConnection', 'ClientIdentifier', 'RouteMetric'],
  },
  link: {
    Match: MATCH,
    Link: ['Description', 'Alias', 'MACAddressPolicy', 'MACAddress', 'NamePolicy', 'Name', 'MTUBytes', 'BitsPerSecond', 'Duplex', 'WakeOnLan'],
  },
};

/** Suffixes coreos-cloudinit accepts in `coreos.units[].name`. */
export const UNIT_SUFFIXES = Object.keys(SECTIONS_BY_SUFFIX);

/** systemd-networkd files: coreos-cloudinit restarts networkd for these rather than running a command. */
export const NETWORKD_SUFFIXES = ['network', 'netdev', 'link'];

export function unitSuffix(unitName: string): string | undefined {
  const dot = unitName.lastIndexOf('.');
  return dot < 0 ? undefined : unitName.slice(dot + 1);
}
