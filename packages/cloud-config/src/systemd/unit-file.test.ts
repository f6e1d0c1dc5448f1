import { describe, expect, it } from 'vitest';
import { execLine, parseUnitFile, serializeUnitFile, unitFile, unitValues } from './unit-file.js';

describe('systemd unit model', () => {
  it('keeps repeated keys in order and renders booleans as yes/no', () => {
    const unit = unitFile({
      Unit: { Description: 'demo', After: ['a.service', 'b.service'] },
      Service: { ExecStartPre: ['/bin/true', '/bin/false'], RemainAfterExit: true, RestartSec: 5, User: undefined },
    });
    expect(serializeUnitFile(unit)).toBe(
      '[Unit]\nDescription=demo\nAfter=a.service\nAfter=b.service\n\n[Service]\nExecStartPre=/bin/true\nExecStartPre=/bin/false\nRemainAfterExit=yes\nRestartSec=5\n',
    );
    expect(unitValues(unit, 'Service', 'ExecStartPre')).toEqual(['/bin/true', '/bin/false']);
  });

  it('reads back what it writes, including long wrapped Exec lines with quoted arguments', () => {
    const argv = ['/opt/bin/tool', ...Array.from({ length: 12 }, (_, i) => `--flag-${i}=value ${i} "quoted"`), '--last'];
    const unit = unitFile({ Service: { ExecStart: execLine(argv), Environment: 'GREETING="hello world"' } });
    const text = serializeUnitFile(unit);
    expect(text.split('\n').length).toBeGreaterThan(5);
    expect(parseUnitFile(text)).toEqual({ unit, problems: [] });
  });

  it('quotes arguments the way systemd splits them', () => {
    expect(execLine(['/bin/echo', 'plain', 'two words', 'say "hi"', 'back\\slash', '', '100%', '${VAR}', '$private_ipv4'])).toBe(
      '/bin/echo plain "two words" "say \\"hi\\"" "back\\\\slash" "" 100%% ${VAR} $private_ipv4',
    );
    expect(() => execLine([])).toThrow(/at least the program/);
    expect(() => execLine(['/bin/echo', 'a\nb'])).toThrow(/newline/);
  });

  it('refuses values systemd could not read back', () => {
    expect(() => serializeUnitFile(unitFile({ Service: { Environment: 'A=1\nB=2' } }))).toThrow(/Environment= in \[Service\] contains a line break/);
    expect(() => serializeUnitFile(unitFile({ Service: { Description: ' padded' } }))).toThrow(/white space/);
    expect(() => serializeUnitFile(unitFile({ Service: { ExecStart: '/bin/x \\' } }))).toThrow(/continuation/);
    expect(() => serializeUnitFile(unitFile({ 'Bad]': { A: 'b' } }))).toThrow(/section name/);
    expect(() => serializeUnitFile(unitFile({ Unit: { 'no spaces': 'b' } }))).toThrow(/unit key/);
  });

  it('parses comments, continuations and reports every malformed line', () => {
    const { unit, problems } = parseUnitFile(
      '# comment\nOrphan=1\n[Unit]\n; another\nDescription = spaced out \nAfter=a\\\n  b\nnot a directive\n[Bad Section!]\nKey=1\n',
    );
    expect(unit.sections).toEqual([{ name: 'Unit', entries: [{ key: 'Description', value: 'spaced out' }, { key: 'After', value: 'a   b' }] }]);
    expect(problems).toEqual([
      { line: 2, message: 'Orphan= appears before any [Section] header' },
      { line: 8, message: 'expected Key=value, found "not a directive"' },
      { line: 9, message: 'invalid section header "[Bad Section!]"' },
      { line: 10, message: 'Key= appears before any [Section] header' },
    ]);
  });
});
