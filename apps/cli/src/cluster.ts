// The library calls commands make, in one place, so commands stay thin.
export { connect, publishRelease, raxKubeHome, releaseOwner } from '@rax-kube/cluster-up';
export { loadClusterConfig as loadConfigForCommand } from './settings.js';
