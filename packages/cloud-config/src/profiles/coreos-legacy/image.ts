import { RELEASE_BIN, RELEASE_BINARIES } from './common.js';

/**
 * What a CoreOS (stable, 2015-2016 era) image provides that the legacy documents rely on: the
 * units they start or extend without shipping them, and the programs their units run. Used to
 * check rendered units against the machine (e.g. by `systemd-analyze verify` in a scratch root).
 */
export const COREOS_IMAGE = {
  units: ['etcd2.service', 'fleet.service', 'flanneld.service', 'docker.service', 'docker.socket', 'systemd-networkd.service'],
  executables: [
    '/usr/bin/bash',
    '/usr/bin/sh',
    '/usr/bin/etcdctl',
    '/usr/bin/docker',
    '/usr/bin/mkdir',
    '/usr/bin/openssl',
    '/usr/bin/curl',
    '/usr/bin/tar',
    '/usr/bin/sha256sum',
    '/usr/sbin/iptables',
  ],
} as const;

/** Programs the Kubernetes server release puts on the machine once unpacked. */
export const RELEASE_EXECUTABLES: readonly string[] = RELEASE_BINARIES.map((binary) => `${RELEASE_BIN}/${binary}`);
