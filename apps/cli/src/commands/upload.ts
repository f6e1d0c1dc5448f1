import { connect, publishRelease, raxKubeHome, releaseOwner } from '@rax-kube/cluster-up';
import type { Argv } from 'yargs';
import { CliError } from '../io.js';
import type { CliIo } from '../io.js';
import { progressPrinter } from '../progress.js';
import { loadClusterConfig, withSettingFlags } from '../settings.js';
import type { GlobalArgs } from '../settings.js';

interface UploadArgs extends GlobalArgs {
  tarball?: string;
  version?: string;
  'print-url': boolean;
  container?: string;
  'segment-size'?: number;
  ttl: number;
  digest: 'sha1' | 'sha256' | 'sha512';
  'release-base-url'?: string;
}

const MIB = 1024 * 1024;

export function uploadCommand(io: CliIo) {
  return {
    command: 'upload',
    describe: 'Upload the Kubernetes server tarball to object storage and sign a temp URL for it',
    builder: (yargs: Argv<GlobalArgs>) =>
      withSettingFlags(
        yargs
          .option('tarball', { type: 'string', describe: 'the server tarball (default: KUBE_SERVER_TARBALL, server/, _output/release-tars/)' })
          .option('version', { type: 'string', describe: 'fetch this official release (vX.Y.Z), verified against its .sha512' })
          .option('release-base-url', { type: 'string', describe: 'where official releases are fetched from' })
          .option('print-url', { type: 'boolean', default: false, describe: 'print the temp URL itself (it grants access: keep it private)' })
          .option('container', { type: 'string', describe: 'container (default kubernetes-releases-<user>)' })
          .option('segment-size', { type: 'number', describe: 'MiB above which the upload is split into parallel segments (default 1024)' })
          .option('ttl', { type: 'number', default: 86_400, describe: 'temp URL lifetime in seconds' })
          .option('digest', { choices: ['sha1', 'sha256', 'sha512'] as const, default: 'sha256' as const, describe: 'temp URL signature digest' })
          .conflicts('tarball', 'version')
          .example('$0 upload', 'upload the tarball found in the build tree')
          .example('$0 upload --version v1.0.7 --print-url', 'fetch, verify and upload an official release'),
      ),
    handler: async (args: UploadArgs & Record<string, unknown>) => {
      if (!Number.isInteger(args.ttl) || args.ttl < 60) throw new CliError(`--ttl=${args.ttl}: must be a whole number of seconds, at least 60`, 2);
      const segmentMiB = args['segment-size'];
      if (segmentMiB !== undefined && !(Number.isInteger(segmentMiB) && segmentMiB >= 1)) {
        throw new CliError(`--segment-size=${segmentMiB}: must be a whole number of MiB, at least 1`, 2);
      }
      const config = await loadClusterConfig(args, io);
      const { client, credentials } = connect(io.env, args.cloud);
      const progress = progressPrinter(io);
      const published = await publishRelease({
        objectStorage: client.objectStorage,
        source: args.version ? { kind: 'version', version: args.version, ...(args['release-base-url'] ? { baseUrl: args['release-base-url'] } : {}) } : { kind: 'path', ...(args.tarball ? { tarball: args.tarball } : {}) },
        owner: releaseOwner(credentials),
        ...(args.container ? { container: args.container } : {}),
        containerPrefix: config.containerPrefix,
        env: io.env,
        cwd: io.cwd,
        home: raxKubeHome(io.env),
        ttlSeconds: args.ttl,
        digest: args.digest,
        ...(segmentMiB ? { segmentSize: segmentMiB * MIB } : {}),
        onDownloadProgress: (p) => progress('download', p),
        onUploadProgress: (p) => progress(p.phase, p),
      });
      const { upload } = published;
      io.stdout(
        [
          `tarball:  ${published.tarball} (${published.origin})`,
          `object:   ${upload.container}/${upload.object}${upload.segments > 0 ? ` (static large object, ${upload.segments} segments)` : ''}`,
          `size:     ${upload.size} bytes`,
          `sha256:   ${upload.digests.sha256}`,
          `etag:     ${upload.etag}`,
          `upload:   ${upload.uploaded ? 'uploaded' : 'skipped, the cloud already has these bytes'}`,
          `temp URL: GET, expires ${published.expiresAt.toISOString()}${args['print-url'] ? '' : ' (pass --print-url to show it)'}`,
          ...(args['print-url'] ? [published.url] : []),
          '',
        ].join('\n'),
      );
    },
  };
}
