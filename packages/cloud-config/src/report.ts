export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  /** JSONPath-like location, e.g. `$.coreos.units[2].name`. */
  path: string;
  message: string;
}

export interface ValidationReport {
  /** True when there is no finding of severity `error`. */
  valid: boolean;
  findings: Finding[];
}

export function makeReport(findings: Finding[]): ValidationReport {
  return { valid: !findings.some((f) => f.severity === 'error'), findings };
}

/** One line per finding, `error   $.path: message`, for terminals and logs. */
export function formatReport(report: ValidationReport): string {
  if (report.findings.length === 0) return 'no problems found';
  return report.findings.map((f) => `${f.severity.padEnd(7)} ${f.path}: ${f.message}`).join('\n');
}

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** Thrown when a document (or the parameters that build one) is invalid; carries the report. */
export class CloudConfigError extends Error {
  override readonly name = 'CloudConfigError';
  readonly code = 'CLOUD_CONFIG_INVALID';
  constructor(
    message: string,
    readonly report: ValidationReport,
  ) {
    super(`${message}\n${formatReport({ ...report, findings: report.findings.filter((f) => f.severity === 'error') })}`);
  }
}
