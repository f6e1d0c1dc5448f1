import { gunzipSync } from 'node:zlib';
import { coreosLegacy, parse, validate } from '@rax-kube/cloud-config';
import type { Finding } from '@rax-kube/cloud-config';
import { parseCsv } from './csv.js';
import { parseEnvironmentFile } from './environment-file.js';

/** What the stand-in apiserver accepts: `--basic-auth-file` users and `--token-auth-file` tokens. */
export interface FakeMasterCredentials {
  basicAuth: Array<{ user: string; password: string }>;
  tokens: Set<string>;
}

/** The files of the master's user data the apiserver's credentials come from (coreos-legacy profile). */
export const MASTER_CREDENTIAL_FILES = {
  basicAuth: '/var/lib/kube-apiserver/basic_auth.csv',
  knownTokensBase: '/etc/kubernetes/known_tokens.base.csv',
  nodeTokenKey: '/etc/kubernetes/node-token.key',
  clusterEnv: '/etc/kubernetes/cluster.env',
} as const;

/** More nodes than this is a corrupt `cluster.env`, not a cluster (cluster-up allows 1000). */
const MAX_NODES = 10_000;

function fail(message: string): never {
  throw new Error(`master user data: ${message}`);
}

/** A `write_files` content as coreos-cloudinit writes it: base64 and gzip per `encoding`. */
function decodeContent(path: string, content: unknown, encoding: unknown): string {
  if (content === undefined || content === null) return '';
  if (typeof content !== 'string') fail(`${path}: content is not a string`);
  if (encoding === undefined || encoding === null || encoding === '') return content;
  if (typeof encoding !== 'string') fail(`${path}: encoding is not a string`);
  const isBase64 = encoding.includes('b64') || encoding.includes('base64');
  const isGzip = encoding.startsWith('gz');
  let bytes = isBase64 ? Buffer.from(content.replace(/\s+/g, ''), 'base64') : Buffer.from(content, 'latin1');
  if (isGzip) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      fail(`${path}: content is not valid ${encoding}`);
    }
  }
  return bytes.toString('utf8');
}

/** The decoded contents of `write_files` by path; a later entry for the same path wins, as on the machine. */
function writtenFiles(userData: string): Map<string, string> {
  let document: unknown;
  try {
    document = parse(userData);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const report = validate(document);
  if (!report.valid) {
    const errors = report.findings.filter((finding: Finding) => finding.severity === 'error');
    const shown = errors.slice(0, 3).map((finding) => `${finding.path}: ${finding.message}`);
    const more = errors.length > shown.length ? ` (and ${errors.length - shown.length} more)` : '';
    fail(`not a valid cloud-config: ${shown.join('; ')}${more}`);
  }
  const files = new Map<string, string>();
  const entries = (document as { write_files?: unknown }).write_files;
  if (!Array.isArray(entries)) return files;
  for (const entry of entries as Array<{ path?: unknown; content?: unknown; encoding?: unknown }>) {
    if (typeof entry.path === 'string') files.set(entry.path, decodeContent(entry.path, entry.content, entry.encoding));
  }
  return files;
}

function requireFile(files: ReadonlyMap<string, string>, path: string): string {
  const content = files.get(path);
  if (content === undefined) fail(`write_files has no ${path}; is this the master's user data?`);
  return content;
}

/** Records of a `password,user,uid` / `token,user,uid` file, each with at least three fields and a non-empty secret. */
function credentialRecords(path: string, text: string): string[][] {
  const records = parseCsv(text, path);
  for (const [index, record] of records.entries()) {
    if (record.length < 3) fail(`${path}: record ${index + 1} has ${record.length} fields, needs at least 3`);
    if (record[0] === '' || record[1] === '') fail(`${path}: record ${index + 1} has an empty secret or user`);
  }
  return records;
}

/**
 * Reads the apiserver credentials the master's user data carries, exactly as the machine would
 * at boot: the basic-auth users of `basic_auth.csv`, and the tokens `generate-known-tokens.sh`
 * writes to `known_tokens.csv` — the admin and service-account tokens of
 * `known_tokens.base.csv`, then for nodes 1 to `NUM_NODES` of `cluster.env` a kubelet and a
 * kube-proxy token derived from `node-token.key` (whose trailing newlines `$(cat ...)` drops).
 * Throws an Error naming the problem (never a secret) if the text is not a valid cloud-config or
 * lacks one of these files.
 */
export function credentialsFromUserData(userData: string): FakeMasterCredentials {
  const files = writtenFiles(userData);
  const paths = MASTER_CREDENTIAL_FILES;

  const basicAuth = credentialRecords(paths.basicAuth, requireFile(files, paths.basicAuth)).map(([password = '', user = '']) => ({ user, password }));
  if (basicAuth.length === 0) fail(`${paths.basicAuth} has no users`);

  const tokens = new Set(credentialRecords(paths.knownTokensBase, requireFile(files, paths.knownTokensBase)).map(([token = '']) => token));

  const key = requireFile(files, paths.nodeTokenKey).replace(/\n+$/, '');
  if (key === '') fail(`${paths.nodeTokenKey} is empty`);

  const clusterEnv = requireFile(files, paths.clusterEnv);
  let environment: Map<string, string>;
  try {
    environment = parseEnvironmentFile(clusterEnv);
  } catch (error) {
    fail(`${paths.clusterEnv}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const prefix = environment.get('INSTANCE_PREFIX');
  const numNodesText = environment.get('NUM_NODES');
  if (prefix === undefined || prefix === '') fail(`${paths.clusterEnv} does not set INSTANCE_PREFIX`);
  if (numNodesText === undefined) fail(`${paths.clusterEnv} does not set NUM_NODES`);
  if (!/^\d+$/.test(numNodesText)) fail(`${paths.clusterEnv}: NUM_NODES="${numNodesText}" is not a whole number`);
  const numNodes = Number(numNodesText);
  if (numNodes > MAX_NODES) fail(`${paths.clusterEnv}: NUM_NODES=${numNodes} is more than ${MAX_NODES}`);

  for (let index = 1; index <= numNodes; index++) {
    for (const role of coreosLegacy.NODE_TOKEN_ROLES) tokens.add(coreosLegacy.nodeToken(key, role, `${prefix}-node-${index}`));
  }
  return { basicAuth, tokens };
}
