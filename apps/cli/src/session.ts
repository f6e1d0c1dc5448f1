import { join } from 'node:path';
import {
  cloudProfileFor,
  cloudProviderFromCredentials,
  connect,
  ensureLocalSshKey,
  loadOrCreateSecrets,
  localDir,
  localReleaseTarball,
  publishRelease,
  raxKubeHome,
  releaseOwner,
  startLocalCloud,
} from '@rax-kube/cluster-up';
import type { ClusterConfig, CloudProfile, LocalCloud, LocalSshKey, ReleaseLocation } from '@rax-kube/cluster-up';
import type { ClusterSecrets, coreosLegacy } from '@rax-kube/cloud-config';
import type { OpenStackClient, Server } from '@rax-kube/openstack-client';
import type { CliIo } from './io.js';
import type { StepOutput } from './events-printer.js';
import { loadClusterConfig } from './settings.js';
import type { GlobalArgs } from './settings.js';

export interface SessionArgs extends GlobalArgs {
  local?: boolean;
  tarball?: string;
  version?: string;
}

/** Everything a cluster command needs: config, cloud (real or local), and where things live. */
export interface ClusterSession {
  config: ClusterConfig;
  home: string;
  client: OpenStackClient;
  profile: CloudProfile;
  local?: LocalCloud;
  credentials: Record<string, unknown>;
  region: string | undefined;
  /** Where a master's API is reached: the stand-in master in local mode. */
  apiUrl?: (master: Server) => Promise<string | undefined>;
  close(): Promise<void>;
}

export async function openSession(args: SessionArgs & Record<string, unknown>, io: CliIo): Promise<ClusterSession> {
  const config = await loadClusterConfig(args, io);
  const home = raxKubeHome(io.env);
  if (args.local) {
    const local = await startLocalCloud(home);
    const { credentials, region } = connect(local.env);
    return { config, home, client: local.client, profile: 'rackspace', local, credentials: { ...credentials }, region, apiUrl: local.apiUrl, close: () => local.close() };
  }
  const { client, credentials, region } = connect(io.env, args.cloud);
  return { config, home, client, profile: cloudProfileFor(config, io.env), credentials: { ...credentials }, region, close: async () => undefined };
}

export interface ClusterInputs {
  secrets: ClusterSecrets;
  key: LocalSshKey;
  cloudProvider: coreosLegacy.CloudProviderConfig;
  publish: () => Promise<ReleaseLocation>;
}

export async function clusterInputs(
  session: ClusterSession,
  args: SessionArgs & { 'ssh-key-type'?: 'rsa' | 'ed25519' },
  io: CliIo,
  output: Pick<StepOutput, 'transfer' | 'note'>,
): Promise<ClusterInputs> {
  const { secrets } = await loadOrCreateSecrets(session.home, session.config.clusterName);
  // Local clusters keep their throwaway key with the local cloud rather than in ~/.ssh.
  const sshDir = session.local ? join(localDir(session.home), 'ssh') : undefined;
  const key = await ensureLocalSshKey(session.config.sshKeyName, args['ssh-key-type'] ?? 'rsa', ...(sshDir ? [sshDir] : []));
  const cloudProvider = cloudProviderFromCredentials(session.profile, session.credentials, session.region);
  const publish = async (): Promise<ReleaseLocation> => {
    let tarball = args.tarball;
    if (session.local && !args.version) {
      const found = await localReleaseTarball(session.home, io.env, io.cwd, args.tarball);
      if (found.standIn) output.note(`note: no Kubernetes release found; using a STAND-IN release (labelled, no real binaries) built at ${found.path}\n`);
      tarball = found.path;
    }
    const published = await publishRelease({
      objectStorage: session.client.objectStorage,
      source: args.version ? { kind: 'version', version: args.version } : { kind: 'path', ...(tarball ? { tarball } : {}) },
      owner: releaseOwner(session.credentials as never),
      containerPrefix: session.config.containerPrefix,
      env: io.env,
      cwd: io.cwd,
      home: session.home,
      onUploadProgress: (p) => output.transfer(p.phase, p),
      onDownloadProgress: (p) => output.transfer('download', p),
    });
    return { url: published.url, sha256: published.upload.digests.sha256, expiresAt: published.expiresAt };
  };
  return { secrets, key, cloudProvider, publish };
}
