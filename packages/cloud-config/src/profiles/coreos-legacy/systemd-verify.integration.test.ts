import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { CloudConfig, WriteFile } from '../../model.js';
import { NETWORKD_SUFFIXES, unitSuffix } from '../../systemd/directives.js';
import { parse } from '../../yaml.js';
import { defaultTestParams } from './fixtures.js';
import { COREOS_IMAGE, RELEASE_EXECUTABLES, knownTokensCsv, renderMaster, renderNode } from './index.js';

const HOST_UNIT_DIRS = ['/usr/lib/systemd/system', '/lib/systemd/system'];

function toolAvailable(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

const hasSystemdAnalyze = toolAvailable('systemd-analyze', ['--version']);
const hostUnitDir = HOST_UNIT_DIRS.find((dir) => existsSync(join(dir, 'sysinit.target')));
const canVerify = hasSystemdAnalyze && hostUnitDir !== undefined;
if (!canVerify) {
  console.warn('systemd-analyze verify tests SKIPPED: systemd-analyze or the system unit directory is missing (apt-get install systemd)');
}
const hasBashAndOpenssl = toolAvailable('bash', ['--version']) && toolAvailable('openssl', ['version']);
if (!hasBashAndOpenssl) console.warn('known-tokens script test SKIPPED: bash or openssl is missing');

const scratch = mkdtempSync(join(tmpdir(), 'rax-kube-verify-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function fileBytes(file: WriteFile): Buffer {
  const content = file.content ?? '';
  switch (file.encoding) {
    case undefined:
      return Buffer.from(content, 'utf8');
    case 'gzip+base64':
    case 'gz+base64':
    case 'gzip+b64':
    case 'gz+b64':
      return gunzipSync(Buffer.from(content, 'base64'));
    case 'base64':
    case 'b64':
      return Buffer.from(content, 'base64');
    default:
      return gunzipSync(Buffer.from(content, 'latin1'));
  }
}

function writeInRoot(root: string, path: string, data: Buffer | string, mode: number): void {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, data);
  chmodSync(target, mode);
}

/**
 * A scratch root standing for a booted machine: systemd's own units (from this host), the
 * image's units and programs (stand-ins), the unpacked release (stand-ins), and everything the
 * document writes, at the paths and modes it gives. Returns the units to verify.
 */
function machineRoot(name: string, doc: CloudConfig): { root: string; units: string[] } {
  const root = join(scratch, name);
  cpSync(hostUnitDir ?? '', join(root, 'usr/lib/systemd/system'), { recursive: true });
  for (const program of [...COREOS_IMAGE.executables, ...RELEASE_EXECUTABLES, '/usr/bin/etcd2', '/usr/bin/fleetd', '/usr/bin/flanneld']) {
    writeInRoot(root, program, '#!/bin/sh\nexit 0\n', 0o755);
  }
  const imageUnit = (description: string, exec: string) => `[Unit]\nDescription=${description} (image stand-in)\n\n[Service]\nExecStart=${exec}\n`;
  writeInRoot(root, '/usr/lib/systemd/system/etcd2.service', imageUnit('etcd2', '/usr/bin/etcd2'), 0o644);
  writeInRoot(root, '/usr/lib/systemd/system/fleet.service', imageUnit('fleet', '/usr/bin/fleetd'), 0o644);
  writeInRoot(root, '/usr/lib/systemd/system/flanneld.service', imageUnit('flannel', '/usr/bin/flanneld'), 0o644);
  writeInRoot(root, '/usr/lib/systemd/system/docker.service', imageUnit('Docker', '/usr/bin/docker daemon'), 0o644);
  writeInRoot(root, '/usr/lib/systemd/system/docker.socket', '[Unit]\nDescription=Docker socket (image stand-in)\n\n[Socket]\nListenStream=/var/run/docker.sock\n', 0o644);
  for (const file of doc.write_files ?? []) writeInRoot(root, file.path, fileBytes(file), Number.parseInt(file.permissions ?? '0644', 8));
  const units: string[] = [];
  for (const unit of doc.coreos?.units ?? []) {
    if (NETWORKD_SUFFIXES.includes(unitSuffix(unit.name) ?? '')) continue;
    if (unit.content !== undefined) writeInRoot(root, `/etc/systemd/system/${unit.name}`, unit.content, 0o644);
    for (const dropIn of unit.drop_ins ?? []) writeInRoot(root, `/etc/systemd/system/${unit.name}.d/${dropIn.name}`, dropIn.content, 0o644);
    units.push(unit.name);
  }
  return { root, units };
}

describe.skipIf(!canVerify)('systemd-analyze verify on every rendered unit and drop-in', () => {
  const params = defaultTestParams();
  const machines = [
    ['master', renderMaster(params).userData],
    ['node-1', renderNode(params, 1).userData],
    ['node-4 (discovery etcd)', renderNode(defaultTestParams({ etcd: { mode: 'discovery', url: 'https://discovery.etcd.io/x' } }), 4).userData],
  ] as const;

  it.each(machines)('%s', (name, userData) => {
    const { root, units } = machineRoot(name.replace(/\W+/g, '-'), parse(userData));
    expect(units.length).toBeGreaterThan(5);
    const result = spawnSync('systemd-analyze', ['verify', '--man=no', '--generators=no', `--root=${root}`, ...units], { encoding: 'utf8' });
    // Anything systemd says is a finding: unknown keys and missing units are only warnings to it.
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  });

  it('catches the defects of the original documents (guards the check itself)', () => {
    const doc = parse(renderNode(params, 1).userData);
    const docker = doc.coreos?.units?.find((u) => u.name === 'docker.service');
    docker?.drop_ins?.push({ name: '51-docker-mirror.conf', content: '[Unit]\nRequires=flanneld.service\nRestart=Always\n' });
    doc.coreos?.units?.push({ name: 'advertiser.service', command: 'start', content: '[Unit]\nAfter=master-apiserver.service\nRequires=master-apiserver.service\n\n[Service]\nExecStart=/usr/bin/etcdctl ls\n' });
    const { root, units } = machineRoot('defective', doc);
    const result = spawnSync('systemd-analyze', ['verify', '--man=no', '--generators=no', `--root=${root}`, ...units], { encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toMatch(/Unknown key 'Restart' in section \[Unit\]/);
    expect(output).toMatch(/master-apiserver\.service/);
  });
});

describe.skipIf(!hasBashAndOpenssl)("the master's generate-known-tokens.sh", () => {
  it('writes exactly the known_tokens.csv rax-kube computes', () => {
    const params = defaultTestParams({ numNodes: 7 });
    const doc = parse(renderMaster(params).userData);
    const dir = join(scratch, 'tokens');
    const relocate = (text: string) => text.replaceAll('/etc/kubernetes/', `${dir}/etc/`).replaceAll('/var/lib/kube-apiserver', `${dir}/apiserver`);
    for (const file of doc.write_files ?? []) {
      if (file.path.startsWith('/etc/kubernetes/') || file.path.startsWith('/opt/bin/')) {
        writeInRoot(dir, relocate(file.path).replace(dir, '').replace('/opt/bin/', '/bin/'), relocate(fileBytes(file).toString('utf8')), 0o755);
      }
    }
    execFileSync('bash', [join(dir, 'bin/generate-known-tokens.sh')], { env: { PATH: process.env.PATH ?? '', INSTANCE_PREFIX: 'kubernetes', NUM_NODES: '7' } });
    expect(readFileSync(join(dir, 'apiserver/known_tokens.csv'), 'utf8')).toBe(knownTokensCsv(params));
  });
});
