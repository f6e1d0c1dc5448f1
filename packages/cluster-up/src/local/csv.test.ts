import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads records, skipping blank lines, with \\n or \\r\\n line ends', () => {
    expect(parseCsv('a,b,c\n\nd,e,f\r\n', 'f')).toEqual([['a', 'b', 'c'], ['d', 'e', 'f']]);
    expect(parseCsv('x,y,z', 'f')).toEqual([['x', 'y', 'z']]);
    expect(parseCsv('', 'f')).toEqual([]);
    expect(parseCsv(' a , b ,\n', 'f')).toEqual([[' a ', ' b ', '']]);
  });

  it('reads quoted fields with doubled quotes, commas and line breaks', () => {
    expect(parseCsv('"p,""w""",admin,"a\nb"\n', 'f')).toEqual([['p,"w"', 'admin', 'a\nb']]);
    expect(parseCsv('"",u,1\n', 'f')).toEqual([['', 'u', '1']]);
  });

  it('rejects what Go encoding/csv rejects, naming the line but not the values', () => {
    expect(() => parseCsv('a,b\nc\n', 'tokens.csv')).toThrow('tokens.csv: line 2: 1 fields where the first record has 2');
    expect(() => parseCsv('sec"ret,u,1\n', 'f')).toThrow('f: line 1: bare quote in an unquoted field');
    expect(() => parseCsv('"secret"x,u,1\n', 'f')).toThrow('f: line 1: extraneous character after a quoted field');
    expect(() => parseCsv('"secret,u,1\n', 'f')).toThrow('f: line 1: unterminated quoted field');
    let message = 'did not throw';
    try {
      parseCsv('sec"ret,u,1\n', 'f');
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/bare quote/);
    expect(message).not.toContain('sec');
  });
});
