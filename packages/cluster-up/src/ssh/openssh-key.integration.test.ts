import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSshKeyPair, md5Fingerprint, sha256Fingerprint } from './openssh-key.js';

const hasSshKeygen = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error === undefined;
if (!hasSshKeygen) console.warn('OpenSSH key format tests SKIPPED: ssh-keygen is missing (apt-get install openssh-client)');
const dir = mkdtempSync(join(tmpdir(), 'rax-kube-ssh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasSshKeygen)('keys ssh-keygen reads as its own', () => {
  it.each(['rsa', 'ed25519'] as const)('%s', (type) => {
    const pair = generateSshKeyPair(type, 'rax-kube-test');
    const path = join(dir, `id_${type}`);
    writeFileSync(path, pair.privateKey, { mode: 0o600 });
    const derived = spawnSync('ssh-keygen', ['-y', '-f', path], { encoding: 'utf8' });
    expect(derived.stderr).toBe('');
    expect(derived.stdout.trim()).toBe(pair.publicKey);
    const sha = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path], { encoding: 'utf8' });
    expect(sha.stdout).toContain(sha256Fingerprint(pair.publicKey));
    const md5 = spawnSync('ssh-keygen', ['-l', '-E', 'md5', '-f', path], { encoding: 'utf8' });
    expect(md5.stdout).toContain(`MD5:${md5Fingerprint(pair.publicKey)}`);
    if (type === 'rsa') expect(sha.stdout).toMatch(/^4096 /);
  });
});
