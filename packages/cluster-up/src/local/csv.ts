/**
 * Reads CSV as Go's `encoding/csv` does with its defaults, which is how the v1.0 apiserver reads
 * `--basic-auth-file` and `--token-auth-file`: fields may be double-quoted (`""` is a quote),
 * `\r\n` ends a line like `\n`, blank lines are skipped, a bare quote in an unquoted field is an
 * error, and every record must have as many fields as the first.
 *
 * Errors name the line, never the field values: these files hold credentials.
 */
export function parseCsv(text: string, what: string): string[][] {
  const records: string[][] = [];
  const input = text.replace(/\r\n/g, '\n');
  let line = 1;
  let index = 0;
  while (index < input.length) {
    if (input[index] === '\n') {
      index++;
      line++;
      continue;
    }
    const recordLine = line;
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (input[index] === '"') {
        index++;
        for (;;) {
          const ch = input[index];
          if (ch === undefined) throw new Error(`${what}: line ${recordLine}: unterminated quoted field`);
          index++;
          if (ch === '"') {
            if (input[index] === '"') {
              field += '"';
              index++;
              continue;
            }
            const next = input[index];
            if (next !== undefined && next !== ',' && next !== '\n') throw new Error(`${what}: line ${line}: extraneous character after a quoted field`);
            break;
          }
          if (ch === '\n') line++;
          field += ch;
        }
      } else {
        for (let ch = input[index]; ch !== undefined && ch !== ',' && ch !== '\n'; ch = input[++index]) {
          if (ch === '"') throw new Error(`${what}: line ${line}: bare quote in an unquoted field`);
          field += ch;
        }
      }
      record.push(field);
      if (input[index] === ',') {
        index++;
        continue;
      }
      break;
    }
    const expected = records[0]?.length;
    if (expected !== undefined && record.length !== expected) {
      throw new Error(`${what}: line ${recordLine}: ${record.length} fields where the first record has ${expected}`);
    }
    records.push(record);
  }
  return records;
}
