import type { CloudConfig } from '../../model.js';
import { render } from '../../render.js';
import { CloudConfigError } from '../../report.js';
import type { ValidationReport } from '../../report.js';
import { userDataSize } from '../../user-data.js';
import { masterDocument } from './master.js';
import { nodeDocument } from './node.js';
import { masterName, nodeName } from './params.js';
import type { LegacyClusterParams } from './params.js';

export interface RenderedMachine {
  /** Server name, also the machine's host name. */
  name: string;
  role: 'master' | 'node';
  document: CloudConfig;
  /** `#cloud-config` text to pass as Nova `user_data` (before base64). */
  userData: string;
  /** Size as Nova counts it (base64-encoded). */
  userDataSize: number;
  report: ValidationReport;
}

function renderMachine(name: string, role: RenderedMachine['role'], document: CloudConfig): RenderedMachine {
  try {
    const { text, report } = render(document);
    return { name, role, document, userData: text, userDataSize: userDataSize(text), report };
  } catch (error) {
    if (error instanceof CloudConfigError) throw new CloudConfigError(`${name}: ${error.message.split('\n')[0]}`, error.report);
    throw error;
  }
}

/** The master's user data (SPEC §1 "Master machine"), validated; throws CloudConfigError otherwise. */
export function renderMaster(params: LegacyClusterParams): RenderedMachine {
  return renderMachine(masterName(params), 'master', masterDocument(params));
}

/** Node `index` (1-based) user data (SPEC §1 "Node machine"), validated. */
export function renderNode(params: LegacyClusterParams, index: number): RenderedMachine {
  return renderMachine(nodeName(params, index), 'node', nodeDocument(params, index));
}

export { masterDocument } from './master.js';
export { nodeBridgeSubnet, nodeDocument } from './node.js';
export { knownTokensCsv, nodeToken } from './tokens.js';
export { COREOS_IMAGE, RELEASE_EXECUTABLES } from './image.js';
export { masterName, nodeName, NODE_TOKEN_ROLES, RACKSPACE_INTERFACES, SERVICE_ACCOUNTS, SINGLE_NETWORK_INTERFACES } from './params.js';
export type { ClusterSecrets, CloudProviderConfig, EtcdBootstrap, LegacyClusterParams, MachineInterfaces, NodeTokenRole, ServiceAccount } from './params.js';
