import { gunzipSync } from 'node:zlib';
import { FILE_ENCODINGS, KNOWN_KEYS, REBOOT_STRATEGIES, UNIT_COMMANDS } from './model.js';
import { childPath, makeReport } from './report.js';
import type { Finding, ValidationReport } from './report.js';
import { serialize } from './yaml.js';
import type { CloudConfig } from './model.js';
import { NETWORKD_SUFFIXES, SECTIONS_BY_SUFFIX, UNIT_SUFFIXES, unitSuffix } from './systemd/directives.js';
import { parseUnitFile } from './systemd/unit-file.js';
import { NOVA_USER_DATA_LIMIT, userDataSize } from './user-data.js';

type Mapping = Record<string, unknown>;
type KnownKeys = keyof typeof KNOWN_KEYS;

/** Scalar sections whose values are typed per key; anything else there must be a string. */
const SECTION_BOOLEANS = new Set([
  'client_cert_auth', 'debug', 'enable_pprof', 'force_new_cluster', 'peer_client_cert_auth', 'strict_reconfig_check',
  'ip_masq', 'disable_engine', 'disable_watches', 'snapshot', 'verbose', 'very_verbose',
]);
const SECTION_NUMBERS = new Set([
  'election_timeout', 'heartbeat_interval', 'max_snapshots', 'max_wals', 'proxy_dial_timeout', 'proxy_failure_wait',
  'proxy_read_timeout', 'proxy_refresh_interval', 'proxy_write_timeout', 'snapshot_count', 'engine_reconcile_interval',
  'etcd_request_timeout', 'token_limit', 'verbosity', 'cluster_active_size', 'cluster_remove_delay',
  'cluster_sync_interval', 'http_read_timeout', 'http_write_timeout', 'max_result_buffer', 'max_retry_attempts',
  'peer_election_timeout', 'peer_heartbeat_interval', 'retry_interval',
]);
const ENUMS: Readonly<Record<string, readonly string[]>> = {
  'update.reboot_strategy': REBOOT_STRATEGIES,
  'etcd2.proxy': ['on', 'off', 'readonly'],
  'etcd2.initial_cluster_state': ['new', 'existing'],
};

const HOSTNAME_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const UNIT_NAME = /^[A-Za-z0-9:_.\\@-]+$/;
const SSH_KEY = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( .*)?$/;
const PERMISSIONS = /^0?[0-7]{3,4}$/;
const OWNER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/;

/**
 * Checks a cloud-config document (typed, or straight out of a YAML parser) against what
 * coreos-cloudinit and systemd accept. Never throws: every problem is a finding with a path.
 */
export function validate(doc: CloudConfig | unknown): ValidationReport {
  const findings: Finding[] = [];
  const out = new Findings(findings);
  if (!isMapping(doc)) {
    out.error('$', 'a cloud-config document must be a mapping of top-level keys');
    return makeReport(findings);
  }
  checkKeys(out, '$', doc, 'root');
  if (doc.hostname !== undefined) checkHostname(out, '$.hostname', doc.hostname);
  if (doc.manage_etc_hosts !== undefined && doc.manage_etc_hosts !== 'localhost') {
    out.error('$.manage_etc_hosts', `must be "localhost" (the only value coreos-cloudinit supports), got ${show(doc.manage_etc_hosts)}`);
  }
  checkSshKeys(out, '$.ssh_authorized_keys', doc.ssh_authorized_keys);
  forEachItem(out, '$.users', doc.users, 'user', (path, user) => checkUser(out, path, user));
  checkDuplicates(out, '$.users', doc.users, 'name', 'user name');
  forEachItem(out, '$.write_files', doc.write_files, 'write_file', (path, file) => checkWriteFile(out, path, file));
  checkDuplicates(out, '$.write_files', doc.write_files, 'path', 'file path');
  if (doc.coreos !== undefined) checkCoreOS(out, '$.coreos', doc.coreos);
  if (findings.every((f) => f.severity !== 'error')) checkSize(out, doc as CloudConfig);
  return makeReport(findings);
}

