export { startFakeMaster, FAKE_MASTER_VERSION } from './fake-master.js';
export type { FakeMaster, FakeMasterOptions } from './fake-master.js';
export { credentialsFromUserData, MASTER_CREDENTIAL_FILES } from './credentials.js';
export type { FakeMasterCredentials } from './credentials.js';
export { generateSelfSignedCertificate } from './self-signed.js';
export type { SelfSignedCertificate, SelfSignedOptions } from './self-signed.js';
export { localDir, localReleaseTarball, startLocalCloud } from './local-cloud.js';
export type { LocalCloud } from './local-cloud.js';
