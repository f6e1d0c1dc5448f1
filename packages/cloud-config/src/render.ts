import type { CloudConfig } from './model.js';
import { CloudConfigError, makeReport } from './report.js';
import type { ValidationReport } from './report.js';
import { validate } from './validate.js';
import { deepEqual, parse, serialize, withoutUndefined } from './yaml.js';

export interface RenderResult {
  /** The user data: `#cloud-config` and YAML. */
  text: string;
  /** The report for the document (warnings only: render refuses documents with errors). */
  report: ValidationReport;
}

/**
 * Validates `doc`, renders it, then validates what was rendered (parsed back as a machine
 * would) and checks it reads back as the same document. Throws a {@link CloudConfigError}
 * rather than return anything a machine would reject or read differently.
 */
export function render(doc: CloudConfig): RenderResult {
  const report = validate(doc);
  if (!report.valid) throw new CloudConfigError('refusing to render an invalid cloud-config', report);
  const text = serialize(doc);
  const reparsed = parse(text);
  // What reads back equal to the validated document is valid too: it is validated again only
  // when it differs, to say what the difference broke.
  if (!deepEqual(reparsed, withoutUndefined(doc))) {
    const outputReport = validate(reparsed);
    if (!outputReport.valid) throw new CloudConfigError('the rendered cloud-config does not validate', outputReport);
    throw new CloudConfigError(
      'the rendered cloud-config does not read back as the same document',
      makeReport([{ severity: 'error', path: '$', message: 'round trip through YAML changed the document' }]),
    );
  }
  return { text, report };
}
