import { gzipSync } from 'node:zlib';
import { dump } from 'js-yaml';
import type { WriteFile } from '../../model.js';
import type { CloudProviderConfig } from './params.js';

/** Above this size a file is sent gzip+base64 when that makes the user data smaller. */
const COMPRESS_ABOVE_BYTES = 2048;

/**
 * A `write_files` entry. Large contents are gzip-compressed and base64-encoded when that saves
 * space (Nova's user-data limit); gzip output here carries no timestamp, so the same input
 * always renders the same bytes.
 */
export function file(path: string, permissions: string, content: string): WriteFile {
  if (Buffer.byteLength(content) > COMPRESS_ABOVE_BYTES) {
    const packed = gzipSync(content, { level: 9 }).toString('base64');
    if (packed.length < Buffer.byteLength(content)) return { path, permissions, owner: 'root', encoding: 'gzip+base64', content: packed };
  }
  return { path, permissions, owner: 'root', content };
}

/**
 * A systemd `EnvironmentFile=`: values double-quoted with `\`, `"`, `` ` `` and `$` escaped, as
 * systemd's parser (and a POSIX shell) reads them back verbatim.
 */
export function environmentFile(variables: Readonly<Record<string, string | number | undefined>>): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(variables)) {
    if (value === undefined) continue;
    const text = String(value);
    if (/[\r\n]/.test(text)) throw new Error(`environment value for ${name} contains a line break`);
    lines.push(`${name}="${text.replace(/[\\"`$]/g, (ch) => `\\${ch}`)}"`);
  }
  return `${lines.join('\n')}\n`;
}

/** A gcfg (git-config style) value, always quoted so `;`, `#` and spaces survive. */
function gcfgValue(value: string): string {
  if (/[\r\n]/.test(value)) throw new Error('cloud provider settings cannot contain line breaks');
  return `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/** `/etc/cloud.conf` for the Kubernetes cloud provider (`rackspace` or `openstack`). */
export function cloudProviderConfig(provider: CloudProviderConfig): string {
  const global: Array<[string, string | undefined]> = [
    ['auth-url', provider.authUrl],
    ['username', provider.username],
    [provider.name === 'rackspace' ? 'api-key' : 'password', provider.secret],
    ['tenant-id', provider.tenantId],
    ['tenant-name', provider.tenantName],
    ['domain-name', provider.domainName],
    ['region', provider.region],
  ];
  const lines = ['[Global]'];
  for (const [key, value] of global) if (value !== undefined && value !== '') lines.push(`${key} = ${gcfgValue(value)}`);
  if (provider.name === 'rackspace') {
    // Rackspace load balancers reach nodes over ServiceNet.
    lines.push('[LoadBalancer]', `subnet-id = ${gcfgValue('11111111-1111-1111-1111-111111111111')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A kubeconfig that authenticates `user` with a bearer token (server URL given by flags). */
export function tokenKubeconfig(user: string, token: string): string {
  return dump(
    {
      apiVersion: 'v1',
      kind: 'Config',
      users: [{ name: user, user: { token } }],
      // The apiserver makes its own self-signed certificate at first boot, so no CA exists
      // before the machines do.
      clusters: [{ name: 'local', cluster: { 'insecure-skip-tls-verify': true } }],
      contexts: [{ name: 'service-account-context', context: { cluster: 'local', user } }],
      'current-context': 'service-account-context',
    },
    { lineWidth: -1 },
  );
}

/** CSV line for the apiserver's `--basic-auth-file` (`password,user,uid`). */
export function basicAuthCsv(user: string, password: string): string {
  for (const [what, value] of [['user', user], ['password', password]] as const) {
    if (/[,"\r\n]/.test(value)) throw new Error(`the admin ${what} cannot contain commas, quotes or line breaks`);
  }
  return `${password},${user},admin\n`;
}

/**
 * Fetches the release once, checks its SHA-256 when one is configured, unpacks it under /opt.
 * The URL and digest come from the unit's EnvironmentFile, never from this text.
 */
export const DOWNLOAD_RELEASE_SCRIPT = `#!/bin/bash
# Downloads the Kubernetes server release once and unpacks it to /opt/kubernetes.
# KUBE_RELEASE_URL (a temp URL, valid for a limited time) and KUBE_RELEASE_SHA256 come from
# /etc/kubernetes/release.env.
set -euo pipefail
tarball=/opt/kubernetes-server-linux-amd64.tar.gz
if [ -x /opt/kubernetes/server/bin/kube-apiserver ]; then
  echo "Kubernetes release already unpacked; skipping download."
  exit 0
fi
mkdir -p /opt
if [ ! -s "$tarball" ]; then
  echo "Downloading the Kubernetes release"
  curl --fail --silent --show-error --location --retry 10 --retry-delay 5 --output "$tarball.part" "$KUBE_RELEASE_URL"
  mv "$tarball.part" "$tarball"
fi
if [ -n "\${KUBE_RELEASE_SHA256:-}" ]; then
  echo "$KUBE_RELEASE_SHA256  $tarball" | sha256sum --check --status || {
    echo "Release digest mismatch; removing the download" >&2
    rm -f "$tarball"
    exit 1
  }
fi
echo "Unpacking the Kubernetes release"
rm -rf /opt/kubernetes
tar -xzf "$tarball" -C /opt
`;

/** Writes the apiserver's token file from the fixed tokens and the derived node tokens. */
export const GENERATE_KNOWN_TOKENS_SCRIPT = `#!/bin/bash
# Writes /var/lib/kube-apiserver/known_tokens.csv: the admin and service-account tokens from
# /etc/kubernetes/known_tokens.base.csv, then a kubelet and a kube-proxy token for each node,
# HMAC-SHA256(node token key, "<role>:<node name>") cut to 128 bits, as rax-kube derives them.
# INSTANCE_PREFIX and NUM_NODES come from /etc/kubernetes/cluster.env.
set -euo pipefail
umask 077
out=/var/lib/kube-apiserver/known_tokens.csv
key=$(cat /etc/kubernetes/node-token.key)
mkdir -p /var/lib/kube-apiserver
{
  cat /etc/kubernetes/known_tokens.base.csv
  for i in $(seq 1 "$NUM_NODES"); do
    node="$INSTANCE_PREFIX-node-$i"
    for role in kubelet kube-proxy; do
      token=$(printf '%s:%s' "$role" "$node" | openssl dgst -sha256 -hmac "$key" -r | cut -c1-32)
      echo "$token,$role,$role-$node"
    done
  done
} > "$out.tmp"
mv "$out.tmp" "$out"
`;

/** Lists the advertised apiservers into an environment file for kubelet and kube-proxy. */
export const REGEN_APISERVER_LIST_SCRIPT = `#!/bin/bash
# Writes /run/kubelet/apiservers.env from the apiservers the master advertises in etcd.
# With --wait, waits until at least one is advertised.
set -uo pipefail
while true; do
  servers=$(etcdctl ls --recursive /corekube/apiservers 2>/dev/null | cut -d/ -f4 | sort | paste -sd, -)
  if [ -n "$servers" ] || [ "\${1:-}" != "--wait" ]; then break; fi
  sleep 5
done
mkdir -p /run/kubelet
{
  echo "APISERVER_IPS=$servers"
  echo "FIRST_APISERVER_URL=https://\${servers%%,*}:443"
} > /run/kubelet/apiservers.env.tmp
mv /run/kubelet/apiservers.env.tmp /run/kubelet/apiservers.env
`;
