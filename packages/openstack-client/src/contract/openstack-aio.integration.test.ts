import { contractSuite } from './contract-suite.js';
import { prepareAio } from './targets.js';

await contractSuite(await prepareAio());
