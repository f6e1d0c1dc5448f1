import { execFileSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REQUIRED_SERVER_BINARIES } from './layout.js';

/**
 * Test fixtures: a directory of fake server binaries, and a server tarball made by GNU tar (an
 * independent writer, so inspect is not only checked against our own builder).
 */
export async function makeBinDir(dir: string, options: { omit?: string[]; mode?: Record<string, number>; extra?: Record<string, string> } = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const name of REQUIRED_SERVER_BINARIES) {
    if (options.omit?.includes(name)) continue;
    const path = join(dir, name);
    await writeFile(path, `#!/bin/sh\necho ${name}\n`);
    await chmod(path, options.mode?.[name] ?? 0o755);
  }
  for (const [name, text] of Object.entries(options.extra ?? {})) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

export async function gnuTarServerTarball(root: string, output: string, binOptions: Parameters<typeof makeBinDir>[1] = {}): Promise<string> {
  await makeBinDir(join(root, 'kubernetes', 'server', 'bin'), binOptions);
  await writeFile(join(root, 'kubernetes', 'README.md'), 'not a real release\n');
  execFileSync('tar', ['--format=gnu', '-czf', output, '-C', root, 'kubernetes']);
  return output;
}
