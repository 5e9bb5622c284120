import { parseTemplate } from '@golden-path/plugin-cloudformation-node';
import { INPUT_MATRIX } from '../testUtils/inputMatrix';
import {
  generateFargateService,
  type FargateServiceBlueprint,
} from './generate';
import { securityControls } from './securityControls';

function generate(input: Record<string, unknown>): FargateServiceBlueprint {
  const result = generateFargateService(input);
  if (!result.success) throw new Error(result.problems.join('\n'));
  return result.blueprint;
}

describe('the Security section of docs/architecture.md', () => {
  const cases = Object.entries(INPUT_MATRIX).flatMap(([name, input]) => {
    const blueprint = generate(input);
    return securityControls(blueprint.spec).map(
      control => [name, control.control, blueprint, control] as const,
    );
  });

  it.each(cases)(
    '%s: "%s" holds on the written template and is in the docs',
    (_name, _control, blueprint, control) => {
      expect(
        control.holds(parseTemplate(blueprint.files.template.content)),
      ).toBe(true);
      expect(blueprint.files.diagram.content).toContain(
        `| ${control.control} | ${control.does} | ${control.input} | ${control.cost} |`,
      );
    },
  );

  it('a claim fails when the template stops doing it', () => {
    const blueprint = generate({ serviceName: 'orders' });
    const template = parseTemplate(blueprint.files.template.content) as {
      Resources: Record<string, { Properties: Record<string, unknown> }>;
    };
    delete template.Resources.DatabaseParameterGroup.Properties.Parameters;
    template.Resources.TaskDefinition.Properties.ContainerDefinitions = [
      { User: 'root', ReadonlyRootFilesystem: false },
    ];
    const failing = securityControls(blueprint.spec)
      .filter(control => !control.holds(template))
      .map(control => control.control);
    expect(failing).toEqual([
      'TLS to the database',
      'Container user and filesystem',
    ]);
  });
});
