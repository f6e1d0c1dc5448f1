import { describe, expect, it } from 'vitest';
import type { Finding } from './report.js';
import { validate } from './validate.js';

const service = '[Unit]\nDescription=x\n\n[Service]\nExecStart=/usr/bin/true\n';

interface Case {
  rule: string;
  doc: unknown;
  expected: Finding;
}

/** One row per rule: the smallest document that breaks it, and the exact finding. */
const cases: Case[] = [
  { rule: 'document is a mapping', doc: ['a'], expected: { severity: 'error', path: '$', message: 'a cloud-config document must be a mapping of top-level keys' } },
  {
    rule: 'unknown top-level key',
    doc: { hostnme: 'x' },
    expected: { severity: 'warning', path: '$.hostnme', message: 'unknown key "hostnme" is ignored by coreos-cloudinit; known keys here: hostname, manage_etc_hosts, ssh_authorized_keys, users, write_files, coreos' },
  },
  {
    rule: 'unknown key in a unit',
    doc: { coreos: { units: [{ name: 'a.service', command: 'start', contnet: 'x' }] } },
    expected: { severity: 'warning', path: '$.coreos.units[0].contnet', message: 'unknown key "contnet" is ignored by coreos-cloudinit; known keys here: name, mask, enable, runtime, content, command, drop_ins' },
  },
  { rule: 'hostname', doc: { hostname: 'bad_host' }, expected: { severity: 'error', path: '$.hostname', message: `"bad_host" is not a valid host name: use letters, digits and '-' in dot-separated labels of at most 63 characters` } },
  { rule: 'manage_etc_hosts', doc: { manage_etc_hosts: true }, expected: { severity: 'error', path: '$.manage_etc_hosts', message: 'must be "localhost" (the only value coreos-cloudinit supports), got boolean true' } },
  { rule: 'ssh key shape', doc: { ssh_authorized_keys: ['not a key'] }, expected: { severity: 'warning', path: '$.ssh_authorized_keys[0]', message: 'does not look like an OpenSSH public key ("ssh-rsa AAAA... comment")' } },
  { rule: 'user name required', doc: { users: [{ gecos: 'x' }] }, expected: { severity: 'error', path: '$.users[0].name', message: 'is required' } },
  { rule: 'duplicate user', doc: { users: [{ name: 'core' }, { name: 'core' }] }, expected: { severity: 'error', path: '$.users[1].name', message: 'duplicate user name "core": already used by $.users[0]' } },
  { rule: 'file path absolute', doc: { write_files: [{ path: 'etc/x' }] }, expected: { severity: 'error', path: '$.write_files[0].path', message: 'must be an absolute path, got "etc/x"' } },
  { rule: 'file path no ..', doc: { write_files: [{ path: '/etc/../x' }] }, expected: { severity: 'error', path: '$.write_files[0].path', message: 'must not contain ".." segments, got "/etc/../x"' } },
  {
    rule: 'permissions as a number',
    doc: { write_files: [{ path: '/x', permissions: 420 }] },
    expected: { severity: 'error', path: '$.write_files[0].permissions', message: "must be an octal string such as '0644', got the number 420: quote it in YAML" },
  },
  {
    rule: 'permissions not octal',
    doc: { write_files: [{ path: '/x', permissions: '0800' }] },
    expected: { severity: 'error', path: '$.write_files[0].permissions', message: "must be an octal mode string such as '0644' or '0600', got \"0800\"" },
  },
  {
    rule: 'encoding',
    doc: { write_files: [{ path: '/x', encoding: 'zip' }] },
    expected: { severity: 'error', path: '$.write_files[0].encoding', message: 'must be one of b64, base64, gz, gzip, gz+base64, gzip+base64, gz+b64, gzip+b64; got "zip"' },
  },
  {
    rule: 'content decodes',
    doc: { write_files: [{ path: '/x', encoding: 'gzip+base64', content: 'aGVsbG8=' }] },
    expected: { severity: 'error', path: '$.write_files[0].content', message: 'does not decode as gzip+base64: it is not valid gzip data' },
  },
  {
    rule: 'base64 content',
    doc: { write_files: [{ path: '/x', encoding: 'b64', content: 'not base64!' }] },
    expected: { severity: 'error', path: '$.write_files[0].content', message: 'does not decode as b64: it is not valid base64' },
  },
  { rule: 'owner shape', doc: { write_files: [{ path: '/x', owner: 'root:wheel:x' }] }, expected: { severity: 'warning', path: '$.write_files[0].owner', message: 'should be "user" or "user:group", got "root:wheel:x"' } },
  {
    rule: 'duplicate file path',
    doc: { write_files: [{ path: '/x' }, { path: '/y' }, { path: '/x' }] },
    expected: { severity: 'error', path: '$.write_files[2].path', message: 'duplicate file path "/x": already used by $.write_files[0]' },
  },
  {
    rule: 'reboot strategy',
    doc: { coreos: { update: { reboot_strategy: false } } },
    expected: { severity: 'error', path: '$.coreos.update.reboot_strategy', message: 'must be a string, got boolean false' },
  },
  {
    rule: 'reboot strategy value',
    doc: { coreos: { update: { reboot_strategy: 'sometimes' } } },
    expected: { severity: 'error', path: '$.coreos.update.reboot_strategy', message: 'must be one of best-effort, etcd-lock, reboot, off; got "sometimes"' },
  },
  { rule: 'typed etcd2 option', doc: { coreos: { etcd2: { debug: 'yes' } } }, expected: { severity: 'error', path: '$.coreos.etcd2.debug', message: 'must be true or false, got "yes"' } },
  {
    rule: 'unit name suffix',
    doc: { coreos: { units: [{ name: 'kubelet', command: 'start' }] } },
    expected: { severity: 'error', path: '$.coreos.units[0].name', message: '"kubelet" has no valid unit type suffix; use one of .service, .socket, .timer, .path, .mount, .automount, .swap, .target, .slice, .scope, .device, .netdev, .network, .link' },
  },
  {
    rule: 'unit name characters',
    doc: { coreos: { units: [{ name: 'my unit.service', command: 'start' }] } },
    expected: { severity: 'error', path: '$.coreos.units[0].name', message: '"my unit.service" is not a valid unit name: use letters, digits and ":_.\\@-", at most 255 characters' },
  },
  {
    rule: 'unit command',
    doc: { coreos: { units: [{ name: 'a.service', command: 'enable' }] } },
    expected: { severity: 'error', path: '$.coreos.units[0].command', message: 'must be one of start, stop, reload, restart, try-restart, reload-or-restart, reload-or-try-restart; got "enable"' },
  },
  {
    rule: 'command on a networkd file',
    doc: { coreos: { units: [{ name: 'cbr0.netdev', command: 'start', content: '[NetDev]\nKind=bridge\nName=cbr0\n' }] } },
    expected: { severity: 'warning', path: '$.coreos.units[0].command', message: 'is not used for .netdev files: coreos-cloudinit restarts systemd-networkd to apply them; remove the command' },
  },
  {
    rule: 'duplicate unit',
    doc: { coreos: { units: [{ name: 'a.service', content: service }, { name: 'a.service', command: 'start' }] } },
    expected: { severity: 'error', path: '$.coreos.units[1].name', message: 'duplicate unit name "a.service": already used by $.coreos.units[0]' },
  },
  {
    rule: 'drop-in name',
    doc: { coreos: { units: [{ name: 'a.service', drop_ins: [{ name: '10-x', content: '[Service]\nNice=1\n' }] }] } },
    expected: { severity: 'error', path: '$.coreos.units[0].drop_ins[0].name', message: '"10-x" is not a valid drop-in name: systemd reads only "<name>.conf" files (no "/") from <unit>.d/' },
  },
  {
    rule: 'duplicate drop-in',
    doc: { coreos: { units: [{ name: 'a.service', drop_ins: [{ name: 'x.conf', content: '[Service]\nNice=1\n' }, { name: 'x.conf', content: '[Service]\nNice=2\n' }] }] } },
    expected: { severity: 'error', path: '$.coreos.units[0].drop_ins[1].name', message: 'duplicate drop-in name "x.conf": already used by $.coreos.units[0].drop_ins[0]' },
  },
  {
    rule: 'unit content parses',
    doc: { coreos: { units: [{ name: 'a.service', content: '[Unit]\nDescription\n' }] } },
    expected: { severity: 'error', path: '$.coreos.units[0].content', message: 'line 2: expected Key=value, found "Description"' },
  },
  {
    rule: 'directive in the wrong section (the original docker drop-in)',
    doc: { coreos: { units: [{ name: 'docker.service', drop_ins: [{ name: '51.conf', content: '[Unit]\nRequires=flanneld.service\nRestart=Always\n' }] }] } },
    expected: { severity: 'error', path: '$.coreos.units[0].drop_ins[0].content', message: 'Restart= belongs in [Service], not [Unit]; systemd ignores it there' },
  },
  {
    rule: 'section not allowed for the unit type',
    doc: { coreos: { units: [{ name: 'a.timer', content: '[Service]\nExecStart=/bin/true\n' }] } },
    expected: { severity: 'error', path: '$.coreos.units[0].content', message: '[Service] is not a section of .timer units (allowed: [Unit], [Timer], [Install]); systemd ignores it' },
  },
  {
    rule: 'unknown directive',
    doc: { coreos: { units: [{ name: 'a.service', content: '[Service]\nExecStart=/bin/true\nFrobnicate=yes\n' }] } },
    expected: { severity: 'warning', path: '$.coreos.units[0].content', message: 'Frobnicate= is not a known directive of [Service] in .service units' },
  },
  {
    rule: 'empty unit content',
    doc: { coreos: { units: [{ name: 'a.service', content: '  \n' }] } },
    expected: { severity: 'error', path: '$.coreos.units[0].content', message: 'unit content is empty' },
  },
  { rule: 'unit that does nothing', doc: { coreos: { units: [{ name: 'a.service' }] } }, expected: { severity: 'warning', path: '$.coreos.units[0]', message: 'has neither content, drop_ins, command, enable nor mask, so it has no effect' } },
  {
    rule: 'user data size',
    // 15 + 13 + 15 + 13 + 50000 + 1 = 50057 bytes of text, 66744 once base64-encoded.
    doc: { write_files: [{ path: '/big', content: 'x'.repeat(50_000) }] },
    expected: { severity: 'error', path: '$', message: 'user data is 66744 bytes once base64-encoded; Nova accepts at most 65535: compress large files (encoding: gzip+base64) or move them out of user data' },
  },
];

