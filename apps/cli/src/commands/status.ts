import { loadOrCreateSecrets, status } from '@rax-kube/cluster-up';
import type { Argv } from 'yargs';
import type { CliIo } from '../io.js';
import { openSession } from '../session.js';
import type { SessionArgs } from '../session.js';
import { withSettingFlags } from '../settings.js';
import type { GlobalArgs } from '../settings.js';

interface StatusArgs extends SessionArgs {
  json: boolean;
  'api-check': boolean;
}

export function statusCommand(io: CliIo) {
  return {
    command: 'status',
    describe: "Show the cluster's servers, their state and addresses, and the API's health",
    builder: (yargs: Argv<GlobalArgs>) =>
      withSettingFlags(
        yargs
          .option('local', { type: 'boolean', default: false, describe: 'the built-in local cloud' })
          .option('json', { type: 'boolean', default: false, describe: 'print {"servers":[{"name","status","addresses"}], ...} on stdout' })
          .option('api-check', { type: 'boolean', default: true, describe: "probe the API's /healthz (--no-api-check skips it)" })
          .example('$0 status --local', 'the local cluster')
          .example('$0 status --json | jq .servers', 'for scripts'),
      ),
    handler: async (args: StatusArgs & Record<string, unknown>) => {
      const session = await openSession(args, io);
      try {
        const { secrets } = await loadOrCreateSecrets(session.home, session.config.clusterName);
        // The API is probed where up probed it and wrote it into the kubeconfig.
        const api = !args['api-check'] ? {} : session.apiUrl ? { apiUrl: session.apiUrl } : { profile: session.profile };
        const result = await status(
          { config: session.config, ...api, credentials: { username: secrets.adminUser, password: secrets.adminPassword } },
          { client: session.client },
        );
        if (args.json) {
          io.stdout(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const lines = [`Cluster "${result.cluster}": ${result.servers.length} servers${result.network ? `, network ${result.network.name} (${result.network.id})` : ', no network'}`];
        for (const server of result.servers) lines.push(`  ${server.name.padEnd(30)} ${server.status.padEnd(8)} ${Object.entries(server.addresses).map(([net, ips]) => `${net}=${ips.join(',')}`).join(' ')}`);
        if (result.missing.length > 0) lines.push(`  missing: ${result.missing.join(', ')} (run up to create them)`);
        if (result.api) lines.push(`API ${result.api.url}: ${result.api.healthy ? 'healthy' : `not healthy (${result.api.detail})`}`);
        io.stdout(`${lines.join('\n')}\n`);
      } finally {
        await session.close();
      }
    },
  };
}
