import { defineConfig } from 'tsup';

// One self-contained ESM file: every dependency is bundled so `rax-kube --help` resolves no
// packages at start-up. CommonJS dependencies inside the bundle still need `require`.
export default defineConfig({
  entry: { main: 'src/main.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  bundle: true,
  noExternal: [/.*/],
  splitting: false,
  sourcemap: true,
  clean: true,
  banner: {
    js: "import { createRequire as __raxCreateRequire } from 'node:module'; const require = __raxCreateRequire(import.meta.url);",
  },
});
