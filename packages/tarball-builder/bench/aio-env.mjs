import { readFileSync } from 'node:fs';

/** The `export NAME='value'` lines openstack-aio's start.sh writes to aio.env. */
export function loadAioEnv(file = process.env.RAX_KUBE_AIO_ENV ?? '/var/tmp/os-aio/aio.env') {
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)='(.*)'\s*$/u.exec(line);
    if (m) env[m[1]] = m[2].replace(/'\\''/gu, "'");
  }
  return env;
}
