import { kubeconfigPath, up } from '@rax-kube/cluster-up';
import type { UpResult } from '@rax-kube/cluster-up';
import type { Argv } from 'yargs';
import { confirm } from '../confirm.js';
import { stepOutput } from '../events-printer.js';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';
import { clusterInputs, openSession } from '../session.js';
import type { SessionArgs } from '../session.js';
import { withSettingFlags } from '../settings.js';
import type { GlobalArgs } from '../settings.js';

interface UpArgs extends SessionArgs {
  'dry-run': boolean;
  json: boolean;
  yes: boolean;
  'api-wait': boolean;
  'api-timeout': number;
  concurrency: number;
  'ssh-key-type': 'rsa' | 'ed25519';
}

export function upCommand(io: CliIo) {
  return {
    command: 'up',
    describe: 'Create the cluster, or resume / complete it (only what is missing is created)',
    builder: (yargs: Argv<GlobalArgs>) =>
      withSettingFlags(
        yargs
          .option('local', { type: 'boolean', default: false, describe: 'use the built-in local cloud (state under $RAX_KUBE_HOME/local)' })
          .option('dry-run', { type: 'boolean', default: false, describe: 'print the plan and change nothing' })
          .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON on stdout' })
          .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'do not ask for confirmation' })
          .option('api-wait', { type: 'boolean', default: true, describe: 'wait for the API /healthz (--no-api-wait stops once servers are ACTIVE)' })
          .option('api-timeout', { type: 'number', default: 900, describe: 'seconds to wait for the API' })
          .option('concurrency', { type: 'number', default: 10, describe: 'server creates in flight at once' })
          .option('ssh-key-type', { choices: ['rsa', 'ed25519'] as const, default: 'rsa' as const, describe: 'type of a newly generated SSH key (Rackspace accepts only RSA)' })
          .option('tarball', { type: 'string', describe: 'the server tarball (default: the build tree; a stand-in with --local)' })
          .option('version', { type: 'string', describe: 'fetch and use this official release (vX.Y.Z)' })
          .conflicts('tarball', 'version')
          .example('$0 up --local', 'the whole flow on the built-in local cloud')
          .example('$0 up --num-nodes 3 --dry-run', 'show what would be created'),
      ),
    handler: async (args: UpArgs & Record<string, unknown>) => {
      if (!Number.isInteger(args.concurrency) || args.concurrency < 1 || args.concurrency > 100) throw new CliError(`--concurrency=${args.concurrency}: must be a whole number from 1 to 100`, 2);
      if (!(args['api-timeout'] > 0)) throw new CliError(`--api-timeout=${args['api-timeout']}: must be a positive number of seconds`, 2);
      const session = await openSession(args, io);
      const output = stepOutput(io, { verbose: args.verbose, json: args.json });
      try {
        const inputs = await clusterInputs(session, args, io, output);
        const options = {
          config: session.config,
          profile: session.profile,
          secrets: inputs.secrets,
          sshPublicKey: inputs.key.publicKey,
          cloudProvider: inputs.cloudProvider,
          publishRelease: inputs.publish,
          apiWait: args['api-wait'],
          apiDeadlineMs: args['api-timeout'] * 1000,
          concurrency: args.concurrency,
          kubeconfigPath: kubeconfigPath(io.env),
          ...(session.apiUrl ? { apiUrl: session.apiUrl } : {}),
        };
        // The plan is read up front only when it is shown: up itself reads the cloud again anyway.
        const ask = !args.yes && !args.local && io.stdoutIsTTY;
        if (args['dry-run'] || ask) {
          const preview = await up({ ...options, dryRun: true }, { client: session.client, emit: () => undefined });
          if (args['dry-run']) {
            io.stdout(args.json ? `${JSON.stringify({ plan: preview.planLines }, null, 2)}\n` : `Plan for cluster "${session.config.clusterName}":\n${preview.planLines.map((l) => `  ${l}`).join('\n')}\n`);
            return;
          }
          if (!(await confirmPlan(io, preview.planLines))) throw new CliError('cancelled; nothing was changed', 1);
        }
        let result: UpResult;
        try {
          result = await up(options, { client: session.client, emit: output.emit });
        } catch (error) {
          if (error instanceof Error) error.message = `${error.message}\nRun rax-kube up${args.local ? ' --local' : ''} again to resume, or rax-kube down${args.local ? ' --local' : ''} to remove what was created.`;
          throw error;
        } finally {
          output.close();
        }
        io.stdout(args.json ? `${JSON.stringify(jsonResult(result), null, 2)}\n` : summary(result, session.config.clusterName));
      } finally {
        await session.close();
      }
    },
  };
}

async function confirmPlan(io: CliIo, planLines: string[]): Promise<boolean> {
  io.stderr(`Plan:\n${planLines.map((l) => `  ${l}`).join('\n')}\n`);
  return confirm('Proceed?');
}

function jsonResult(result: UpResult) {
  return { plan: result.planLines, master: result.master, nodes: result.nodes, api: result.api, kubeconfig: result.kubeconfig };
}

function summary(result: UpResult, cluster: string): string {
  const lines = ['', `Kubernetes cluster "${cluster}" is up.`];
  if (result.api) lines.push(`The master (${result.master?.name}) is running at ${result.api.url}${result.api.healthy ? '' : ' (API not checked: --no-api-wait)'}`);
  for (const node of result.nodes) lines.push(`  ${node.name}: ${Object.values(node.addresses).flat().join(', ')}`);
  if (result.kubeconfig) {
    lines.push(`Credentials are in ${result.kubeconfig.path} (context ${result.kubeconfig.context}, mode 0600).`, `Try: kubectl --context ${result.kubeconfig.context} get nodes`);
  }
  return `${lines.join('\n')}\n`;
}
