import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FILE_ENCODINGS, KNOWN_KEYS, REBOOT_STRATEGIES, UNIT_COMMANDS } from './model.js';
import type { CloudConfig } from './model.js';
import { render } from './render.js';
import { parseUnitFile, serializeUnitFile, unitFile } from './systemd/unit-file.js';
import { parse, serialize } from './yaml.js';

/**
 * Any Unicode text: quotes, `|`, `&`, `:`, ` #`, newlines, control characters, astral planes.
 * Lone UTF-16 surrogates are left out: they are not characters and cannot be written as UTF-8.
 */
const anyText = fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => s.isWellFormed());
const yamlHostile = fc.constantFrom('', ' ', 'off', 'yes', '0600', '~', 'null', '- a', 'a: b', ' #c', '|', '>', '&x', '*x', '!x', '%x', '@', '`', '"', "'", '\n', '\t', '\r\n', '\u2028', '\ufeff', '\0', '1e3', '0x1F', '.inf', '2001-01-01');
const text = fc.oneof({ weight: 3, arbitrary: anyText }, { weight: 1, arbitrary: yamlHostile }, { weight: 1, arbitrary: fc.array(yamlHostile, { maxLength: 5 }).map((a) => a.join('')) });

const BOOLEAN_KEYS = new Set(['client_cert_auth', 'debug', 'enable_pprof', 'force_new_cluster', 'peer_client_cert_auth', 'strict_reconfig_check', 'ip_masq', 'disable_engine', 'disable_watches', 'snapshot', 'verbose', 'very_verbose']);
const NUMBER_KEYS = new Set(['election_timeout', 'heartbeat_interval', 'max_snapshots', 'snapshot_count', 'verbosity', 'token_limit', 'engine_reconcile_interval', 'etcd_request_timeout']);

/** A mapping drawing every key of `keys`, strings for every string field. */
function section(keys: readonly string[]) {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const key of keys) model[key] = BOOLEAN_KEYS.has(key) ? fc.boolean() : NUMBER_KEYS.has(key) ? fc.nat() : text;
  return fc.record(model, { requiredKeys: [] });
}

const anyDocument: fc.Arbitrary<CloudConfig> = fc.record(
  {
    hostname: text,
    manage_etc_hosts: fc.constant('localhost' as const),
    ssh_authorized_keys: fc.array(text, { maxLength: 3 }),
    users: fc.array(
      fc.record({
        name: text,
        passwd: text,
        gecos: text,
        homedir: text,
        shell: text,
        primary_group: text,
        groups: fc.array(text, { maxLength: 2 }),
        ssh_authorized_keys: fc.array(text, { maxLength: 2 }),
        system: fc.boolean(),
      }, { requiredKeys: ['name'] }),
      { maxLength: 2 },
    ),
    write_files: fc.array(
      fc.record({ path: text, content: text, permissions: text, owner: text, encoding: fc.constantFrom(...FILE_ENCODINGS) }, { requiredKeys: ['path'] }),
      { maxLength: 3 },
    ),
    coreos: fc.record(
      {
        etcd: section(KNOWN_KEYS.etcd.filter((k) => !k.includes('timeout') && !k.includes('interval') && !k.startsWith('cluster_') && !k.startsWith('max_') && !k.startsWith('peer_election') && !k.startsWith('peer_heartbeat'))),
        etcd2: section(KNOWN_KEYS.etcd2.filter((k) => !k.includes('timeout') && !k.includes('interval') && !k.includes('refresh') && !k.includes('failure') && k !== 'max_wals' && k !== 'proxy' && k !== 'initial_cluster_state')),
        flannel: section(KNOWN_KEYS.flannel),
        fleet: section(KNOWN_KEYS.fleet),
        locksmith: section(KNOWN_KEYS.locksmith),
        update: fc.record({ reboot_strategy: fc.constantFrom(...REBOOT_STRATEGIES), group: text, server: text }, { requiredKeys: [] }),
        oem: section(KNOWN_KEYS.oem),
        units: fc.array(
          fc.record({
            name: text,
            content: text,
            command: fc.constantFrom(...UNIT_COMMANDS),
            enable: fc.boolean(),
            drop_ins: fc.array(fc.record({ name: text, content: text }), { maxLength: 2 }),
          }, { requiredKeys: ['name'] }),
          { maxLength: 3 },
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<CloudConfig>;

/** One line of systemd text: no line breaks, no surrounding blanks, no trailing backslash. */
const unitValue = anyText.map((s) => s.replace(/[\r\n\u0085\u2028\u2029]/g, ' ').trim().replace(/\\+$/, '')).filter((s) => s.trim() === s);

describe('render / parse properties', () => {
  it('any value in any string field survives serialize then parse', () => {
    fc.assert(
      fc.property(anyDocument, (doc) => {
        expect(parse(serialize(doc))).toEqual(doc);
      }),
      { numRuns: 500 },
    );
  });

  it('valid documents with arbitrary text render, validate, and read back unchanged', () => {
    const validDocument = fc.record({
      gecos: text,
      content: text,
      description: unitValue,
      environment: unitValue,
      args: fc.array(unitValue, { minLength: 1, maxLength: 4 }),
    }).map(({ gecos, content, description, environment, args }): CloudConfig => ({
      hostname: 'node-1',
      users: [{ name: 'ops', gecos }],
      write_files: [{ path: '/etc/demo', permissions: '0600', content }],
      coreos: {
        units: [
          {
            name: 'demo.service',
            command: 'start',
            content: serializeUnitFile(
              unitFile({
                Unit: { Description: description || 'demo' },
                Service: { Environment: environment || 'A=b', ExecStart: ['/usr/bin/printf', ...args].map((a) => JSON.stringify(a)).join(' ') },
              }),
            ),
          },
        ],
      },
    }));
    fc.assert(
      fc.property(validDocument, (doc) => {
        const { text: rendered } = render(doc);
        expect(parse(rendered)).toEqual(doc);
      }),
      { numRuns: 300 },
    );
  });

  it('systemd units read back as written', () => {
    const sectionName = fc.constantFrom('Unit', 'Service', 'Install', 'X-Custom');
    const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,12}$/);
    const unit = fc
      .array(fc.record({ name: sectionName, entries: fc.array(fc.record({ key, value: unitValue }), { maxLength: 6 }) }), { maxLength: 4 })
      .map((sections) => ({ sections }));
    fc.assert(
      fc.property(unit, (u) => {
        expect(parseUnitFile(serializeUnitFile(u))).toEqual({ unit: u, problems: [] });
      }),
      { numRuns: 500 },
    );
  });
});
