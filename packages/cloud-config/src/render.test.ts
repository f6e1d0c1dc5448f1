import { describe, expect, it } from 'vitest';
import type { CloudConfig } from './model.js';
import { render } from './render.js';
import { CloudConfigError } from './report.js';
import { parse, serialize } from './yaml.js';

describe('render', () => {
  it('starts with the #cloud-config header and reads back as the same document', () => {
    const doc: CloudConfig = { hostname: 'a', coreos: { units: [{ name: 'a.service', command: 'start' }] } };
    const { text, report } = render(doc);
    expect(text.startsWith('#cloud-config\n')).toBe(true);
    expect(parse(text)).toEqual(doc);
    expect(report.valid).toBe(true);
  });

  it('quotes strings a YAML 1.1 reader (coreos-cloudinit) would turn into booleans or numbers', () => {
    const doc: CloudConfig = {
      write_files: [{ path: '/x', permissions: '0600', content: 'yes' }],
      coreos: { update: { reboot_strategy: 'off' }, etcd2: { proxy: 'on', name: '1e3' } },
    };
    const { text } = render(doc);
    expect(text).toContain("permissions: '0600'");
    expect(text).toContain("reboot_strategy: 'off'");
    expect(text).toContain("proxy: 'on'");
    expect(text).toContain("content: 'yes'");
    expect(parse(text)).toEqual(doc);
  });

  it('keeps values that look like YAML syntax as data', () => {
    const nasty = "a: b # not a comment\n- not a list\n| & * ! % @ `\n'\"\\ ünïcødé ✓";
    const doc: CloudConfig = { write_files: [{ path: '/x', content: nasty }] };
    expect(parse(render(doc).text)).toEqual(doc);
  });

  it('refuses an invalid document and says where', () => {
    const doc = { coreos: { units: [{ name: 'nosuffix', command: 'start' }] } } as CloudConfig;
    expect(() => render(doc)).toThrow(CloudConfigError);
    expect(() => render(doc)).toThrow(/\$\.coreos\.units\[0\]\.name/);
  });

  it('refuses a document over Nova user-data limit', () => {
    const doc: CloudConfig = { write_files: [{ path: '/big', content: 'x'.repeat(60_000) }] };
    expect(() => render(doc)).toThrow(/once base64-encoded; Nova accepts at most 65535/);
  });

  it('parse rejects text without the header', () => {
    expect(() => parse('hostname: x\n')).toThrow(/first line must be exactly "#cloud-config"/);
    expect(parse('#cloud-config\r\nhostname: x\r\n')).toEqual({ hostname: 'x' });
    expect(serialize({})).toBe('#cloud-config\n\n{}\n');
  });
});
