import { environmentFile } from '../../../cloud-config/src/profiles/coreos-legacy/files.js';
import { describe, expect, it } from 'vitest';
import { parseEnvironmentFile } from './environment-file.js';

const read = (text: string): Record<string, string> => Object.fromEntries(parseEnvironmentFile(text));

describe('parseEnvironmentFile', () => {
  it('reads back what the cloud-config profile writes, escapes included', () => {
    const values = { INSTANCE_PREFIX: 'kube', NUM_NODES: '12', ODD: 'a "b" \\c `d` $e \\n', EMPTY: '' };
    expect(read(environmentFile(values))).toEqual(values);
  });

  it('follows systemd for comments, quoting, spaces and continuations', () => {
    const text = [
      '# comment',
      '; also a comment',
      '',
      '  SPACED  =  value with spaces   ',
      "SINGLE='no \\\"escapes\\\" $here'",
      'DOUBLE="keeps \\x unknown escapes"',
      'UNQUOTED=a\\ b\\"c',
      'JOINED="x"y',
      'MULTI="line one',
      'line two"',
      'CONT=first\\',
      'second',
      'QUOTE_INSIDE=ab"cd"',
    ].join('\n');
    expect(read(text)).toEqual({
      SPACED: 'value with spaces',
      SINGLE: 'no \\"escapes\\" $here',
      DOUBLE: 'keeps \\x unknown escapes',
      UNQUOTED: 'a b"c',
      JOINED: 'xy',
      MULTI: 'line one\nline two',
      CONT: 'firstsecond',
      QUOTE_INSIDE: 'ab"cd"',
    });
  });

  it('keeps the last assignment of a variable and rejects malformed lines without echoing values', () => {
    expect(read('A=1\nA=2\n')).toEqual({ A: '2' });
    expect(() => parseEnvironmentFile('just-text\n')).toThrow('line 1 is not KEY=value');
    expect(() => parseEnvironmentFile('1BAD=x\n')).toThrow('line 1: not a valid variable name');
    expect(() => parseEnvironmentFile('A="secret\n')).toThrow('A: unterminated double quote');
    expect(() => parseEnvironmentFile("A='secret")).toThrow('A: unterminated single quote');
  });
});
