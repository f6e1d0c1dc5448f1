import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('README example', () => {
  it('is the example file, verbatim, and it runs', async () => {
    const example = readFileSync(join(root, 'examples', 'standalone.ts'), 'utf8');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(example);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await import('../examples/standalone.js');
    expect(log.mock.calls[0]?.[0]).toEqual([]);
    expect(String(log.mock.calls[1]?.[0])).toMatch(/^#cloud-config\n\nhostname: demo-1\n/);
    log.mockRestore();
  });
});