class Findings {
  constructor(private readonly list: Finding[]) {}
  error(path: string, message: string): void {
    this.list.push({ severity: 'error', path, message });
  }
  warning(path: string, message: string): void {
    this.list.push({ severity: 'warning', path, message });
  }
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${String(value)}`;
}

function checkKeys(out: Findings, path: string, value: Mapping, kind: KnownKeys): void {
  const known: readonly string[] = KNOWN_KEYS[kind];
  for (const key of Object.keys(value)) {
    // coreos-cloudinit reads `-` and `_` in keys alike.
    if (!known.includes(key.replaceAll('-', '_'))) {
      out.warning(childPath(path, key), `unknown key ${JSON.stringify(key)} is ignored by coreos-cloudinit; known keys here: ${known.join(', ')}`);
    }
  }
}

function forEachItem(
  out: Findings,
  path: string,
  list: unknown,
  kind: KnownKeys,
  check: (path: string, item: Mapping) => void,
): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    out.error(path, `must be a list, got ${show(list)}`);
    return;
  }
  list.forEach((item, index) => {
    const itemPath = childPath(path, index);
    if (!isMapping(item)) {
      out.error(itemPath, `must be a mapping, got ${show(item)}`);
      return;
    }
    checkKeys(out, itemPath, item, kind);
    check(itemPath, item);
  });
}

function checkDuplicates(out: Findings, path: string, list: unknown, key: string, what: string): void {
  if (!Array.isArray(list)) return;
  const firstSeen = new Map<string, number>();
  list.forEach((item, index) => {
    const value = isMapping(item) ? item[key] : undefined;
    if (typeof value !== 'string') return;
    const first = firstSeen.get(value);
    if (first === undefined) firstSeen.set(value, index);
    else out.error(childPath(childPath(path, index), key), `duplicate ${what} ${JSON.stringify(value)}: already used by ${childPath(path, first)}`);
  });
}

function requireString(out: Findings, path: string, value: unknown, required: boolean): value is string {
  if (value === undefined) {
    if (required) out.error(path, 'is required');
    return false;
  }
  if (typeof value !== 'string') {
    out.error(path, `must be a string, got ${show(value)}`);
    return false;
  }
  return true;
}

function checkStringList(out: Findings, path: string, value: unknown): value is string[] {
  if (value === undefined) return false;
  if (!Array.isArray(value)) {
    out.error(path, `must be a list of strings, got ${show(value)}`);
    return false;
  }
  let ok = true;
  value.forEach((item, index) => {
    if (typeof item !== 'string') {
      out.error(childPath(path, index), `must be a string, got ${show(item)}`);
      ok = false;
    }
  });
  return ok;
}

function checkHostname(out: Findings, path: string, value: unknown): void {
  if (!requireString(out, path, value, true)) return;
  if (value.length > 253 || !value.split('.').every((label) => HOSTNAME_LABEL.test(label))) {
    out.error(path, `${JSON.stringify(value)} is not a valid host name: use letters, digits and '-' in dot-separated labels of at most 63 characters`);
  }
}

function checkSshKeys(out: Findings, path: string, value: unknown): void {
  if (!checkStringList(out, path, value)) return;
  value.forEach((key, index) => {
    if (!SSH_KEY.test(key.trim())) {
      out.warning(childPath(path, index), 'does not look like an OpenSSH public key ("ssh-rsa AAAA... comment")');
    }
  });
}

function checkUser(out: Findings, path: string, user: Mapping): void {
  requireString(out, childPath(path, 'name'), user.name, true);
  for (const key of ['passwd', 'gecos', 'homedir', 'primary_group', 'shell', 'coreos_ssh_import_github', 'coreos_ssh_import_url']) {
    requireString(out, childPath(path, key), user[key], false);
  }
  for (const key of ['no_create_home', 'no_user_group', 'system', 'no_log_init']) {
    if (user[key] !== undefined && typeof user[key] !== 'boolean') out.error(childPath(path, key), `must be true or false, got ${show(user[key])}`);
  }
  checkStringList(out, childPath(path, 'groups'), user.groups);
  checkStringList(out, childPath(path, 'coreos_ssh_import_github_users'), user.coreos_ssh_import_github_users);
  checkSshKeys(out, childPath(path, 'ssh_authorized_keys'), user.ssh_authorized_keys);
}

function checkWriteFile(out: Findings, path: string, file: Mapping): void {
  const filePath = childPath(path, 'path');
  if (requireString(out, filePath, file.path, true)) {
    if (!file.path.startsWith('/')) out.error(filePath, `must be an absolute path, got ${JSON.stringify(file.path)}`);
    else if (file.path.split('/').includes('..')) out.error(filePath, `must not contain ".." segments, got ${JSON.stringify(file.path)}`);
    else if (file.path.endsWith('/')) out.error(filePath, `names a directory; give the file's path, got ${JSON.stringify(file.path)}`);
  }
  const permissionsPath = childPath(path, 'permissions');
  if (typeof file.permissions === 'number') {
    out.error(permissionsPath, `must be an octal string such as '0644', got the number ${file.permissions}: quote it in YAML`);
  } else if (requireString(out, permissionsPath, file.permissions, false) && !PERMISSIONS.test(file.permissions)) {
    out.error(permissionsPath, `must be an octal mode string such as '0644' or '0600', got ${JSON.stringify(file.permissions)}`);
  }
  const ownerPath = childPath(path, 'owner');
  if (requireString(out, ownerPath, file.owner, false) && !OWNER.test(file.owner)) {
    out.warning(ownerPath, `should be "user" or "user:group", got ${JSON.stringify(file.owner)}`);
  }
  const encodingPath = childPath(path, 'encoding');
  let encoding: string | undefined;
  if (requireString(out, encodingPath, file.encoding, false)) {
    if ((FILE_ENCODINGS as readonly string[]).includes(file.encoding)) encoding = file.encoding;
    else out.error(encodingPath, `must be one of ${FILE_ENCODINGS.join(', ')}; got ${JSON.stringify(file.encoding)}`);
  }
  const contentPath = childPath(path, 'content');
  if (requireString(out, contentPath, file.content, false) && encoding) {
    const problem = decodeProblem(file.content, encoding);
    if (problem) out.error(contentPath, `does not decode as ${encoding}: ${problem}`);
  }
}

