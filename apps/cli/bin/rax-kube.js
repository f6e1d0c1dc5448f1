#!/usr/bin/env node
// The CLI ships as one bundled file (dist/main.js) so start-up loads no TypeScript and few modules.
import('../dist/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    process.stderr.write('rax-kube: the CLI is not built yet; run `npm ci` (or `npm run build`) at the repository root.\n');
    process.exit(1);
  }
  throw error;
});
