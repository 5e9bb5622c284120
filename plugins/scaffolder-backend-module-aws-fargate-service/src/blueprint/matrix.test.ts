import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  createAwsCloudFormationValidateAction,
  validateTemplate,
} from '@golden-path/plugin-scaffolder-backend-module-aws-cloudformation';
import { parseTemplate } from '@golden-path/plugin-cloudformation-node';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  cfnLintAll,
  type CfnLintMatch,
} from '@golden-path/plugin-cloudformation-node/testUtils';
import { INPUT_MATRIX } from '../testUtils/inputMatrix';
import {
  generateFargateService,
  type FargateServiceBlueprint,
} from './generate';

function blueprintFor(input: Record<string, unknown>): FargateServiceBlueprint {
  const result = generateFargateService(input);
  if (!result.success) throw new Error(result.problems.join('\n'));
  return result.blueprint;
}

const blueprints = Object.fromEntries(
  Object.entries(INPUT_MATRIX).map(([name, input]) => [
    name,
    blueprintFor(input),
  ]),
);

describe('generated stacks for the input matrix', () => {
  it('covers every choice of the blueprint', () => {
    const specs = Object.values(blueprints).map(blueprint => blueprint.spec);
    const seen = (pick: (spec: FargateServiceBlueprint['spec']) => unknown) =>
      new Set(specs.map(pick));
    expect(specs.length).toBeGreaterThanOrEqual(12);
    expect(seen(spec => spec.database.engine)).toEqual(
      new Set(['postgres', 'mysql']),
    );
    expect(seen(spec => spec.credentials.mode)).toEqual(
      new Set(['rds-managed', 'secrets-manager']),
    );
    expect(seen(spec => spec.kms.mode)).toEqual(
      new Set(['aws-managed', 'create', 'existing']),
    );
    expect(seen(spec => spec.network.mode)).toEqual(
      new Set(['new', 'existing']),
    );
    expect(
      seen(spec =>
        spec.network.mode === 'new' ? spec.network.natGateways : 'existing',
      ),
    ).toEqual(new Set(['single', 'per-az', 'none', 'existing']));
    expect(seen(spec => !!spec.loadBalancer.certificateArn)).toEqual(
      new Set([true, false]),
    );
    expect(seen(spec => spec.loadBalancer.scheme)).toEqual(
      new Set(['internet-facing', 'internal']),
    );
    expect(seen(spec => spec.container.cpuArchitecture)).toEqual(
      new Set(['X86_64', 'ARM64']),
    );
  });

  it('passes cfn-lint with no errors, warnings or notes (one cfn-lint run for all)', async () => {
    const results = cfnLintAll(
      Object.fromEntries(
        Object.entries(blueprints).map(([name, blueprint]) => [
          `${name}.yaml`,
          blueprint.files.template.content,
        ]),
      ),
    );
    const summary = (matches: CfnLintMatch[]) =>
      matches.map(match => `${match.Level} ${match.Rule.Id}: ${match.Message}`);
    for (const [file, matches] of Object.entries(results)) {
      expect({ file, matches: summary(matches) }).toEqual({
        file,
        matches: [],
      });
    }
  }, 300_000);

  it('passes the in-process validator, from the model and from the written YAML alike', () => {
    for (const [name, blueprint] of Object.entries(blueprints)) {
      expect({
        name,
        findings: validateTemplate(
          parseTemplate(blueprint.files.template.content),
        ),
      }).toEqual({ name, findings: [] });
      expect(parseTemplate(blueprint.files.template.content)).toEqual(
        JSON.parse(JSON.stringify(blueprint.model.template)),
      );
    }
  });

  it('passes aws:cloudformation:validate', async () => {
    const workspacePath = await fs.mkdtemp(path.join(os.tmpdir(), 'matrix-'));
    try {
      const action = createAwsCloudFormationValidateAction();
      for (const [name, blueprint] of Object.entries(blueprints)) {
        await fs.writeFile(
          path.join(workspacePath, `${name}.yaml`),
          blueprint.files.template.content,
        );
        const ctx = createMockActionContext({
          workspacePath,
          input: { templatePath: `${name}.yaml`, failOn: 'warning' as const },
        });
        await action.handler(ctx);
        expect(ctx.output).toHaveBeenCalledWith('valid', true);
        expect(ctx.output).toHaveBeenCalledWith('findings', []);
      }
    } finally {
      await fs.rm(workspacePath, { recursive: true, force: true });
    }
  });
});
