/**
 * A typed model of systemd unit files (and drop-ins, and systemd-networkd files, which share the
 * format): ordered sections holding ordered `Key=value` entries, so repeated keys such as
 * `ExecStartPre=` keep their order. Serialization and parsing follow systemd's own rules
 * (systemd.syntax(7)): `#`/`;` comments, `[Section]` headers, and a trailing backslash that
 * joins a line with the next, the backslash becoming a space.
 */

export interface UnitFile {
  sections: UnitSection[];
}

export interface UnitSection {
  name: string;
  entries: UnitEntry[];
}

export interface UnitEntry {
  key: string;
  value: string;
}

/** A section written as an object: arrays become repeated keys, `undefined` is left out. */
export type SectionInput = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

export interface UnitProblem {
  /** 1-based line number in the unit text. */
  line: number;
  message: string;
}

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const SECTION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/;
/** Exec lines are long; above this width they are wrapped at argument boundaries. */
const WRAP_WIDTH = 100;

/** Builds a unit from `{ Unit: {...}, Service: {...} }`, keeping the order keys were written in. */
export function unitFile(sections: Readonly<Record<string, SectionInput>>): UnitFile {
  return {
    sections: Object.entries(sections).map(([name, input]) => ({ name, entries: sectionEntries(input) })),
  };
}

function sectionEntries(input: SectionInput): UnitEntry[] {
  const entries: UnitEntry[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) entries.push({ key, value: typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v) });
  }
  return entries;
}

/**
 * Quotes a command line for `ExecStart=` and friends: arguments holding white space, quotes or
 * backslashes are double-quoted with `\` escapes, and `%` is doubled so systemd does not read a
 * specifier. `$VAR` and `${VAR}` are left alone on purpose: systemd expands them from the
 * unit's environment, and coreos-cloudinit substitutes `$private_ipv4` / `$public_ipv4` before.
 * A leading `-`, `@`, `+` or `!` on the first argument is systemd's own prefix and is kept.
 */
export function execLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('execLine: a command needs at least the program path');
  return argv.map(quoteExecArgument).join(' ');
}

function quoteExecArgument(arg: string): string {
  if (arg.includes('\n')) throw new Error(`execLine: argument ${JSON.stringify(arg)} contains a newline`);
  const escaped = arg.replaceAll('%', '%%');
  if (escaped !== '' && !/[\s"'\\;]/.test(escaped)) return escaped;
  return `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** Why a value cannot be written as one systemd entry, or `undefined` when it can. */
export function entryValueProblem(value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'contains a line break; systemd values are single lines';
  if (value !== value.trim()) return 'has leading or trailing white space, which systemd strips';
  if (value.endsWith('\\')) return 'ends with a backslash, which systemd reads as a line continuation';
  return undefined;
}

/** Renders a unit as systemd reads it. Throws on entries that systemd could not read back. */
export function serializeUnitFile(unit: UnitFile): string {
  const blocks = unit.sections.map((section) => {
    if (!SECTION_PATTERN.test(section.name)) throw new Error(`unit section name ${JSON.stringify(section.name)} is not valid`);
    const lines = [`[${section.name}]`];
    for (const { key, value } of section.entries) {
      if (!KEY_PATTERN.test(key)) throw new Error(`unit key ${JSON.stringify(key)} in [${section.name}] is not valid`);
      const problem = entryValueProblem(value);
      if (problem) throw new Error(`${key}= in [${section.name}] ${problem}`);
      lines.push(key.startsWith('Exec') ? wrapExec(`${key}=${value}`) : `${key}=${value}`);
    }
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

/**
 * Wraps a long Exec line at single spaces outside quotes. The space is replaced by a
 * backslash-newline, which systemd turns back into exactly one space, so nothing changes.
 */
function wrapExec(line: string): string {
  if (line.length <= WRAP_WIDTH) return line;
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === ' ' && line[i - 1] !== ' ' && line[i + 1] !== ' ' && line[i + 1] !== undefined) {
      parts.push(line.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(line.slice(start));
  return parts.join('\\\n');
}

/** Parses unit text as systemd does, collecting every problem instead of stopping at the first. */
export function parseUnitFile(text: string): { unit: UnitFile; problems: UnitProblem[] } {
  const problems: UnitProblem[] = [];
  const sections: UnitSection[] = [];
  let current: UnitSection | undefined;
  const rawLines = text.split('\n');
  for (let index = 0; index < rawLines.length; index++) {
    const lineNumber = index + 1;
    let line = rawLines[index] ?? '';
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    while (line.endsWith('\\') && index + 1 < rawLines.length) {
      index++;
      line = `${line.slice(0, -1)} ${rawLines[index] ?? ''}`;
    }
    line = line.trim();
    if (line.startsWith('[')) {
      const match = /^\[([^\]]*)\]$/.exec(line);
      if (!match || !SECTION_PATTERN.test(match[1] ?? '')) {
        problems.push({ line: lineNumber, message: `invalid section header ${JSON.stringify(line)}` });
        current = undefined;
        continue;
      }
      current = { name: match[1] ?? '', entries: [] };
      sections.push(current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) {
      problems.push({ line: lineNumber, message: `expected Key=value, found ${JSON.stringify(line)}` });
      continue;
    }
    const key = line.slice(0, eq).trim();
    if (!KEY_PATTERN.test(key)) {
      problems.push({ line: lineNumber, message: `invalid key ${JSON.stringify(key)}` });
      continue;
    }
    if (!current) {
      problems.push({ line: lineNumber, message: `${key}= appears before any [Section] header` });
      continue;
    }
    current.entries.push({ key, value: line.slice(eq + 1).trim() });
  }
  return { unit: { sections }, problems };
}

/** Every value of `key` in section `section`, in order. */
export function unitValues(unit: UnitFile, section: string, key: string): string[] {
  return unit.sections
    .filter((s) => s.name === section)
    .flatMap((s) => s.entries.filter((e) => e.key === key).map((e) => e.value));
}
