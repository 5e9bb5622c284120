import { parseTemplate } from '@golden-path/plugin-cloudformation-node';
import {
  cfnLintAll,
  type CfnLintMatch,
} from '@golden-path/plugin-cloudformation-node/testUtils';
import { validateTemplate, type ValidationFinding } from '../validation';

/** A template of the differential test: `valid` ones must pass both, `broken` ones carry planted errors. */
export type DifferentialCase = {
  name: string;
  content: string;
  expect: 'valid' | 'broken';
};

export type DifferentialRow = DifferentialCase & {
  cfnLintErrors: CfnLintMatch[];
  validatorErrors: ValidationFinding[];
  /** cfn-lint errors with no validator error at the same resource, output, condition or section. */
  missed: CfnLintMatch[];
  verdict: 'agree' | 'false positive' | 'missed' | 'corpus wrong';
};

/**
 * Compares the validator with cfn-lint on each case. A cfn-lint error counts as caught when the validator
 * reports an error under the same first two path segments (`Resources/Db`, `Outputs/Url`, `Conditions/IsProd`),
 * or anywhere when cfn-lint gives no path.
 */
export function compareWithCfnLint(
  cases: DifferentialCase[],
): DifferentialRow[] {
  const cfnLint = cfnLintAll(
    Object.fromEntries(cases.map(item => [item.name, item.content])),
  );
  return cases.map(item => {
    const cfnLintErrors = cfnLint[item.name].filter(
      match => match.Level === 'Error',
    );
    const validatorErrors = validatorFindings(item.content).filter(
      finding => finding.severity === 'error',
    );
    const missed = cfnLintErrors.filter(
      match => !validatorErrors.some(finding => samePlace(match, finding)),
    );
    return {
      ...item,
      cfnLintErrors,
      validatorErrors,
      missed,
      verdict: verdictOf(item.expect, cfnLintErrors, validatorErrors, missed),
    };
  });
}

function validatorFindings(content: string): ValidationFinding[] {
  try {
    return validateTemplate(parseTemplate(content));
  } catch (error) {
    return [
      {
        severity: 'error',
        rule: 'parse-error',
        path: '',
        message: (error as Error).message,
      },
    ];
  }
}

function samePlace(match: CfnLintMatch, finding: ValidationFinding): boolean {
  const where = (match.Location.Path ?? []).slice(0, 2).map(String);
  if (where.length < 2) return true;
  return finding.path.split('/').slice(0, 2).join('/') === where.join('/');
}

function verdictOf(
  expect: DifferentialCase['expect'],
  cfnLintErrors: CfnLintMatch[],
  validatorErrors: ValidationFinding[],
  missed: CfnLintMatch[],
): DifferentialRow['verdict'] {
  if (expect === 'valid') {
    if (cfnLintErrors.length > 0) return 'corpus wrong';
    return validatorErrors.length === 0 ? 'agree' : 'false positive';
  }
  if (cfnLintErrors.length === 0) return 'corpus wrong';
  return missed.length === 0 ? 'agree' : 'missed';
}

/** The agreement table, as Markdown, with the totals underneath. */
export function agreementTable(rows: DifferentialRow[]): string {
  const ids = (values: string[]) => [...new Set(values)].join(' ') || '-';
  const lines = [
    '| template | expected | cfn-lint errors | validator errors | verdict |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      row =>
        `| ${row.name} | ${row.expect} | ${ids(row.cfnLintErrors.map(match => match.Rule.Id))} | ${ids(row.validatorErrors.map(finding => finding.rule))} | ${row.verdict} |`,
    ),
  ];
  const count = (predicate: (row: DifferentialRow) => boolean) =>
    rows.filter(predicate).length;
  const valid = rows.filter(row => row.expect === 'valid');
  const broken = rows.filter(row => row.expect === 'broken');
  const cfnLintErrorCount = broken.reduce(
    (sum, row) => sum + row.cfnLintErrors.length,
    0,
  );
  const missedCount = broken.reduce((sum, row) => sum + row.missed.length, 0);
  lines.push(
    '',
    `valid templates: ${valid.length}; validator errors on templates cfn-lint passes: ${count(row => row.expect === 'valid' && row.verdict === 'false positive')}`,
    `broken templates: ${broken.length}; cfn-lint errors on them: ${cfnLintErrorCount}; caught by the validator at the same place: ${cfnLintErrorCount - missedCount}`,
    `agreement: ${count(row => row.verdict === 'agree')} / ${rows.length}`,
  );
  return lines.join('\n');
}
