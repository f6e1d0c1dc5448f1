import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('README example', () => {
  it('is examples/quickstart.mjs verbatim, and it runs against the sim', async () => {
    const source = readFileSync(join(root, 'examples', 'quickstart.mjs'), 'utf8');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(source);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const example = join(root, 'examples', 'quickstart.mjs');
      await import(/* @vite-ignore */ example);
      const lines = log.mock.calls.map((c) => String(c[0]));
      expect(lines[0]).toMatch(/^server: 9 entries, \d+ bytes, sha256 [0-9a-f]{12}…$/u);
      expect(lines).toContain(lines.find((l) => /^upload: (\d+) of \1 bytes$/u.test(l)));
      expect(lines.find((l) => l.includes(' -> GET '))).toMatch(/^kubernetes-releases-\S+\/devel\/kubernetes-server-linux-amd64\.tar\.gz -> GET 200 until \d{4}-/u);
      expect(lines.at(-1)).toMatch(/temp_url_sig=REDACTED&temp_url_expires=\d+$/u);
    } finally {
      log.mockRestore();
    }
  });
});
