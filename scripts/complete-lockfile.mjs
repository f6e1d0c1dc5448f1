#!/usr/bin/env node
// The package registry this project installs from serves only the platform builds of native
// packages that its machines use (linux x64 / arm64 glibc). `npm install` then leaves the other
// platforms' optional dependencies (nx, rollup) out of package-lock.json, and `npm ci` refuses the
// lock as out of sync. This adds each missing optional dependency as an optional lock entry with
// its os / cpu / libc taken from its name, so npm ci skips it on this platform as it would skip
// any foreign-platform build. Run after changing dependencies: `node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

function platformOf(name) {
  const id = name.split('/').pop();
  const os = ['darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'android', 'openharmony', 'sunos', 'aix', 'netbsd'].find((o) => id.includes(o));
  const cpu = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el'].find((c) => id.split('-').includes(c) || id.includes(`-${c}-`) || id.endsWith(`-${c}`));
  const libc = id.includes('musl') ? 'musl' : id.includes('gnu') && os === 'linux' ? 'glibc' : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const parent = location === '' ? '' : `${location}/`;
    const candidates = [`${parent}node_modules/${name}`, `node_modules/${name}`];
    if (candidates.some((c) => packages[c])) continue;
    if (!/^\d+\.\d+\.\d+/.test(spec)) throw new Error(`${name}@${spec}: not an exact version; cannot complete the lock entry`);
    const { os, cpu, libc } = platformOf(name);
    packages[`node_modules/${name}`] = {
      version: spec,
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(entry.dev ? { dev: true } : {}),
      ...(libc ? { libc: [libc] } : {}),
      optional: true,
      ...(os ? { os: [os] } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} foreign-platform optional entries`);
