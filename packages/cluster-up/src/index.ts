export * from './config/index.js';
export { clusterDir, generateSecrets, loadOrCreateSecrets, raxKubeHome, SecretsFileError, writePrivateFile } from './secrets/store.js';
export type { RandomBytes } from './secrets/store.js';
export { cloudProfileFor, cloudProviderFromEnv, PLACEHOLDER_PREFIX } from './render/cloud-provider.js';
export { clusterReport, legacyParams, PLACEHOLDER_RELEASE_URL, renderCluster, writeRenderedCluster } from './render/render-cluster.js';
export type { RenderedCluster, RenderInputs } from './render/render-cluster.js';
