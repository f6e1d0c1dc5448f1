/** Facts about the Kubernetes server release tarball that every module here relies on. */

export const SERVER_TARBALL_NAME = 'kubernetes-server-linux-amd64.tar.gz';

/** Where the five server binaries live inside the tarball (as `kube-up` unpacked it to /opt/kubernetes). */
export const SERVER_BIN_DIR = 'kubernetes/server/bin';

/** The binaries the master and node cloud-configs start; a tarball without any of them is unusable. */
export const REQUIRED_SERVER_BINARIES = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubelet',
  'kube-proxy',
] as const;

export type ServerBinary = (typeof REQUIRED_SERVER_BINARIES)[number];

export const requiredBinaryPaths = (): string[] => REQUIRED_SERVER_BINARIES.map((b) => `${SERVER_BIN_DIR}/${b}`);
