import { resolve } from 'node:path';
import {
  cloudProfileFor,
  cloudProviderFromEnv,
  clusterReport,
  loadOrCreateSecrets,
  PLACEHOLDER_RELEASE_URL,
  raxKubeHome,
  renderCluster,
  writeRenderedCluster,
} from '@rax-kube/cluster-up';
import type { Argv } from 'yargs';
import { CliError } from '../io.js';
import type { CliIo } from '../io.js';
import { loadClusterConfig, withSettingFlags } from '../settings.js';
import type { GlobalArgs } from '../settings.js';

interface RenderArgs extends GlobalArgs {
  out: string;
  'release-url'?: string;
  'release-sha256'?: string;
}

export function renderCommand(io: CliIo) {
  return {
    command: 'render',
    describe: "Write every machine's cloud-config and known_tokens.csv to a directory (no cloud needed)",
    builder: (yargs: Argv<GlobalArgs>) =>
      withSettingFlags(
        yargs
          .option('out', { type: 'string', demandOption: true, describe: 'directory to write master.yaml, node-<i>.yaml and known_tokens.csv to' })
          .option('release-url', { type: 'string', describe: 'URL machines download the server tarball from (default: a marked placeholder)' })
          .option('release-sha256', { type: 'string', describe: 'SHA-256 of the server tarball; machines refuse a download that differs' })
          .example('$0 render --out ./rendered', 'render the default 4-node cluster')
          .example('$0 render --out ./rendered --num-nodes 2 --release-url https://example.invalid/k.tar.gz', 'two nodes, a real release URL'),
      ),
    handler: async (args: RenderArgs & Record<string, unknown>) => {
      const sha256 = args['release-sha256'];
      if (sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(sha256)) {
        throw new CliError(`--release-sha256=${JSON.stringify(sha256)}: must be 64 hexadecimal digits`, 2);
      }
      const releaseUrl = args['release-url'];
      if (releaseUrl !== undefined && !/^https?:\/\/\S+$/.test(releaseUrl)) {
        throw new CliError('--release-url: must be an http(s) URL', 2);
      }
      const config = await loadClusterConfig(args, io);
      const { provider, placeholders } = cloudProviderFromEnv(cloudProfileFor(config, io.env), io.env);
      if (!releaseUrl) placeholders.push('release temp URL (--release-url)');
      const { secrets, created } = await loadOrCreateSecrets(raxKubeHome(io.env), config.clusterName);
      const rendered = renderCluster(config, {
        secrets,
        cloudProvider: provider,
        release: { url: releaseUrl ?? PLACEHOLDER_RELEASE_URL, ...(sha256 ? { sha256: sha256.toLowerCase() } : {}) },
      });
      const outDir = resolve(io.cwd, args.out);
      const files = await writeRenderedCluster(outDir, rendered);
      io.stdout(`Rendered cluster "${config.clusterName}" (master + ${config.numNodes} nodes) to ${outDir}: ${files.length} files, mode 0600\n`);
      io.stdout(`${created ? 'Created new' : 'Reused the'} cluster credentials under ${raxKubeHome(io.env)}\n`);
      io.stdout(`Validation:\n${clusterReport(rendered).replace(/^/gm, '  ')}\n`);
      if (placeholders.length > 0) {
        io.stdout(`Placeholders (marked RAX_KUBE_PLACEHOLDER_* in the files): ${placeholders.join(', ')}; set the OS_* variables or pass the flag to fill them in.\n`);
      }
    },
  };
}
