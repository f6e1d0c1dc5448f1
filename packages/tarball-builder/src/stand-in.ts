import { join, resolve } from 'node:path';
import { writeReproducibleTarball } from './build.js';
import type { ArchiveFile, BuiltTarball, ReproducibleArchiveOptions } from './build.js';
import { REQUIRED_SERVER_BINARIES, SERVER_BIN_DIR, SERVER_TARBALL_NAME } from './layout.js';

export const STAND_IN_LABEL_PATH = 'kubernetes/STAND-IN-RELEASE.txt';

export interface StandInReleaseOptions extends ReproducibleArchiveOptions {
  /** Shown by every stand-in binary and in the label file; default `v0.0.0-rax-kube-stand-in`. */
  version?: string;
}

export const standInScript = (binary: string, version: string): string =>
  [
    '#!/bin/sh',
    `# ${binary}: a rax-kube STAND-IN, not Kubernetes. It exists so that 'rax-kube up --local' can`,
    '# exercise the release upload and download path without a real multi-hundred-megabyte release.',
    `echo "${binary} ${version}: rax-kube stand-in binary, not a real Kubernetes component" >&2`,
    'exit 0',
    '',
  ].join('\n');

export const standInLabel = (version: string): string =>
  [
    'THIS IS A STAND-IN RELEASE, NOT KUBERNETES.',
    '',
    `Built by rax-kube (@rax-kube/tarball-builder) as version ${version} for local runs`,
    "('rax-kube up --local' against the simulated cloud). Every file under",
    `${SERVER_BIN_DIR}/ is a tiny shell script that only prints that it is a stand-in.`,
    'Never deploy it to real machines: nothing in it can run a cluster.',
    '',
  ].join('\n');

/** The archive members of the stand-in release, without writing anything. */
export function standInFiles(version = 'v0.0.0-rax-kube-stand-in'): ArchiveFile[] {
  return [
    { path: STAND_IN_LABEL_PATH, source: { kind: 'bytes', data: Buffer.from(standInLabel(version)) }, executable: false },
    ...REQUIRED_SERVER_BINARIES.map(
      (name): ArchiveFile => ({
        path: `${SERVER_BIN_DIR}/${name}`,
        source: { kind: 'bytes', data: Buffer.from(standInScript(name, version)) },
        executable: true,
      }),
    ),
  ];
}

/**
 * Write a small, clearly labelled stand-in server tarball to `<dir>/server/kubernetes-server-linux-amd64.tar.gz`,
 * where `findServerTarball({ kubeRoot: dir })` finds it. Reproducible like every build here.
 */
export async function buildStandInRelease(dir: string, options: StandInReleaseOptions = {}): Promise<BuiltTarball> {
  return writeReproducibleTarball(standInFiles(options.version), join(resolve(dir), 'server', SERVER_TARBALL_NAME), options);
}
