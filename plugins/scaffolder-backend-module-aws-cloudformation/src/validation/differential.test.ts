import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  agreementTable,
  compareWithCfnLint,
  type DifferentialCase,
  type DifferentialRow,
} from '../testUtils';

const CORPUS = path.join(__dirname, 'corpus');

function corpus(expect: DifferentialCase['expect']): DifferentialCase[] {
  const directory = path.join(CORPUS, expect);
  return readdirSync(directory)
    .filter(file => file.endsWith('.yaml') || file.endsWith('.json'))
    .sort()
    .map(file => ({
      name: `${expect}/${file}`,
      content: readFileSync(path.join(directory, file), 'utf8'),
      expect,
    }));
}

const summary = (row: DifferentialRow) => ({
  name: row.name,
  cfnLint: row.cfnLintErrors.map(
    match =>
      `${match.Rule.Id} ${(match.Location.Path ?? []).join('/')}: ${match.Message.slice(0, 120)}`,
  ),
  validator: row.validatorErrors.map(
    finding => `${finding.rule} ${finding.path}: ${finding.message}`,
  ),
});

describe('aws:cloudformation:validate against cfn-lint (one cfn-lint run over the corpus)', () => {
  const valid = corpus('valid');
  const broken = corpus('broken');
  let rows: DifferentialRow[];

  beforeAll(() => {
    rows = compareWithCfnLint([...valid, ...broken]);
    process.stdout.write(
      `\nAgreement with cfn-lint on the corpus:\n${agreementTable(rows)}\n`,
    );
  }, 180_000);

  it('has at least 40 valid templates of its own and a broken template for each intrinsic misuse', () => {
    expect(valid.length).toBeGreaterThanOrEqual(40);
    for (const name of [
      'getazs-null',
      'select-index-not-number',
      'split-source-list',
      'join-values-not-list',
      'sub-variables-not-mapping',
      'if-two-arguments',
      'findinmap-two-arguments',
      'ref-format-subnet-as-vpc',
      'cidr-host-bits-set',
      'kms-key-not-id-or-arn',
    ]) {
      expect(broken.map(item => item.name)).toContain(`broken/${name}.yaml`);
    }
  });

  it('uses only valid templates that cfn-lint passes and broken ones that cfn-lint rejects', () => {
    expect(
      rows.filter(row => row.verdict === 'corpus wrong').map(summary),
    ).toEqual([]);
  });

  it('reports no error on a template cfn-lint passes (no false positives)', () => {
    expect(
      rows.filter(row => row.verdict === 'false positive').map(summary),
    ).toEqual([]);
  });

  it("reports an error at the place of each of cfn-lint's errors on the broken templates", () => {
    expect(rows.filter(row => row.verdict === 'missed').map(summary)).toEqual(
      [],
    );
  });
});
