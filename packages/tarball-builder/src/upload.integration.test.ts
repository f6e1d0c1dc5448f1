import { existsSync, readFileSync } from 'node:fs';
import { clientFromEnv } from '@rax-kube/openstack-client';
import { uploadSuite } from './upload.suite.js';

/** `export NAME='value'` lines as openstack-aio's start.sh writes them. */
function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)='(.*)'\s*$/u.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) env[m[1]] = m[2].replace(/'\\''/gu, "'");
  }
  return env;
}

uploadSuite('real Swift (openstack-aio)', async () => {
  const file = process.env.RAX_KUBE_AIO_ENV ?? '/var/tmp/os-aio/aio.env';
  if (!existsSync(file)) return `${file} does not exist (start openstack-aio: shared/openstack-aio/start.sh)`;
  const env = parseEnvFile(readFileSync(file, 'utf8'));
  const swift = env.AIO_SWIFT_URL;
  if (swift === undefined) return `${file} has no AIO_SWIFT_URL`;
  try {
    const res = await fetch(new URL('/healthcheck', swift), { signal: AbortSignal.timeout(3000) });
    if (res.status !== 200) return `Swift at ${swift} answers /healthcheck with ${res.status}`;
  } catch (err) {
    return `Swift at ${swift} is not reachable (${(err as Error).message})`;
  }
  return { objectStorage: clientFromEnv(env).objectStorage, close: async () => undefined };
});
