import { down, releaseOwner } from '@rax-kube/cluster-up';
import { defaultReleaseContainer, releaseObjectName } from '@rax-kube/tarball-builder';
import type { Argv } from 'yargs';
import { confirm } from '../confirm.js';
import { stepOutput } from '../events-printer.js';
import { CliError } from '../io.js';
import type { CliIo } from '../io.js';
import { openSession } from '../session.js';
import type { SessionArgs } from '../session.js';
import { withSettingFlags } from '../settings.js';
import type { GlobalArgs } from '../settings.js';

interface DownArgs extends SessionArgs {
  yes: boolean;
  json: boolean;
  keypair: boolean;
  release: boolean;
}

export function downCommand(io: CliIo) {
  return {
    command: 'down',
    describe: "Delete everything the cluster created (servers, port, subnet, network); idempotent",
    builder: (yargs: Argv<GlobalArgs>) =>
      withSettingFlags(
        yargs
          .option('local', { type: 'boolean', default: false, describe: 'the built-in local cloud' })
          .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'do not ask for confirmation' })
          .option('json', { type: 'boolean', default: false, describe: 'print what was deleted as JSON' })
          .option('keypair', { type: 'boolean', default: false, describe: 'also delete the keypair (it may be shared)' })
          .option('release', { type: 'boolean', default: false, describe: 'also delete the uploaded release (it may be shared)' })
          .example('$0 down --local', 'tear down the local cluster')
          .example('$0 down --cluster prod --keypair --yes', 'tear down "prod" and its keypair without asking'),
      ),
    handler: async (args: DownArgs & Record<string, unknown>) => {
      const session = await openSession(args, io);
      const output = stepOutput(io, { verbose: args.verbose, json: args.json });
      try {
        if (!args.yes && !args.local && io.stdoutIsTTY && !(await confirm(`Delete every server and network of cluster "${session.config.clusterName}"?`))) {
          throw new CliError('cancelled; nothing was deleted', 1);
        }
        const result = await down(
          {
            config: session.config,
            deleteKeypair: args.keypair,
            ...(args.release ? { deleteRelease: { container: defaultReleaseContainer(releaseOwner(session.credentials as never)), object: releaseObjectName(session.config.containerPrefix) } } : {}),
          },
          { client: session.client, emit: output.emit },
        ).finally(() => output.close());
        io.stdout(args.json ? `${JSON.stringify(result, null, 2)}\n` : `Cluster "${session.config.clusterName}" removed: ${result.servers} servers, ${result.networks} networks, ${result.subnets} subnets, ${result.ports} ports${result.keypair ? ', the keypair' : ''}${result.release ? ', the release' : ''}.\n`);
      } finally {
        await session.close();
      }
    },
  };
}
