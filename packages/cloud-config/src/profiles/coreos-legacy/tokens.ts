import { createHmac } from 'node:crypto';
import { NODE_TOKEN_ROLES, SERVICE_ACCOUNTS, nodeName } from './params.js';
import type { LegacyClusterParams, NodeTokenRole } from './params.js';

/**
 * A node's bearer token for `role`: the first 128 bits of HMAC-SHA256(nodeTokenKey,
 * "<role>:<node name>"), in hex. Every token is distinct and unguessable without the key, and
 * the master derives the same values at boot (`generate-known-tokens.sh`, with openssl), so
 * its user data does not grow with the node count: 2000 independent random tokens would not
 * fit in Nova's 64 KiB user-data limit even gzip-compressed.
 */
export function nodeToken(nodeTokenKey: string, role: NodeTokenRole, node: string): string {
  return createHmac('sha256', nodeTokenKey).update(`${role}:${node}`).digest('hex').slice(0, 32);
}

/** The tokens that do not depend on the node count: admin and service accounts (`token,user,uid`). */
export function fixedTokenLines(params: Pick<LegacyClusterParams, 'secrets'>): string[] {
  const { secrets } = params;
  return [
    `${secrets.adminToken},admin,admin`,
    ...SERVICE_ACCOUNTS.map((account) => `${secrets.serviceAccountTokens[account]},${account},${account}`),
  ];
}

/** The apiserver's complete `known_tokens.csv`, exactly as the master generates it at boot. */
export function knownTokensCsv(params: Pick<LegacyClusterParams, 'secrets' | 'clusterName' | 'numNodes'>): string {
  const lines = fixedTokenLines(params);
  for (let index = 1; index <= params.numNodes; index++) {
    const node = nodeName(params, index);
    for (const role of NODE_TOKEN_ROLES) lines.push(`${nodeToken(params.secrets.nodeTokenKey, role, node)},${role},${role}-${node}`);
  }
  return `${lines.join('\n')}\n`;
}
