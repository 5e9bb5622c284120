/**
 * The differential test of aws:cloudformation:validate against cfn-lint on the templates the golden path
 * generates: every template of the blueprint's input matrix, in one cfn-lint run. The hand-written corpus
 * (valid templates and planted errors) runs in the CloudFormation module's own test.
 */
import { generateFargateService } from '@golden-path/plugin-scaffolder-backend-module-aws-fargate-service';
import {
  agreementTable,
  compareWithCfnLint,
  type DifferentialCase,
  type DifferentialRow,
} from '@golden-path/plugin-scaffolder-backend-module-aws-cloudformation/testUtils';
import { INPUT_MATRIX } from '@golden-path/plugin-scaffolder-backend-module-aws-fargate-service/testUtils';

function generatedTemplate(
  name: string,
  input: Record<string, unknown>,
): DifferentialCase {
  const result = generateFargateService(input);
  if (!result.success)
    throw new Error(`${name}: ${result.problems.join('\n')}`);
  return {
    name: `matrix/${name}`,
    content: result.blueprint.files.template.content,
    expect: 'valid',
  };
}

describe('aws:cloudformation:validate against cfn-lint on the generated templates of the input matrix', () => {
  const cases = Object.entries(INPUT_MATRIX).map(([name, input]) =>
    generatedTemplate(name, input),
  );
  let rows: DifferentialRow[];

  beforeAll(() => {
    rows = compareWithCfnLint(cases);
    process.stdout.write(
      `\nAgreement with cfn-lint on the input matrix:\n${agreementTable(rows)}\n`,
    );
  }, 180_000);

  it('covers the whole matrix', () => {
    expect(rows).toHaveLength(Object.keys(INPUT_MATRIX).length);
  });

  it('finds no error where cfn-lint finds none, and cfn-lint finds none', () => {
    const disagreements = rows
      .filter(row => row.verdict !== 'agree')
      .map(row => ({
        name: row.name,
        verdict: row.verdict,
        cfnLint: row.cfnLintErrors.map(match => match.Message),
        validator: row.validatorErrors.map(finding => finding.message),
      }));
    expect(disagreements).toEqual([]);
  });
});
