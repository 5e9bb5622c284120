import {
  validateTemplate,
  type ValidationFinding,
} from '@golden-path/plugin-scaffolder-backend-module-aws-cloudformation';
import { parseTemplate } from '@golden-path/plugin-cloudformation-node';
import { cfnLintAll } from '@golden-path/plugin-cloudformation-node/testUtils';
import { INPUT_MATRIX } from '../testUtils/inputMatrix';
import { generateFargateService } from './generate';

// Mutations reach deep into untyped template JSON.
type Template = {
  Resources: Record<
    string,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    { Type: string; Properties: Record<string, any>; DependsOn?: unknown }
  >;
  Outputs: Record<string, { Value: unknown }>;
};

/** Structural errors planted into generated templates, each with the rule the validator should report. */
const MUTATIONS: Record<
  string,
  { rule: string; plant: (template: Template) => void }
> = {
  'misspelled property': {
    rule: 'unknown-property',
    plant: t =>
      rename(
        t.Resources.Database.Properties,
        'BackupRetentionPeriod',
        'BackupRetentionPeriods',
      ),
  },
  'misspelled nested property': {
    rule: 'unknown-property',
    plant: t =>
      rename(
        t.Resources.TaskDefinition.Properties.ContainerDefinitions[0]
          .PortMappings[0],
        'ContainerPort',
        'ContainerPrt',
      ),
  },
  'string for an integer': {
    rule: 'invalid-type',
    plant: t => (t.Resources.Service.Properties.DesiredCount = 'two'),
  },
  'mapping for a string': {
    rule: 'invalid-type',
    plant: t => (t.Resources.Cluster.Properties.ClusterName = { name: 'x' }),
  },
  'string for a list': {
    rule: 'invalid-type',
    plant: t =>
      (t.Resources.TaskDefinition.Properties.RequiresCompatibilities =
        'FARGATE'),
  },
  'string for a boolean': {
    rule: 'invalid-type',
    plant: t => (t.Resources.Database.Properties.MultiAZ = 'sometimes'),
  },
  'bad enum value': {
    rule: 'invalid-enum',
    plant: t => (t.Resources.Service.Properties.LaunchType = 'FARGATEX'),
  },
  'bad nested enum value': {
    rule: 'invalid-enum',
    plant: t =>
      (t.Resources.Service.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp =
        'MAYBE'),
  },
  'missing required property': {
    rule: 'missing-required-property',
    plant: t => delete t.Resources.HttpListener.Properties.DefaultActions,
  },
  'missing required nested property': {
    rule: 'missing-required-property',
    plant: t =>
      delete t.Resources.CpuScalingPolicy.Properties
        .TargetTrackingScalingPolicyConfiguration.TargetValue,
  },
  'dangling Ref': {
    rule: 'dangling-ref',
    plant: t =>
      (t.Resources.Service.Properties.Cluster = { Ref: 'NoSuchCluster' }),
  },
  'dangling GetAtt': {
    rule: 'dangling-get-att',
    plant: t =>
      (t.Resources.TaskDefinition.Properties.ExecutionRoleArn = {
        'Fn::GetAtt': ['NoSuchRole', 'Arn'],
      }),
  },
  'bad GetAtt attribute': {
    rule: 'unknown-attribute',
    plant: t =>
      (t.Outputs.RepositoryUri.Value = { 'Fn::GetAtt': ['Repository', 'Uri'] }),
  },
  'dangling Sub variable': {
    rule: 'dangling-ref',
    plant: t =>
      (t.Resources.ScalableTarget.Properties.ResourceId = {
        'Fn::Sub': 'service/${NoSuchCluster}/x',
      }),
  },
  'dangling DependsOn': {
    rule: 'dangling-depends-on',
    plant: t => (t.Resources.Service.DependsOn = ['NoSuchListener']),
  },
  'unknown resource type': {
    rule: 'unknown-resource-type',
    plant: t => (t.Resources.LogGroup.Type = 'AWS::Logs::LogGrup'),
  },
};

const BASES = ['defaults', 'mysql-sm-create-key-internal-per-az-https'];

function rename(object: Record<string, unknown>, from: string, to: string) {
  object[to] = object[from];
  delete object[from];
}

describe('mutation test: the validator catches every structural error cfn-lint catches', () => {
  const cases = BASES.flatMap(base => {
    const result = generateFargateService(INPUT_MATRIX[base]);
    if (!result.success) throw new Error(result.problems.join('\n'));
    return Object.entries(MUTATIONS).map(([mutation, { rule, plant }]) => {
      // Start from the written YAML, as a reader of the file would.
      const template = parseTemplate(
        result.blueprint.files.template.content,
      ) as Template;
      plant(template);
      const file = `${base}--${mutation.replace(/\W+/g, '-')}.json`;
      return {
        base,
        mutation,
        rule,
        file,
        content: JSON.stringify(template, null, 2),
        template,
      };
    });
  });

  let cfnLintErrors: Record<string, string[]>;
  const validatorErrors: Record<string, ValidationFinding[]> = {};

  beforeAll(async () => {
    const results = cfnLintAll(
      Object.fromEntries(cases.map(c => [c.file, c.content])),
    );
    cfnLintErrors = Object.fromEntries(
      Object.entries(results).map(([file, matches]) => [
        file,
        matches
          .filter(match => match.Level === 'Error')
          .map(match => `${match.Rule.Id} ${match.Message}`),
      ]),
    );
    for (const c of cases)
      validatorErrors[c.file] = validateTemplate(
        parseTemplate(c.content),
      ).filter(finding => finding.severity === 'error');
  }, 300_000);

  it('plants errors that cfn-lint, the validator of record, rejects', () => {
    const caughtByCfnLint = cases.filter(c => cfnLintErrors[c.file].length > 0);
    // Every mutation is a real error: cfn-lint must see it, otherwise the comparison proves nothing.
    expect(caughtByCfnLint.map(c => c.file)).toEqual(cases.map(c => c.file));
  });

  it.each(
    BASES.flatMap(base =>
      Object.keys(MUTATIONS).map(mutation => [base, mutation]),
    ),
  )('%s: %s', (base, mutation) => {
    const c = cases.find(
      candidate => candidate.base === base && candidate.mutation === mutation,
    )!;
    const rules = validatorErrors[c.file].map(finding => finding.rule);
    expect(cfnLintErrors[c.file]).not.toEqual([]);
    // The validator reports the planted error, and nothing else: nothing else changed.
    expect(new Set(rules)).toEqual(new Set([c.rule]));
  });
});
