import type { JsonObject } from '@backstage/types';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { CERTIFICATE_ARN } from '../testUtils/inputMatrix';
import { createAwsFargateServiceGenerateAction } from './generate';
import { examples } from './generate.examples';

/** What a template's form would have filled in for the examples' `${{ parameters.* }}`. */
const PARAMETERS: Record<string, string> = {
  name: 'orders',
  owner: 'group:default/team-a',
  description: 'Takes orders',
  certificateArn: CERTIFICATE_ARN,
  region: 'eu-west-1',
};

function filledIn(value: unknown): unknown {
  if (typeof value === 'string')
    return value.replace(
      /\$\{\{ parameters\.(\w+) \}\}/g,
      (_, key: string) => PARAMETERS[key],
    );
  if (Array.isArray(value)) return value.map(filledIn);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, filledIn(child)]),
    );
  return value;
}

describe('aws:fargateService:generate examples', () => {
  const action = createAwsFargateServiceGenerateAction();

  it.each(examples.map(example => [example.description, example] as const))(
    '%s',
    async (_description, example) => {
      const steps: Array<{ action: string; input: Record<string, unknown> }> =
        yaml.parse(example.example).steps;
      const step = steps.find(
        candidate => candidate.action === 'aws:fargateService:generate',
      )!;
      const workspacePath = await fs.mkdtemp(
        path.join(os.tmpdir(), 'fargate-example-'),
      );
      try {
        const ctx = createMockActionContext({
          workspacePath,
          input: filledIn(step.input) as JsonObject,
        }) as unknown as Parameters<typeof action.handler>[0];
        await action.handler(ctx);
        expect(ctx.output).toHaveBeenCalledWith(
          'templatePath',
          'infra/template.yaml',
        );
        expect(ctx.output).toHaveBeenCalledWith(
          'entityRef',
          `component:default/${(filledIn(step.input) as { serviceName: string }).serviceName}`,
        );
        expect(
          await fs.readFile(
            path.join(workspacePath, 'infra/template.yaml'),
            'utf8',
          ),
        ).toMatch(/^AWSTemplateFormatVersion: '2010-09-09'/);
      } finally {
        await fs.rm(workspacePath, { recursive: true, force: true });
      }
    },
  );
});