describe('validate', () => {
  it.each(cases)('$rule', ({ doc, expected }) => {
    const report = validate(doc);
    expect(report.findings).toEqual([expected]);
    expect(report.valid).toBe(expected.severity !== 'error');
  });

  it('accepts hyphenated keys as coreos-cloudinit does', () => {
    expect(validate({ coreos: { update: { 'reboot-strategy': 'off' }, fleet: { 'public-ip': '$private_ipv4' } } }).findings).toEqual([]);
  });

  it('accepts a document that uses every section', () => {
    const doc = {
      hostname: 'kube-master',
      manage_etc_hosts: 'localhost',
      ssh_authorized_keys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0 demo@example'],
      users: [{ name: 'ops', groups: ['sudo', 'docker'], ssh_authorized_keys: ['ssh-rsa AAAAB3NzaC1yc2E= ops'] }],
      write_files: [
        { path: '/etc/a', permissions: '0644', owner: 'root:root', content: 'a\n' },
        { path: '/etc/b', encoding: 'base64', content: Buffer.from('b').toString('base64') },
      ],
      coreos: {
        etcd: { name: 'x', addr: '$private_ipv4:4001' },
        etcd2: { name: 'x', proxy: 'on', heartbeat_interval: 100 },
        flannel: { interface: 'eth2', ip_masq: true },
        fleet: { metadata: 'role=x', verbosity: 1 },
        locksmith: { window_start: 'Thu 04:00', window_length: '1h' },
        update: { reboot_strategy: 'etcd-lock', group: 'stable' },
        oem: { id: 'rackspace', name: 'Rackspace' },
        units: [
          { name: 'x.service', command: 'start', content: service, drop_ins: [{ name: '10-env.conf', content: '[Service]\nEnvironment=A=b\n' }] },
          { name: 'docker.service', enable: true },
          { name: 'x.timer', content: '[Timer]\nOnBootSec=5min\n\n[Install]\nWantedBy=timers.target\n' },
        ],
      },
    };
    expect(validate(doc)).toEqual({ valid: true, findings: [] });
  });
});
