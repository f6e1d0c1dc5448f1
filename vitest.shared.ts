import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

const workspaceRoot = dirname(fileURLToPath(import.meta.url));

/** Workspace packages resolve to their TypeScript sources, so tests never need a prior build. */
function workspaceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const name of readdirSync(join(workspaceRoot, 'packages'))) {
    aliases[`@rax-kube/${name}`] = join(workspaceRoot, 'packages', name, 'src', 'index.ts');
  }
  return aliases;
}

/**
 * Three kinds of tests, told apart by file name, each its own vitest project and nx target:
 * `*.test.ts` (fast unit suite), `*.property.test.ts` (fast-check), `*.integration.test.ts`
 * (spawns tools or talks to services).
 */
export function sharedTestConfig(): ViteUserConfig {
  return {
    resolve: { alias: workspaceAliases() },
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: ['src/**/*.test.ts'],
            exclude: ['src/**/*.property.test.ts', 'src/**/*.integration.test.ts'],
          },
        },
        { extends: true, test: { name: 'property', include: ['src/**/*.property.test.ts'], testTimeout: 60_000 } },
        { extends: true, test: { name: 'integration', include: ['src/**/*.integration.test.ts'], testTimeout: 120_000 } },
      ],
    },
  };
}