/** Decodes `content` as coreos-cloudinit would and says why it fails, if it does. */
export function decodeProblem(content: string, encoding: string): string | undefined {
  const isBase64 = encoding.includes('b64') || encoding.includes('base64');
  const isGzip = encoding.startsWith('gz');
  let bytes: Buffer = Buffer.from(content, 'latin1');
  if (isBase64) {
    const compact = content.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return 'it is not valid base64';
    bytes = Buffer.from(compact, 'base64');
  }
  if (isGzip) {
    try {
      gunzipSync(bytes);
    } catch {
      return 'it is not valid gzip data';
    }
  }
  return undefined;
}

function checkCoreOS(out: Findings, path: string, coreos: unknown): void {
  if (!isMapping(coreos)) {
    out.error(path, `must be a mapping, got ${show(coreos)}`);
    return;
  }
  checkKeys(out, path, coreos, 'coreos');
  for (const section of ['etcd', 'etcd2', 'flannel', 'fleet', 'locksmith', 'update', 'oem'] as const) {
    const value = coreos[section];
    if (value === undefined) continue;
    const sectionPath = childPath(path, section);
    if (!isMapping(value)) {
      out.error(sectionPath, `must be a mapping, got ${show(value)}`);
      continue;
    }
    checkKeys(out, sectionPath, value, section);
    for (const [key, item] of Object.entries(value)) checkSectionValue(out, childPath(sectionPath, key), section, key.replaceAll('-', '_'), item);
  }
  forEachItem(out, childPath(path, 'units'), coreos.units, 'unit', (unitPath, unit) => checkUnit(out, unitPath, unit));
  checkDuplicates(out, childPath(path, 'units'), coreos.units, 'name', 'unit name');
}

