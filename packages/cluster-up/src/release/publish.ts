import {
  createReleaseTempUrl,
  ensureTempUrlKey,
  fetchRelease,
  findServerTarball,
  uploadServerTarball,
} from '@rax-kube/tarball-builder';
import type { ObjectStorage, TransferProgress, UploadProgress, UploadedTarball } from '@rax-kube/tarball-builder';
import type { TempUrlDigest } from '@rax-kube/openstack-client';

export type ReleaseSource = { kind: 'path'; tarball?: string } | { kind: 'version'; version: string; baseUrl?: string };

export interface PublishReleaseOptions {
  objectStorage: ObjectStorage;
  source: ReleaseSource;
  /** The release container's owner (`kubernetes-releases-<owner>`), unless `container` is given. */
  owner: string;
  container?: string;
  containerPrefix: string;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  home: string;
  segmentSize?: number;
  ttlSeconds?: number;
  digest?: TempUrlDigest;
  onDownloadProgress?: (progress: TransferProgress) => void;
  onUploadProgress?: (progress: UploadProgress) => void;
}

export interface PublishedRelease {
  tarball: string;
  /** How the tarball was found: a path, the environment, the build tree, or a fetched version. */
  origin: string;
  upload: UploadedTarball;
  /** Signed GET URL for the machines: a secret, never print it unasked. */
  url: string;
  expiresAt: Date;
}

/**
 * Locates (or fetches and verifies) the server tarball, uploads it unless the cloud already holds
 * the same bytes, and signs a temp URL for the machines to download it at first boot.
 */
export async function publishRelease(options: PublishReleaseOptions): Promise<PublishedRelease> {
  let tarball: string;
  let origin: string;
  if (options.source.kind === 'version') {
    const fetched = await fetchRelease({
      version: options.source.version,
      home: options.home,
      env: { ...options.env },
      ...(options.source.baseUrl ? { baseUrl: options.source.baseUrl } : {}),
      ...(options.onDownloadProgress ? { onProgress: options.onDownloadProgress } : {}),
    });
    tarball = fetched.path;
    origin = `release ${fetched.version}${fetched.fromCache ? ' (verified cache)' : ` from ${fetched.url}`}`;
  } else {
    const found = await findServerTarball({ env: { ...options.env }, cwd: options.cwd, ...(options.source.tarball ? { tarball: options.source.tarball } : {}) });
    tarball = found.path;
    origin = found.source === 'option' ? 'path given' : found.source === 'env' ? 'KUBE_SERVER_TARBALL' : `the build tree (${found.source})`;
  }
  // The temp-URL key does not depend on the upload: its round trips (up to three on a new account)
  // run alongside the upload's. If it cannot be had, the upload is stopped rather than left running
  // (it then fails with the key's error, unless it had failed on its own first).
  const stopUpload = new AbortController();
  const keying = ensureTempUrlKey(options.objectStorage).catch((err: unknown) => {
    stopUpload.abort(err);
    throw err;
  });
  const uploading = uploadServerTarball({
    objectStorage: options.objectStorage,
    tarball,
    containerPrefix: options.containerPrefix,
    ...(options.container ? { container: options.container } : { username: options.owner }),
    ...(options.segmentSize ? { segmentSize: options.segmentSize } : {}),
    ...(options.onUploadProgress ? { onProgress: options.onUploadProgress } : {}),
    signal: stopUpload.signal,
  });
  const [uploaded, keyed] = await Promise.allSettled([uploading, keying]);
  if (uploaded.status === 'rejected') throw uploaded.reason;
  if (keyed.status === 'rejected') throw keyed.reason;
  const upload = uploaded.value;
  const temp = await createReleaseTempUrl({
    objectStorage: options.objectStorage,
    container: upload.container,
    object: upload.object,
    key: keyed.value,
    ...(options.ttlSeconds ? { ttlSeconds: options.ttlSeconds } : {}),
    ...(options.digest ? { digest: options.digest } : {}),
  });
  return { tarball, origin, upload, url: temp.url, expiresAt: temp.expiresAt };
}
