import { CloudConfigError } from '@rax-kube/cloud-config';
import { ClusterOperationError, UserInputError } from '@rax-kube/cluster-up';
import { OpenStackError } from '@rax-kube/openstack-client';
import { TarballError } from '@rax-kube/tarball-builder';
import yargs from 'yargs';
import { renderCommand } from './commands/render.js';
import { simCommand } from './commands/sim.js';
import { uploadCommand } from './commands/upload.js';
import { upCommand } from './commands/up.js';
import { downCommand } from './commands/down.js';
import { statusCommand } from './commands/status.js';
import { CliError } from './io.js';
import type { CliIo } from './io.js';

const USER_TARBALL_ERRORS = new Set(['TARBALL_NOT_FOUND', 'TARBALL_CORRUPT', 'TARBALL_TRUNCATED', 'TARBALL_INVALID_LAYOUT', 'BUILD_INPUT_INVALID', 'RELEASE_VERSION_INVALID', 'UPLOAD_OPTIONS_INVALID', 'TEMP_URL_OPTIONS_INVALID']);
const USER_CLOUD_ERRORS = new Set(['CONFIG', 'AUTH_FAILED', 'CATALOG_NO_ENDPOINT', 'AMBIGUOUS', 'RESOURCE_NOT_FOUND', 'INVALID_ARGUMENT']);

/** Input the user can fix (settings, files, credentials): printed without a stack, exit status 2. */
function isUserError(error: unknown): error is Error {
  return (
    error instanceof UserInputError ||
    error instanceof CloudConfigError ||
    (error instanceof TarballError && USER_TARBALL_ERRORS.has(error.code)) ||
    (error instanceof OpenStackError && USER_CLOUD_ERRORS.has(error.code)) ||
    (error instanceof CliError && error.exitCode === 2)
  );
}

/** Failures of an operation that was allowed to run: message only, exit status 1. */
function isOperationalError(error: unknown): error is Error {
  return error instanceof ClusterOperationError || error instanceof TarballError || error instanceof OpenStackError || error instanceof CliError;
}

/**
 * Runs the CLI and resolves to the exit status: 0 ok, 2 bad input, 1 failure. Expected errors
 * print their message only; anything else is a bug and prints its stack.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parser = yargs([...argv])
    .scriptName('rax-kube')
    .usage('$0 <command> [options]\n\nBring up Kubernetes on Rackspace / OpenStack with CoreOS-family machines.')
    .option('cluster', { type: 'string', global: true, describe: 'cluster name (INSTANCE_PREFIX)' })
    .option('config', { type: 'string', global: true, describe: 'config file: YAML or KEY=value lines' })
    .option('cloud', { type: 'string', global: true, describe: 'cloud name in clouds.yaml (OS_CLOUD)' })
    .option('verbose', { alias: 'v', type: 'count', global: true, describe: 'more output (-vv for debug)' })
    .command(upCommand(io))
    .command(downCommand(io))
    .command(statusCommand(io))
    .command(renderCommand(io))
    .command(simCommand(io))
    .command(uploadCommand(io))
    .demandCommand(1, 'Name a command; see --help.')
    .strict()
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new CliError(`${message}\nRun rax-kube --help for usage.`, 2);
    });
  try {
    let helpOutput = '';
    await parser.parseAsync([...argv], {}, (_error, _parsed, output) => {
      helpOutput = output;
    });
    if (helpOutput) io.stdout(`${helpOutput}\n`);
    return 0;
  } catch (error) {
    if (isUserError(error)) {
      io.stderr(`rax-kube: ${error.message}\n`);
      return 2;
    }
    if (isOperationalError(error)) {
      io.stderr(`rax-kube: ${error.message}\n`);
      return 1;
    }
    io.stderr(`rax-kube: unexpected error (a bug; please report it):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