function checkSectionValue(out: Findings, path: string, section: string, key: string, value: unknown): void {
  if (SECTION_BOOLEANS.has(key)) {
    if (typeof value !== 'boolean') out.error(path, `must be true or false, got ${show(value)}`);
    return;
  }
  if (SECTION_NUMBERS.has(key)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) out.error(path, `must be a whole number, got ${show(value)}`);
    return;
  }
  if (typeof value !== 'string') {
    out.error(path, `must be a string, got ${show(value)}`);
    return;
  }
  const allowed = ENUMS[`${section}.${key}`];
  if (allowed && !allowed.includes(value)) out.error(path, `must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
}

function checkUnit(out: Findings, path: string, unit: Mapping): void {
  const namePath = childPath(path, 'name');
  let suffix: string | undefined;
  if (requireString(out, namePath, unit.name, true)) {
    suffix = unitSuffix(unit.name);
    if (!UNIT_NAME.test(unit.name) || unit.name.length > 255 || unit.name.startsWith('.')) {
      out.error(namePath, `${JSON.stringify(unit.name)} is not a valid unit name: use letters, digits and ":_.\\@-", at most 255 characters`);
    } else if (!suffix || !UNIT_SUFFIXES.includes(suffix)) {
      out.error(namePath, `${JSON.stringify(unit.name)} has no valid unit type suffix; use one of ${UNIT_SUFFIXES.map((s) => `.${s}`).join(', ')}`);
      suffix = undefined;
    }
  }
  for (const key of ['mask', 'enable', 'runtime']) {
    if (unit[key] !== undefined && typeof unit[key] !== 'boolean') out.error(childPath(path, key), `must be true or false, got ${show(unit[key])}`);
  }
  const commandPath = childPath(path, 'command');
  if (requireString(out, commandPath, unit.command, false)) {
    if (!(UNIT_COMMANDS as readonly string[]).includes(unit.command)) {
      out.error(commandPath, `must be one of ${UNIT_COMMANDS.join(', ')}; got ${JSON.stringify(unit.command)}`);
    } else if (suffix && NETWORKD_SUFFIXES.includes(suffix)) {
      out.warning(commandPath, `is not used for .${suffix} files: coreos-cloudinit restarts systemd-networkd to apply them; remove the command`);
    }
  }
  const contentPath = childPath(path, 'content');
  if (requireString(out, contentPath, unit.content, false)) checkUnitContent(out, contentPath, unit.content, suffix, 'unit');
  forEachItem(out, childPath(path, 'drop_ins'), unit.drop_ins, 'drop_in', (dropInPath, dropIn) => {
    const dropInName = childPath(dropInPath, 'name');
    if (requireString(out, dropInName, dropIn.name, true) && (!dropIn.name.endsWith('.conf') || dropIn.name.includes('/') || dropIn.name === '.conf')) {
      out.error(dropInName, `${JSON.stringify(dropIn.name)} is not a valid drop-in name: systemd reads only "<name>.conf" files (no "/") from <unit>.d/`);
    }
    const dropInContent = childPath(dropInPath, 'content');
    if (requireString(out, dropInContent, dropIn.content, true)) checkUnitContent(out, dropInContent, dropIn.content, suffix, 'drop-in');
  });
  checkDuplicates(out, childPath(path, 'drop_ins'), unit.drop_ins, 'name', 'drop-in name');
  const doesSomething = ['content', 'command', 'drop_ins', 'enable', 'mask'].some((key) => unit[key] !== undefined);
  if (!doesSomething) out.warning(path, 'has neither content, drop_ins, command, enable nor mask, so it has no effect');
}

function checkUnitContent(out: Findings, path: string, content: string, suffix: string | undefined, what: 'unit' | 'drop-in'): void {
  if (content.trim() === '') {
    out.error(path, `${what} content is empty`);
    return;
  }
  const { unit, problems } = parseUnitFile(content);
  for (const problem of problems) out.error(path, `line ${problem.line}: ${problem.message}`);
  if (what === 'unit' && unit.sections.length === 0) out.error(path, 'unit content has no [Section]');
  const allowed = suffix ? SECTIONS_BY_SUFFIX[suffix] : undefined;
  if (!allowed) return;
  for (const section of unit.sections) {
    if (section.name.startsWith('X-')) continue;
    const keys = allowed[section.name];
    if (!keys) {
      out.error(path, `[${section.name}] is not a section of .${suffix} units (allowed: ${Object.keys(allowed).map((s) => `[${s}]`).join(', ')}); systemd ignores it`);
      continue;
    }
    for (const { key } of section.entries) {
      if (keys.includes(key) || key.startsWith('X-')) continue;
      const home = Object.entries(allowed).find(([, sectionKeys]) => sectionKeys.includes(key))?.[0];
      if (home) out.error(path, `${key}= belongs in [${home}], not [${section.name}]; systemd ignores it there`);
      else out.warning(path, `${key}= is not a known directive of [${section.name}] in .${suffix} units`);
    }
  }
}

function checkSize(out: Findings, doc: CloudConfig): void {
  const size = userDataSize(serialize(doc));
  if (size > NOVA_USER_DATA_LIMIT) {
    out.error('$', `user data is ${size} bytes once base64-encoded; Nova accepts at most ${NOVA_USER_DATA_LIMIT}: compress large files (encoding: gzip+base64) or move them out of user data`);
  }
}
