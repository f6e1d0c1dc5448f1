type State = 'pre' | 'value' | 'single' | 'double';

/**
 * Reads a systemd `EnvironmentFile=` the way systemd's env-file parser does (the parts that
 * matter here): `#` and `;` comment lines and blank lines are skipped; `KEY=value` with spaces
 * around `=` ignored; in a double-quoted value `\` escapes `"`, `\`, `` ` `` and `$` and is kept
 * before any other character; a single-quoted value is literal; an unquoted value loses its
 * trailing spaces and `\` escapes the next character; a `\` at the end of a line continues the
 * value on the next line, and quoted values may span lines.
 *
 * Errors name the line or variable, never a value.
 */
export function parseEnvironmentFile(text: string): Map<string, string> {
  const variables = new Map<string, string>();
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
    let line = (lines[lineIndex] ?? '').trimStart();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const equals = line.indexOf('=');
    if (equals < 0) throw new Error(`line ${lineIndex + 1} is not KEY=value`);
    const key = line.slice(0, equals).trimEnd();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`line ${lineIndex + 1}: not a valid variable name`);
    line = line.slice(equals + 1);
    let state: State = 'pre';
    let value = '';
    let trailingSpace = '';
    let index = 0;
    const nextLine = (): boolean => {
      if (lineIndex + 1 >= lines.length) return false;
      line = lines[++lineIndex] ?? '';
      index = 0;
      return true;
    };
    for (;;) {
      const ch = line[index++];
      if (ch === undefined) {
        if (state === 'single' || state === 'double') {
          if (!nextLine()) throw new Error(`${key}: unterminated ${state} quote`);
          value += '\n';
          continue;
        }
        break;
      }
      if (state === 'single') {
        if (ch === "'") state = 'pre';
        else value += ch;
      } else if (state === 'double') {
        if (ch === '"') state = 'pre';
        else if (ch !== '\\') value += ch;
        else {
          const escaped = line[index++];
          if (escaped === undefined) {
            if (!nextLine()) throw new Error(`${key}: unterminated double quote`);
          } else value += '"\\`$'.includes(escaped) ? escaped : `\\${escaped}`;
        }
      } else if (ch === '\\') {
        const escaped = line[index++];
        value += trailingSpace;
        trailingSpace = '';
        state = 'value';
        if (escaped === undefined) nextLine();
        else value += escaped;
      } else if (ch === ' ' || ch === '\t') {
        if (state === 'value') trailingSpace += ch;
      } else if (state === 'pre' && (ch === '"' || ch === "'")) {
        state = ch === '"' ? 'double' : 'single';
      } else {
        value += trailingSpace + ch;
        trailingSpace = '';
        state = 'value';
      }
    }
    variables.set(key, value);
  }
  return variables;
}
