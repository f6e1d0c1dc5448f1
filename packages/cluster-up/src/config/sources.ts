import { load } from 'js-yaml';
import { isVariableName, VARIABLE_NAMES } from './definitions.js';
import type { VariableName } from './definitions.js';
import { ConfigError } from './errors.js';
import type { ConfigIssue } from './errors.js';

export type SourceKind = 'default' | 'config file' | 'environment' | 'flag';

export interface SourcedValue {
  value: string;
  source: SourceKind;
}

export type RawSettings = Partial<Record<VariableName, string>>;

/**
 * Reads a config file: a YAML mapping of variable names, or the original's shell-style
 * `KEY=value` lines (`export`, quotes, comments and `${KEY:-default}` understood). Unknown
 * names are errors, so a typo never silently falls back to a default.
 */
export function parseConfigFile(text: string, fileName: string): RawSettings {
  const issues: ConfigIssue[] = [];
  const entries = looksLikeShell(text) ? parseShellAssignments(text, fileName, issues) : parseYamlSettings(text, fileName, issues);
  const settings: RawSettings = {};
  for (const [name, value] of entries) {
    if (!isVariableName(name)) {
      issues.push({ variable: name, value, source: 'config file', message: `is not a rax-kube setting (in ${fileName}); known settings: ${VARIABLE_NAMES.join(', ')}` });
      continue;
    }
    settings[name] = value;
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return settings;
}

function looksLikeShell(text: string): boolean {
  const meaningful = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  return meaningful.length > 0 && meaningful.every((l) => /^(export\s+)?[A-Za-z_][A-Za-z0-9_]*=/.test(l));
}

function parseShellAssignments(text: string, fileName: string, issues: ConfigIssue[]): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) return;
    const [, name = '', rest = ''] = match;
    const value = shellValue(rest.trim());
    if (value === undefined) {
      issues.push({ variable: name, value: rest, source: 'config file', message: `line ${index + 1} of ${fileName}: cannot read this value; write KEY=value, KEY="value" or KEY='value'` });
      return;
    }
    entries.push([name, value]);
  });
  return entries;
}

/** The value of a shell word: quotes removed, a trailing comment dropped, `${X:-d}` read as `d`. */
function shellValue(word: string): string | undefined {
  let value: string;
  if (word.startsWith('"') || word.startsWith("'")) {
    const quote = word[0] ?? '';
    const end = word.indexOf(quote, 1);
    if (end < 0) return undefined;
    const trailing = word.slice(end + 1).trim();
    if (trailing !== '' && !trailing.startsWith('#')) return undefined;
    value = word.slice(1, end);
  } else {
    value = word.replace(/\s+#.*$/, '');
    if (/\s/.test(value)) return undefined;
  }
  const fallback = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-(.*)\}$/.exec(value);
  return fallback ? (fallback[1] ?? '') : value;
}

function parseYamlSettings(text: string, fileName: string, issues: ConfigIssue[]): Array<[string, string]> {
  let data: unknown;
  try {
    data = load(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError([{ variable: '--config', value: fileName, source: 'flag', message: `is neither KEY=value lines nor valid YAML: ${reason}` }]);
  }
  if (data === undefined || data === null) return [];
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError([{ variable: '--config', value: fileName, source: 'flag', message: 'must hold a YAML mapping of settings (NUM_NODES: 5) or KEY=value lines' }]);
  }
  const entries: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') entries.push([name, String(value)]);
    else issues.push({ variable: name, value: JSON.stringify(value), source: 'config file', message: `must be a single value in ${fileName}, not a list or mapping` });
  }
  return entries;
}

/** The settings present in an environment (only rax-kube's names are read). */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): RawSettings {
  const settings: RawSettings = {};
  for (const name of VARIABLE_NAMES) {
    const value = env[name];
    if (value !== undefined && value !== '') settings[name] = value;
  }
  return settings;
}

/** Layers the sources: later ones win. */
export function mergeSources(layers: ReadonlyArray<readonly [SourceKind, RawSettings]>): Partial<Record<VariableName, SourcedValue>> {
  const merged: Partial<Record<VariableName, SourcedValue>> = {};
  for (const [source, settings] of layers) {
    for (const name of VARIABLE_NAMES) {
      const value = settings[name];
      if (value !== undefined) merged[name] = { value, source };
    }
  }
  return merged;
}
