import { contractSuite } from './contract-suite.js';
import { prepareSim } from './targets.js';

await contractSuite(await prepareSim('rackspace'));
